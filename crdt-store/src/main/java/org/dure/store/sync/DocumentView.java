package org.dure.store.sync;

import java.util.Optional;
import org.dure.store.format.FieldPath;

/**
 * A document as the author of a change saw it: at the change's dependencies, before the change.
 * Rules judged on it (who may write what, in the signer's own view) decide the same on every node,
 * whatever order changes arrive in. Read on the document's lane only, while the check runs.
 */
public interface DocumentView {

  /** The string at {@code path} (map keys from the root), if there is one. */
  Optional<String> string(FieldPath path);

  /** Whether there is anything at {@code path}. */
  boolean has(FieldPath path);

  /** Whether the change starts the document: it depends on nothing, so its author saw nothing. */
  boolean isEmpty();

  /**
   * A view that cannot be had (the change's dependencies are not all here): every read fails, and
   * the check that reads it refuses the change for now, without blaming its author.
   */
  DocumentView UNAVAILABLE =
      new DocumentView() {
        @Override
        public Optional<String> string(FieldPath path) {
          throw new Unavailable();
        }

        @Override
        public boolean has(FieldPath path) {
          throw new Unavailable();
        }

        @Override
        public boolean isEmpty() {
          throw new Unavailable();
        }
      };

  /** Thrown by {@link #UNAVAILABLE}'s reads. */
  final class Unavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unavailable() {
      super(
          "the document as the change's author saw it is not complete here yet",
          null,
          false,
          false);
    }
  }
}

package org.dure.store.sync;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.automerge.Document;
import org.dure.store.format.ChangeHeader;

/**
 * The document as the author of each arriving change saw it ({@link DocumentView}), for the checks
 * of {@link Attestations#cover}: read from the held document at the change's dependencies when it
 * has them all; otherwise from a fork of it to which the arriving (and earlier withheld or queued)
 * changes were applied, made once, only when a check needs it, and freed on {@link #close}. The
 * changes applied to the fork passed the format validator, as those applied to the document itself
 * do; a change whose dependencies are not all here even then gets {@link DocumentView#UNAVAILABLE}.
 * Used on the document's lane.
 */
final class ViewsAtDeps implements Function<ChangeHeader, DocumentView>, AutoCloseable {
  private final Document doc;
  private final Predicate<byte[]> applied;
  private final List<ChangeHeader> pending;
  private Document fork;
  private Set<ByteBuffer> inFork;

  /**
   * @param doc the held document
   * @param applied whether the document has applied a change of this hash
   * @param pending the changes being decided on (arriving, withheld, queued)
   */
  ViewsAtDeps(Document doc, Predicate<byte[]> applied, Collection<ChangeHeader> pending) {
    this.doc = doc;
    this.applied = applied;
    this.pending = List.copyOf(pending);
  }

  @Override
  public DocumentView apply(ChangeHeader c) {
    if (c.deps().stream().allMatch(applied)) {
      return HeadsView.atDeps(doc, c.deps());
    }
    if (fork == null) {
      makeFork();
    }
    for (byte[] d : c.deps()) {
      if (!applied.test(d) && !inFork.contains(ByteBuffer.wrap(d))) {
        return DocumentView.UNAVAILABLE;
      }
    }
    return HeadsView.atDeps(fork, c.deps());
  }

  /**
   * Forks the document and applies to the fork every pending change whose dependencies it then
   * holds (the others Automerge would only queue, and no view reads at them).
   */
  private void makeFork() {
    inFork = new HashSet<>();
    List<ChangeHeader> ready = new ArrayList<>();
    List<ChangeHeader> left = new ArrayList<>(pending);
    boolean progress = true;
    while (progress) {
      progress = false;
      for (var it = left.iterator(); it.hasNext(); ) {
        ChangeHeader c = it.next();
        ByteBuffer h = ByteBuffer.wrap(c.hash());
        if (inFork.contains(h) || applied.test(c.hash())) {
          it.remove();
          continue;
        }
        if (c.deps().stream()
            .allMatch(d -> applied.test(d) || inFork.contains(ByteBuffer.wrap(d)))) {
          ready.add(c);
          inFork.add(h);
          it.remove();
          progress = true;
        }
      }
    }
    fork = doc.fork();
    if (!ready.isEmpty()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (ChangeHeader c : ready) {
        out.write(c.input(), c.chunkStart(), c.chunkLength());
      }
      fork.applyEncodedChanges(out.toByteArray());
    }
  }

  @Override
  public void close() {
    if (fork != null) {
      fork.free();
      fork = null;
    }
  }
}

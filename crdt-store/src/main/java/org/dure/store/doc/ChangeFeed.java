package org.dure.store.doc;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events when a document changed: by a local edit, or by what a peer sent. Listeners run on the
 * thread that made the change, after it was persisted and outside any lane task, in the order they
 * were added; one that throws is logged and the others still run.
 */
public final class ChangeFeed {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);

  /** Called after a document changed: by a local edit ({@code fromPeer} empty) or by sync. */
  @FunctionalInterface
  public interface Listener {
    void changed(String docId, DocumentKind kind, String spaceId, Optional<String> fromPeer);
  }

  private final List<Listener> listeners = new CopyOnWriteArrayList<>();

  /** Adds a listener; closing the result removes it. */
  public AutoCloseable addListener(Listener l) {
    listeners.add(l);
    return () -> listeners.remove(l);
  }

  /** Tells every listener that document {@code docId} changed. */
  public void fire(String docId, DocumentKind kind, String spaceId, Optional<String> fromPeer) {
    for (Listener l : listeners) {
      try {
        l.changed(docId, kind, spaceId, fromPeer);
      } catch (RuntimeException e) {
        LOG.warn("A document listener failed", e);
      }
    }
  }
}

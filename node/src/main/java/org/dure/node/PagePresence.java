package org.dure.node;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.dure.identity.PeerId;
import org.dure.net.presence.PresenceService;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.SpaceId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which pages this node's user has open and who else has them open, across going offline and
 * online: the pages are kept here and announced by the {@link PresenceService} of each online
 * session in turn. Nothing is stored.
 */
public final class PagePresence {
  private static final Logger LOG = LoggerFactory.getLogger(PagePresence.class);

  private record Key(SpaceId space, PageId page) {}

  private final Map<Key, Integer> open = new HashMap<>();
  private final Map<Key, AutoCloseable> announced = new HashMap<>();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private PresenceService service;
  private AutoCloseable serviceListener;

  /**
   * The user opened {@code page} (in one more editor); closing the result closes it. While online,
   * the space's connected members are told.
   */
  public AutoCloseable open(SpaceId space, PageId page) {
    Key k = new Key(space, page);
    synchronized (this) {
      open.merge(k, 1, Integer::sum);
      if (service != null && !announced.containsKey(k)) {
        announced.put(k, service.open(space, page));
      }
    }
    boolean[] closed = new boolean[1];
    return () -> {
      AutoCloseable a = null;
      synchronized (this) {
        if (closed[0]) {
          return;
        }
        closed[0] = true;
        int n = open.getOrDefault(k, 1) - 1;
        if (n > 0) {
          open.put(k, n);
        } else {
          open.remove(k);
          a = announced.remove(k);
        }
      }
      closeQuietly(a);
    };
  }

  /** The peers that have {@code page} open (none while offline). */
  public synchronized Set<PeerId> on(PageId page) {
    return service == null ? Set.of() : service.on(page);
  }

  /** Calls {@code l} (on some thread) whenever who is on some page may have changed. */
  public AutoCloseable addListener(Runnable l) {
    listeners.add(l);
    return () -> listeners.remove(l);
  }

  /** A session went online with {@code s}: announce the open pages there. */
  synchronized void attach(PresenceService s) {
    service = s;
    serviceListener = s.addListener(this::fire);
    open.keySet().forEach(k -> announced.put(k, s.open(k.space(), k.page())));
  }

  /** The session is going offline: nobody is on any page as far as this node knows. */
  void detach() {
    List<AutoCloseable> toClose;
    synchronized (this) {
      toClose = List.copyOf(announced.values());
      announced.clear();
      if (serviceListener != null) {
        toClose = new java.util.ArrayList<>(toClose);
        toClose.add(serviceListener);
      }
      serviceListener = null;
      service = null;
    }
    toClose.forEach(PagePresence::closeQuietly);
    fire();
  }

  private void fire() {
    for (Runnable l : listeners) {
      try {
        l.run();
      } catch (RuntimeException e) {
        LOG.warn("A presence listener failed", e);
      }
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      LOG.debug("Closing a presence failed", e);
    }
  }
}

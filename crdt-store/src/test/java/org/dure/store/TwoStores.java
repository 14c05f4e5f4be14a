package org.dure.store;

import org.dure.identity.Identity;
import org.dure.store.sync.PeerDataException;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.Space;
import org.dure.store.wiki.SpaceId;

/** Two in-memory stores that sync a space in-process, as the sync protocol does over a network. */
public final class TwoStores implements AutoCloseable {
  public final MutableClock clock = new MutableClock();
  public final WikiStore a;
  public final WikiStore b;

  public TwoStores() {
    StoreOptions o = StoreOptions.defaults().withClock(clock);
    a = WikiStore.inMemory(Identity.ephemeral(), o);
    b = WikiStore.inMemory(Identity.ephemeral(), o);
    a.sync().setSandbox(snapshot -> {});
    b.sync().setSandbox(snapshot -> {});
  }

  /** A space of {@code a} shared with {@code b} (as an editor), synced. */
  public Space shared(String name) throws PeerDataException {
    Space s = a.createSpace(name);
    a.addMember(s.id(), b.identity().peerId(), Role.EDITOR);
    sync(s.id());
    return s;
  }

  /** Syncs {@code space} both ways until neither side has anything to send. */
  public void sync(SpaceId space) throws PeerDataException {
    sync(a, b, space);
  }

  /** Syncs {@code space} between any two stores until neither side has anything to send. */
  public static void sync(WikiStore a, WikiStore b, SpaceId space) throws PeerDataException {
    InProcessSync.sync(a, b, space);
  }

  @Override
  public void close() {
    a.close();
    b.close();
  }
}

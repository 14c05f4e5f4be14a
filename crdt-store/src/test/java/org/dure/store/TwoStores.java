package org.dure.store;

import java.util.Optional;

/** Two in-memory stores that sync a space in-process, as the sync protocol does over a network. */
final class TwoStores implements AutoCloseable {
  final MutableClock clock = new MutableClock();
  final WikiStore a;
  final WikiStore b;

  TwoStores() {
    StoreOptions o = StoreOptions.defaults().withClock(clock);
    a = WikiStore.inMemory(Identity.ephemeral(), o);
    b = WikiStore.inMemory(Identity.ephemeral(), o);
    a.sync().setSandbox(snapshot -> {});
    b.sync().setSandbox(snapshot -> {});
  }

  /** A space of {@code a} shared with {@code b} (as an editor), synced. */
  Space shared(String name) throws PeerDataException {
    Space s = a.createSpace(name);
    a.addMember(s.id(), b.identity().peerId(), Role.EDITOR);
    sync(s.id());
    return s;
  }

  /** Syncs {@code space} both ways until neither side has anything to send. */
  void sync(SpaceId space) throws PeerDataException {
    sync(a, b, space);
  }

  /** Syncs {@code space} between any two stores until neither side has anything to send. */
  static void sync(WikiStore a, WikiStore b, SpaceId space) throws PeerDataException {
    String pa = a.identity().peerId();
    String pb = b.identity().peerId();
    for (int round = 0; round < 50; round++) {
      boolean sent = bootstrap(a, b, pa, space) | bootstrap(b, a, pb, space);
      for (DocumentRef ref : a.sync().documents(space)) {
        if (b.sync().document(ref.id()).isEmpty()) {
          continue;
        }
        sent |= send(a, b, pa, pb, ref.id()) | send(b, a, pb, pa, ref.id());
      }
      if (!sent) {
        return;
      }
    }
    throw new AssertionError("sync did not settle in 50 rounds");
  }

  private static boolean bootstrap(WikiStore from, WikiStore to, String fromPeer, SpaceId space)
      throws PeerDataException {
    boolean sent = false;
    for (DocumentRef ref : from.sync().documents(space)) {
      if (to.sync().document(ref.id()).isEmpty()) {
        to.sync()
            .importSnapshot(
                fromPeer,
                ref,
                from.sync().snapshot(ref.id()),
                from.sync().attestations(ref.id()),
                org.dure.store.AuthorPolicy.ANY);
        sent = true;
      }
    }
    return sent;
  }

  private static boolean send(
      WikiStore from, WikiStore to, String fromPeer, String toPeer, String doc)
      throws PeerDataException {
    Optional<byte[]> msg = from.sync().generateMessage(toPeer, doc);
    if (msg.isEmpty()) {
      return false;
    }
    to.sync()
        .receiveMessage(
            fromPeer,
            doc,
            msg.get(),
            from.sync().attestations(doc),
            org.dure.store.AuthorPolicy.ANY);
    return true;
  }

  @Override
  public void close() {
    a.close();
    b.close();
  }
}

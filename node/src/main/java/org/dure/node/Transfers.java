package org.dure.node;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.dure.identity.PeerId;
import org.dure.net.sync.SyncListener;

/** The snapshots going to or coming from peers now, as sync reports them (for progress bars). */
final class Transfers implements SyncListener {
  private final Map<String, PeerNode.Transfer> running = new ConcurrentHashMap<>();

  @Override
  public void snapshotProgress(
      PeerId peer, String docId, boolean receiving, long done, long total) {
    String key = peer + "/" + docId;
    if (done >= total) {
      running.remove(key);
    } else {
      running.put(key, new PeerNode.Transfer(peer.toString(), docId, receiving, done, total));
    }
  }

  @Override
  public void sessionEnded(PeerId peer, String reason) {
    running.keySet().removeIf(k -> k.startsWith(peer + "/"));
  }

  List<PeerNode.Transfer> list() {
    return List.copyOf(running.values());
  }

  void clear() {
    running.clear();
  }
}

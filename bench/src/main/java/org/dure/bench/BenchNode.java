package org.dure.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.dure.net.multiaddr.Multiaddr;
import org.dure.node.DureNode;
import org.dure.store.WikiStore;

/**
 * A node put together as the application puts it ({@link DureNode}: the store, the moderation
 * policies with their limits and caps, the peer with its sync service), listening on 127.0.0.1
 * only, without LAN discovery, DHT or port mapping. The benchmarks measure what a user's node does,
 * not a hand-made subset of it.
 */
final class BenchNode implements AutoCloseable {
  private final WikiStore store;
  private final DureNode node;

  private BenchNode(WikiStore store, DureNode node) {
    this.store = store;
    this.node = node;
  }

  /** A node on {@code store} (opened and closed by the caller), online once this returns. */
  static BenchNode on(WikiStore store, Path dataDir) throws InterruptedException {
    DureNode node = DureNode.on(store, dataDir).listen(List.of("/ip4/127.0.0.1/tcp/0")).start();
    BenchNode n = new BenchNode(store, node);
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (n.node.peer().status().addresses().isEmpty()) {
      if (System.nanoTime() > deadline) {
        n.close();
        throw new IllegalStateException("the node did not go online: " + node.peer().lastError());
      }
      Thread.sleep(10);
    }
    return n;
  }

  WikiStore store() {
    return store;
  }

  String peerId() {
    return store.identity().peerId().toString();
  }

  /** Where it listens (TCP on 127.0.0.1, without its peer ID). */
  Multiaddr address() {
    return Multiaddr.parse(node.peer().status().addresses().get(0));
  }

  /** Connects to {@code other}. */
  void dial(BenchNode other) throws IOException {
    dial(other.address().toString(), other.peerId());
  }

  /** Connects to the node {@code peerId} at {@code address} (e.g. through a proxy). */
  void dial(String address, String peerId) throws IOException {
    node.peer().connect(address + "/p2p/" + peerId);
  }

  /** Bytes it has sent to peers on the wire since it went online. */
  long bytesSent() {
    return node.peer().bytesSent();
  }

  /** Calls {@code peer} with the sender's peer ID of each document received whole. */
  void onSnapshotReceived(java.util.function.Consumer<String> peer) {
    node.peer()
        .addSyncListener(
            new org.dure.net.sync.SyncListener() {
              @Override
              public void snapshotProgress(
                  org.dure.identity.PeerId from,
                  String docId,
                  boolean receiving,
                  long done,
                  long total) {
                if (receiving && done >= total) {
                  peer.accept(from.toString());
                }
              }
            });
  }

  @Override
  public void close() {
    node.close();
  }
}

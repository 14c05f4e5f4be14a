package org.dure.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.dure.net.nat.PortMapperConfig;
import org.dure.node.DhtReach;
import org.dure.node.DureNode;
import org.dure.node.PeerNode;

/**
 * {@code ./dure --headless}: the node without the web UI, an always-on peer for friends. The store,
 * the peer and the local API (which the command line uses) run until the process is stopped (Ctrl+C
 * or a TERM signal closes everything in order).
 */
final class HeadlessDure implements AutoCloseable {
  private final DureNode node;
  private final LocalApiService api;
  private final CountDownLatch stopped = new CountDownLatch(1);

  private HeadlessDure(DureNode node, LocalApiService api) {
    this.node = node;
    this.api = api;
  }

  /** Opens the store, goes online (unless the offline switch is on) and serves the local API. */
  static HeadlessDure start(
      Path dataDir, int p2pPort, List<String> listen, boolean lan, DhtReach.Options dht)
      throws IOException {
    DureNode.Builder builder =
        DureNode.open(dataDir)
            .storeOptions(Sandboxes.storeOptions())
            .p2pPort(p2pPort)
            .listen(listen)
            .lanDiscovery(lan)
            .dht(dht);
    if (Boolean.parseBoolean(System.getProperty(DureApplication.PORT_MAPPING_PROPERTY, "true"))) {
      builder.portMapping(PortMapperConfig.defaults());
    }
    DureNode node = builder.start();
    try {
      LocalApiService api = LocalApiService.start(node, node.dataDir(), null);
      HeadlessDure running = new HeadlessDure(node, api);
      Thread keeper = new Thread(running::awaitStop, "dure-headless");
      keeper.setDaemon(false);
      keeper.start();
      Runtime.getRuntime().addShutdownHook(new Thread(running::close, "dure-shutdown"));
      return running;
    } catch (IOException | RuntimeException e) {
      node.close();
      throw e;
    }
  }

  String apiUrl() {
    return api.apiUrl();
  }

  PeerNode node() {
    return node.peer();
  }

  /** The whole node (tests look into its store). */
  DureNode dure() {
    return node;
  }

  private void awaitStop() {
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public synchronized void close() {
    if (stopped.getCount() == 0) {
      return;
    }
    try {
      api.close();
      node.close();
    } finally {
      stopped.countDown();
    }
  }
}

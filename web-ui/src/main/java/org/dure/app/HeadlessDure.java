package org.dure.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.dure.node.PeerNode;
import org.dure.store.WikiStore;

/**
 * {@code ./dure --headless}: the node without the web UI, an always-on peer for friends. The store,
 * the peer and the local API (which the command line uses) run until the process is stopped (Ctrl+C
 * or a TERM signal closes everything in order).
 */
final class HeadlessDure implements AutoCloseable {
  private final WikiStore store;
  private final PeerNode node;
  private final LocalApiService api;
  private final CountDownLatch stopped = new CountDownLatch(1);

  private HeadlessDure(WikiStore store, PeerNode node, LocalApiService api) {
    this.store = store;
    this.node = node;
    this.api = api;
  }

  /** Opens the store, goes online (unless the offline switch is on) and serves the local API. */
  static HeadlessDure start(
      Path dataDir,
      int p2pPort,
      List<String> listen,
      boolean lan,
      org.dure.node.DhtReach.Options dht)
      throws IOException {
    Path dir = dataDir.toAbsolutePath().normalize();
    org.dure.store.doc.PrivateFiles.directory(dir);
    WikiStore store = WikiStore.open(dir, Sandboxes.storeOptions());
    PeerNode node = null;
    try {
      store.defaultSpace();
      node = new PeerNode(store, dir, p2pPort, listen).lanDiscovery(lan);
      if (dht != null) {
        node.dht(dht);
      }
      if (Boolean.parseBoolean(System.getProperty(DureApplication.PORT_MAPPING_PROPERTY, "true"))) {
        node.portMapping(org.dure.net.nat.PortMapperConfig.defaults());
      }
      node.start();
      LocalApiService api = LocalApiService.start(store, node, dir, null);
      HeadlessDure running = new HeadlessDure(store, node, api);
      Thread keeper = new Thread(running::awaitStop, "dure-headless");
      keeper.setDaemon(false);
      keeper.start();
      Runtime.getRuntime().addShutdownHook(new Thread(running::close, "dure-shutdown"));
      return running;
    } catch (IOException | RuntimeException e) {
      if (node != null) {
        node.close();
      }
      store.close();
      throw e;
    }
  }

  String apiUrl() {
    return api.apiUrl();
  }

  PeerNode node() {
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
      store.close();
    } finally {
      stopped.countDown();
    }
  }
}

package org.dure.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.dure.api.ApiToken;
import org.dure.api.LocalApiServer;
import org.dure.api.LocalDure;
import org.dure.api.NodeInfo;
import org.dure.node.DureNode;
import org.dure.node.OfflineSwitch;
import org.dure.node.PeerNode;
import org.dure.store.WikiStore;
import org.dure.store.doc.PrivateFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local API of a running Dure plus its {@code node.json}, kept up to date (the listen addresses
 * change when going offline and online) and removed on close.
 */
final class LocalApiService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalApiService.class);

  /**
   * The running app's files in the data directory besides the store's, owner-only (an older data
   * directory's are tightened at start).
   */
  static final List<String> PRIVATE_FILES =
      List.of(
          ApiToken.FILE_NAME,
          ApiToken.FILE_NAME + ".tmp",
          NodeInfo.FILE_NAME,
          NodeInfo.FILE_NAME + ".tmp",
          PeerNode.PEERS_FILE,
          PeerNode.PEERS_FILE + ".tmp",
          OfflineSwitch.FILE_NAME);

  private final LocalApiServer server;
  private final PeerNode node;
  private final Path dataDir;
  private final String webUrl;
  private final long pid = ProcessHandle.current().pid();
  private final ScheduledExecutorService publisher;
  private NodeInfo published;

  private LocalApiService(LocalApiServer server, PeerNode node, Path dataDir, String webUrl) {
    this.server = server;
    this.node = node;
    this.dataDir = dataDir;
    this.webUrl = webUrl;
    this.publisher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "dure-node-json");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts the API on a free loopback port and writes {@code node.json}.
   *
   * @param webUrl the web UI's URL, or null when headless
   */
  static LocalApiService start(DureNode dure, Path dataDir, String webUrl) throws IOException {
    WikiStore store = dure.store();
    PeerNode node = dure.peer();
    // The store tightened its own files when it opened; these are the running app's.
    PrivateFiles.tighten(dataDir, PRIVATE_FILES);
    String token = ApiToken.ensure(dataDir);
    LocalApiServer server =
        LocalApiServer.start(new LocalDure(store, node, dataDir, dure.attachments()), token, 0);
    LocalApiService service = new LocalApiService(server, node, dataDir, webUrl);
    service.publish();
    service.publisher.scheduleWithFixedDelay(service::publish, 2, 2, TimeUnit.SECONDS);
    return service;
  }

  String apiUrl() {
    return server.url();
  }

  /** Writes node.json if what it says changed. */
  synchronized void publish() {
    PeerNode.Status s = node.status();
    NodeInfo info = new NodeInfo(s.peerId(), List.copyOf(s.addresses()), server.url(), webUrl, pid);
    if (info.equals(published)) {
      return;
    }
    try {
      info.write(dataDir);
      published = info;
    } catch (IOException e) {
      LOG.warn("Cannot write {}: {}", dataDir.resolve(NodeInfo.FILE_NAME), e.toString());
    }
  }

  @Override
  public synchronized void close() {
    publisher.shutdownNow();
    server.close();
    NodeInfo.remove(dataDir, pid);
  }
}

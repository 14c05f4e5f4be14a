package org.dure.app;

import java.nio.file.Path;
import org.dure.node.PeerNode;
import org.dure.store.WikiStore;
import org.dure.ui.render.MarkdownRenderer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the store and the renderer into the web application. */
@Configuration(proxyBeanMethods = false)
public class StoreConfiguration {

  /** The store in the data directory; on first start it creates "My wiki" with a welcome page. */
  @Bean(destroyMethod = "close")
  public WikiStore wikiStore(@Value("${" + DureApplication.DATA_DIR_PROPERTY + "}") Path dataDir) {
    WikiStore store = WikiStore.open(dataDir, Sandboxes.storeOptions());
    try {
      store.defaultSpace();
      // Mentions of this node's peer ID, or of its display name from its profile.
      String me = store.identity().peerId();
      store
          .mentions()
          .watch(
              () ->
                  store
                      .profiles()
                      .profile(me)
                      .map(p -> p.name().strip())
                      .filter(n -> !n.isEmpty())
                      .map(java.util.Set::of)
                      .orElse(java.util.Set.of()));
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    return store;
  }

  /** This computer's peer: online unless the offline switch is on. */
  @Bean(destroyMethod = "close")
  public PeerNode peerNode(
      WikiStore store,
      @Value("${" + DureApplication.DATA_DIR_PROPERTY + "}") Path dataDir,
      @Value("${" + DureApplication.P2P_PORT_PROPERTY + ":-1}") int p2pPort,
      @Value("${" + DureApplication.LISTEN_PROPERTY + ":}") String listen,
      @Value("${" + DureApplication.LAN_PROPERTY + ":false}") boolean lan,
      @Value("${" + DureApplication.DHT_PROPERTY + ":false}") boolean dht,
      @Value("${" + DureApplication.BOOTSTRAP_PROPERTY + ":}") String bootstrap,
      @Value("${" + DureApplication.PORT_MAPPING_PROPERTY + ":true}") boolean portMapping) {
    java.util.List<String> addresses =
        java.util.Arrays.stream(listen.split(","))
            .map(String::strip)
            .filter(a -> !a.isEmpty())
            .toList();
    PeerNode node = new PeerNode(store, dataDir, p2pPort, addresses).lanDiscovery(lan);
    if (dht) {
      node.dht(
          org.dure.node.DhtReach.Options.parse(
              java.util.Arrays.stream(bootstrap.split(","))
                  .map(String::strip)
                  .filter(a -> !a.isEmpty())
                  .toList()));
    }
    if (portMapping) {
      // Whether the router is asked is the user's setting (on by default).
      node.portMapping(org.dure.net.nat.PortMapperConfig.defaults());
    }
    return node.start();
  }

  @Bean
  public MarkdownRenderer markdownRenderer() {
    return new MarkdownRenderer();
  }
}

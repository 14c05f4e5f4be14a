package org.dure.app;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.dure.net.nat.PortMapperConfig;
import org.dure.node.Attachments;
import org.dure.node.DhtReach;
import org.dure.node.DureNode;
import org.dure.node.PeerNode;
import org.dure.store.WikiStore;
import org.dure.ui.render.MarkdownRenderer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the node into the web application: the {@link DureNode} is made (and closed) here, and the
 * views are given its parts.
 */
@Configuration(proxyBeanMethods = false)
public class StoreConfiguration {

  /**
   * This computer's node on the data directory, started: on first start its store gets "My wiki"
   * with a welcome page; online unless the offline switch is on.
   */
  @Bean(destroyMethod = "close")
  public DureNode dureNode(
      @Value("${" + DureApplication.DATA_DIR_PROPERTY + "}") Path dataDir,
      @Value("${" + DureApplication.P2P_PORT_PROPERTY + ":-1}") int p2pPort,
      @Value("${" + DureApplication.LISTEN_PROPERTY + ":}") String listen,
      @Value("${" + DureApplication.LAN_PROPERTY + ":false}") boolean lan,
      @Value("${" + DureApplication.DHT_PROPERTY + ":false}") boolean dht,
      @Value("${" + DureApplication.BOOTSTRAP_PROPERTY + ":}") String bootstrap,
      @Value("${" + DureApplication.PORT_MAPPING_PROPERTY + ":true}") boolean portMapping) {
    DureNode.Builder node =
        DureNode.open(dataDir)
            .storeOptions(Sandboxes.storeOptions())
            .p2pPort(p2pPort)
            .listen(commaSeparated(listen))
            .lanDiscovery(lan)
            .dht(dht ? DhtReach.Options.parse(commaSeparated(bootstrap)) : null);
    if (portMapping) {
      // Whether the router is asked is the user's setting (on by default).
      node.portMapping(PortMapperConfig.defaults());
    }
    return node.start();
  }

  /** The node's store (closed with the node). */
  @Bean(destroyMethod = "")
  public WikiStore wikiStore(DureNode node) {
    return node.store();
  }

  /** This computer's peer (closed with the node). */
  @Bean(destroyMethod = "")
  public PeerNode peerNode(DureNode node) {
    return node.peer();
  }

  /** The node's attachments (closed with the node). */
  @Bean(destroyMethod = "")
  public Attachments attachments(DureNode node) {
    return node.attachments();
  }

  /** Serves the attachments at {@code /attachments/ROOT} ({@link AttachmentRoute}). */
  @Bean
  public ServletRegistrationBean<AttachmentRoute> attachmentRoute(Attachments attachments) {
    ServletRegistrationBean<AttachmentRoute> bean =
        new ServletRegistrationBean<>(new AttachmentRoute(attachments), "/attachments/*");
    bean.setName("dureAttachments");
    return bean;
  }

  @Bean
  public MarkdownRenderer markdownRenderer() {
    return new MarkdownRenderer();
  }

  private static List<String> commaSeparated(String values) {
    return Arrays.stream(values.split(",")).map(String::strip).filter(a -> !a.isEmpty()).toList();
  }
}

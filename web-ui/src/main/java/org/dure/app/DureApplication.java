package org.dure.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.dure.node.DureNode;
import org.dure.store.doc.PrivateFiles;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;

/**
 * The Spring Boot application: the Vaadin web UI served on loopback.
 *
 * <p>Component scanning and Vaadin's route scanning cover all of {@code org.dure} (the UI lives in
 * {@code org.dure.ui}, next to this package). Start it through {@link #start(Path, int)} (used by
 * {@link DureMain} and by the browser tests), which passes the data directory as the {@value
 * #DATA_DIR_PROPERTY} property.
 */
@SpringBootApplication(scanBasePackages = "org.dure")
@AutoConfigurationPackage(basePackages = "org.dure")
public class DureApplication {

  /** Spring property holding the absolute data directory of this Dure instance. */
  public static final String DATA_DIR_PROPERTY = "dure.data-dir";

  /** Spring property: TCP port for peers (-1: 4001 or any free one; 0: any free one). */
  public static final String P2P_PORT_PROPERTY = "dure.p2p-port";

  /** Spring property: whether to find and be found by Dure nodes on the local network (mDNS). */
  public static final String LAN_PROPERTY = "dure.lan";

  /**
   * System property: {@code false} keeps Dure from asking the router to forward the peer port
   * whatever the setting says (tests that start the app); default {@code true}.
   */
  public static final String PORT_MAPPING_PROPERTY = "dure.portMapping";

  /** Spring property: multiaddrs to listen on for peers, comma-separated (replaces the port). */
  public static final String LISTEN_PROPERTY = "dure.listen";

  /** Spring property: whether to run the Kademlia DHT (default false: tests and tools). */
  public static final String DHT_PROPERTY = "dure.dht";

  /**
   * Spring property: DHT bootstrap peers and {@code none}, comma-separated ({@code --bootstrap}).
   */
  public static final String BOOTSTRAP_PROPERTY = "dure.bootstrap";

  /**
   * Starts the web application and returns once it serves requests, with peers on any free port
   * (for tests and tools).
   *
   * @param dataDir the data directory; made if missing
   * @param port the TCP port on 127.0.0.1, or 0 for any free port
   * @return the running application; {@link Running#close()} stops it
   */
  public static Running start(Path dataDir, int port) {
    return start(dataDir, port, 0);
  }

  /**
   * Starts the web application with peers served on {@code p2pPort} (-1: 4001, or any free port if
   * that is taken; 0: any free port), without LAN discovery (for tests and tools).
   */
  public static Running start(Path dataDir, int port, int p2pPort) {
    return start(dataDir, port, p2pPort, List.of(), false);
  }

  /**
   * Starts the web application with peers served on {@code listen} (multiaddrs; when empty, on
   * {@code p2pPort}), the local API and {@code node.json}; with {@code lan}, also LAN discovery.
   */
  public static Running start(
      Path dataDir, int port, int p2pPort, List<String> listen, boolean lan) {
    return start(dataDir, port, p2pPort, listen, lan, false, List.of());
  }

  /**
   * As {@link #start(Path, int, int, List, boolean)}, with the DHT when {@code dht} (bootstrapping
   * from {@code bootstrap}: {@code --bootstrap} values).
   */
  public static Running start(
      Path dataDir,
      int port,
      int p2pPort,
      List<String> listen,
      boolean lan,
      boolean dht,
      List<String> bootstrap) {
    Objects.requireNonNull(dataDir, "dataDir");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    Path dir = dataDir.toAbsolutePath().normalize();
    try {
      PrivateFiles.directory(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create data directory " + dir, e);
    }
    SpringApplication app = new SpringApplication(DureApplication.class);
    app.setBannerMode(Banner.Mode.OFF);
    app.setLogStartupInfo(false);
    // Passed as command-line properties: these win over application.properties.
    ConfigurableApplicationContext context =
        app.run(
            "--server.port=" + port,
            "--" + DATA_DIR_PROPERTY + "=" + dir,
            "--" + P2P_PORT_PROPERTY + "=" + p2pPort,
            "--" + LISTEN_PROPERTY + "=" + String.join(",", listen),
            "--" + LAN_PROPERTY + "=" + lan,
            "--" + DHT_PROPERTY + "=" + dht,
            "--" + BOOTSTRAP_PROPERTY + "=" + String.join(",", bootstrap));
    int boundPort = ((WebServerApplicationContext) context).getWebServer().getPort();
    try {
      DureNode node = context.getBean(DureNode.class);
      LocalApiService api = LocalApiService.start(node, dir, "http://127.0.0.1:" + boundPort + "/");
      context.addApplicationListener((ApplicationListener<ContextClosedEvent>) e -> api.close());
    } catch (IOException | RuntimeException e) {
      context.close();
      throw new IllegalStateException("cannot start the local API: " + e.getMessage(), e);
    }
    return new Running(context, boundPort, dir);
  }

  /**
   * A started web application.
   *
   * @param context the Spring context
   * @param port the port actually bound on 127.0.0.1
   * @param dataDir the absolute data directory
   */
  public record Running(ConfigurableApplicationContext context, int port, Path dataDir)
      implements AutoCloseable {

    /** The base URL, ending in a slash. */
    public String url() {
      return "http://127.0.0.1:" + port + "/";
    }

    @Override
    public void close() {
      context.close();
    }
  }
}

package org.dure.app;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dure.net.multiaddr.Multiaddr;
import org.dure.node.DhtReach;

/**
 * The global command-line options of {@code dure}, parsed.
 *
 * <p>Global options come first; the first argument that is not an option is a command name and
 * everything after it belongs to that command ({@code dure --data D net serve --port 9000}).
 *
 * @param dataDir {@code --data DIR}, default {@code ~/.dure}
 * @param port {@code --port N}, default 8080; 0 means any free port
 * @param p2pPort {@code --p2p-port N}: where peers connect; default -1 (4001, or any free port if
 *     that is taken); 0 means any free port
 * @param listen {@code --listen MULTIADDR} (repeatable): where peers connect; replaces {@code
 *     --p2p-port}
 * @param headless {@code --headless}: run the node without the web UI (an always-on peer)
 * @param lan false with {@code --no-lan}: do not look for (or announce to) Dure nodes on the local
 *     network
 * @param dht false with {@code --no-dht}: no Kademlia DHT (peers are then found only by address)
 * @param bootstrap {@code --bootstrap MULTIADDR} (repeatable): DHT bootstrap peers; the value
 *     {@code none} leaves out the default public IPFS bootstrap peers
 * @param help {@code --help} / {@code -h} was given
 * @param command the command name, or {@code null} to start the web application
 * @param commandArgs the arguments after the command name
 */
public record DureOptions(
    Path dataDir,
    int port,
    int p2pPort,
    List<String> listen,
    boolean headless,
    boolean lan,
    boolean dht,
    List<String> bootstrap,
    boolean help,
    String command,
    List<String> commandArgs) {

  /** Default HTTP port. */
  public static final int DEFAULT_PORT = 8080;

  /** Thrown for a command line that cannot be understood; the launcher exits with code 2. */
  public static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    /** A usage error with the message shown to the user. */
    public UsageException(String message) {
      super(message);
    }
  }

  /** The default data directory, {@code ~/.dure}. */
  public static Path defaultDataDir() {
    return Path.of(System.getProperty("user.home"), ".dure");
  }

  /**
   * Parses the command line.
   *
   * @throws UsageException for an unknown option, a missing or bad value
   */
  public static DureOptions parse(List<String> args) throws UsageException {
    Path dataDir = defaultDataDir();
    int port = DEFAULT_PORT;
    int p2pPort = -1;
    List<String> listen = new ArrayList<>();
    boolean headless = false;
    boolean lan = true;
    boolean dht = true;
    List<String> bootstrap = new ArrayList<>();
    boolean help = false;
    int i = 0;
    while (i < args.size()) {
      String arg = args.get(i);
      if (!arg.startsWith("-") || arg.equals("-")) {
        // First non-option: a command and its own arguments.
        return new DureOptions(
            dataDir,
            port,
            p2pPort,
            List.copyOf(listen),
            headless,
            lan,
            dht,
            List.copyOf(bootstrap),
            help,
            arg,
            List.copyOf(args.subList(i + 1, args.size())));
      }
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      switch (name) {
        case "-h", "--help" -> {
          if (value != null) {
            throw new UsageException("option --help takes no value");
          }
          help = true;
        }
        case "--data" -> {
          if (value == null) {
            value = requireValue(args, ++i, name);
          }
          dataDir = parseDir(value);
        }
        case "--port" -> {
          if (value == null) {
            value = requireValue(args, ++i, name);
          }
          port = parsePort(value, name);
        }
        case "--p2p-port" -> {
          if (value == null) {
            value = requireValue(args, ++i, name);
          }
          p2pPort = parsePort(value, name);
        }
        case "--listen" -> {
          if (value == null) {
            value = requireValue(args, ++i, name);
          }
          listen.add(parseListen(value));
        }
        case "--no-lan" -> {
          if (value != null) {
            throw new UsageException("option --no-lan takes no value");
          }
          lan = false;
        }
        case "--no-dht" -> {
          if (value != null) {
            throw new UsageException("option --no-dht takes no value");
          }
          dht = false;
        }
        case "--bootstrap" -> {
          if (value == null) {
            value = requireValue(args, ++i, name);
          }
          bootstrap.add(parseBootstrap(value));
        }
        case "--headless" -> {
          if (value != null) {
            throw new UsageException("option --headless takes no value");
          }
          headless = true;
        }
        case "--" -> {
          return new DureOptions(
              dataDir,
              port,
              p2pPort,
              List.copyOf(listen),
              headless,
              lan,
              dht,
              List.copyOf(bootstrap),
              help,
              null,
              List.of());
        }
        default -> throw new UsageException("unknown option: " + arg);
      }
      i++;
    }
    return new DureOptions(
        dataDir,
        port,
        p2pPort,
        List.copyOf(listen),
        headless,
        lan,
        dht,
        List.copyOf(bootstrap),
        help,
        null,
        List.of());
  }

  /** The DHT options, or {@code null} with {@code --no-dht}. */
  public DhtReach.Options dhtOptions() {
    return dht ? DhtReach.Options.parse(bootstrap) : null;
  }

  private static String parseBootstrap(String value) throws UsageException {
    try {
      DhtReach.Options.parse(List.of(value));
      return value.strip();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new UsageException(
          "bad address for --bootstrap (e.g. /ip4/192.0.2.7/tcp/4001/p2p/12D3KooW…, or none): "
              + value
              + " ("
              + e.getMessage()
              + ")");
    }
  }

  private static String requireValue(List<String> args, int index, String option)
      throws UsageException {
    if (index >= args.size()) {
      throw new UsageException("option " + option + " needs a value");
    }
    return args.get(index);
  }

  private static Path parseDir(String value) throws UsageException {
    if (value.isBlank()) {
      throw new UsageException("option --data needs a directory");
    }
    String expanded = value;
    if (value.equals("~")) {
      expanded = System.getProperty("user.home");
    } else if (value.startsWith("~/")) {
      expanded = System.getProperty("user.home") + value.substring(1);
    }
    try {
      return Path.of(expanded);
    } catch (InvalidPathException e) {
      throw new UsageException("bad directory for --data: " + value);
    }
  }

  private static String parseListen(String value) throws UsageException {
    try {
      Multiaddr ma = Multiaddr.parse(value.strip());
      ma.toTcpSocketAddress();
      return ma.toString();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new UsageException(
          "bad address for --listen (e.g. /ip4/0.0.0.0/tcp/4001): "
              + value
              + " ("
              + e.getMessage()
              + ")");
    }
  }

  private static int parsePort(String value, String option) throws UsageException {
    int port;
    try {
      port = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new UsageException("bad port for " + option + ": " + value);
    }
    if (port < 0 || port > 65535) {
      throw new UsageException("port out of range (0-65535): " + value);
    }
    return port;
  }
}

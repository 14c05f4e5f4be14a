package org.dure.app;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.dure.node.PeerNode;

/**
 * The main class of {@code dure.jar} (what {@code ./dure} runs).
 *
 * <pre>
 * dure [--data DIR] [--port N] [--p2p-port N | --listen MULTIADDR]   start the web UI
 * dure [--data DIR] --headless [--listen MULTIADDR]   the node alone (no web UI)
 * dure [--data DIR] COMMAND [ARGS...]     run a subcommand (see {@link CommandRegistry})
 * dure --help
 * </pre>
 *
 * Once the web UI serves requests, exactly one line goes to standard output: {@code Dure is running
 * at http://127.0.0.1:PORT/}, with the port actually bound (useful with {@code --port 0}).
 */
public final class DureMain {

  /** Exit code for a command line that cannot be understood. */
  public static final int EXIT_USAGE = 2;

  /** Returned by {@link #run} when the web application was started and keeps the JVM alive. */
  public static final int STARTED = -1;

  private DureMain() {}

  /** Entry point. */
  public static void main(String[] args) {
    int code = run(Arrays.asList(args), CommandRegistry.standard(), System.out, System.err);
    if (code != STARTED) {
      System.out.flush();
      System.exit(code);
    }
  }

  /**
   * Runs the launcher without exiting the JVM.
   *
   * @return an exit code, or {@link #STARTED} when the web application now runs
   */
  public static int run(
      List<String> args, CommandRegistry commands, PrintStream out, PrintStream err) {
    return run(args, commands, System.in, out, err);
  }

  /**
   * As {@link #run(List, CommandRegistry, PrintStream, PrintStream)}, commands reading {@code in}.
   */
  public static int run(
      List<String> args,
      CommandRegistry commands,
      java.io.InputStream in,
      PrintStream out,
      PrintStream err) {
    DureOptions options;
    try {
      options = DureOptions.parse(args);
    } catch (DureOptions.UsageException e) {
      err.println("dure: " + e.getMessage());
      err.println("Try 'dure --help' for the options.");
      return EXIT_USAGE;
    }
    if (options.help() && options.command() == null) {
      printHelp(out, commands);
      return 0;
    }
    if (options.command() != null) {
      return runCommand(options, commands, in, out, err);
    }
    if (options.headless()) {
      return startHeadless(options, out, err);
    }
    try {
      DureApplication.Running running =
          DureApplication.start(
              options.dataDir(),
              options.port(),
              options.p2pPort(),
              options.listen(),
              options.lan(),
              options.dht(),
              options.bootstrap());
      out.println("Dure is running at " + running.url());
      out.flush();
      return STARTED;
    } catch (RuntimeException e) {
      err.println("dure: could not start the web UI: " + rootMessage(e));
      return 1;
    }
  }

  private static int startHeadless(DureOptions options, PrintStream out, PrintStream err) {
    try {
      HeadlessDure running =
          HeadlessDure.start(
              options.dataDir(),
              options.p2pPort(),
              options.listen(),
              options.lan(),
              options.dhtOptions());
      PeerNode.Status status = running.node().status();
      for (String address : status.addresses()) {
        out.println("Listening for peers on " + address);
      }
      if (!status.online()) {
        String why = running.node().lastError();
        out.println("Offline" + (why == null ? " (./dure offline off to go online)" : ": " + why));
      }
      out.println(
          "Dure is running headless as " + status.peerId() + "; local API " + running.apiUrl());
      out.flush();
      return STARTED;
    } catch (Exception e) {
      err.println("dure: could not start: " + rootMessage(e));
      return 1;
    }
  }

  private static int runCommand(
      DureOptions options,
      CommandRegistry commands,
      java.io.InputStream in,
      PrintStream out,
      PrintStream err) {
    Command command = commands.find(options.command()).orElse(null);
    if (command == null) {
      err.println("dure: unknown command: " + options.command());
      err.println("Try 'dure --help' for the commands.");
      return EXIT_USAGE;
    }
    List<String> commandArgs = options.commandArgs();
    if (options.help()) {
      commandArgs = prepend("--help", commandArgs);
    }
    try {
      return command.run(commandArgs, new Command.Context(options.dataDir(), out, err, in));
    } catch (Exception e) {
      err.println("dure " + command.name() + ": " + rootMessage(e));
      return 1;
    }
  }

  /** Prints the options and commands. */
  public static void printHelp(PrintStream out, CommandRegistry commands) {
    out.println("Usage: dure [OPTIONS] [COMMAND [ARGS...]]");
    out.println();
    out.println("Dure, a local-first peer-to-peer wiki. Without a command, starts the web UI");
    out.println("on http://127.0.0.1:PORT/ and prints its address.");
    out.println();
    out.println("Options:");
    out.println("  --data DIR   data directory (default: ~/.dure)");
    out.println(
        "  --port N     HTTP port on 127.0.0.1 (default: "
            + DureOptions.DEFAULT_PORT
            + "; 0 = any free port)");
    out.println(
        "  --p2p-port N TCP port for peers on all interfaces (default: 4001, or any free port if"
            + " taken; 0 = any)");
    out.println(
        "  --listen MA  listen for peers on this multiaddr instead (repeatable), e.g."
            + " /ip4/0.0.0.0/tcp/4001");
    out.println("  --headless   run without the web UI: an always-on peer, driven by the commands");
    out.println("  --no-lan     do not look for Dure nodes on the local network (mDNS)");
    out.println(
        "  --bootstrap MA  DHT bootstrap peer (repeatable), e.g. /ip4/192.0.2.7/tcp/4001/p2p/12D3KooW…;"
            + " 'none' leaves out the public IPFS bootstrap peers");
    out.println("  --no-dht     no DHT: friends are found only at addresses already known");
    out.println("  -h, --help   show this help and exit");
    if (!commands.all().isEmpty()) {
      out.println();
      out.println("Commands:");
      for (Command command : commands.all()) {
        out.println(String.format(Locale.ROOT, "  %-12s %s", command.name(), command.summary()));
      }
    }
  }

  private static List<String> prepend(String first, List<String> rest) {
    String[] all = new String[rest.size() + 1];
    all[0] = first;
    for (int i = 0; i < rest.size(); i++) {
      all[i + 1] = rest.get(i);
    }
    return List.of(all);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String message = t.getMessage();
    return message == null ? t.getClass().getSimpleName() : message;
  }
}

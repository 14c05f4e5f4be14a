package org.dure.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dure.net.multiaddr.Multiaddr;
import org.junit.jupiter.api.Test;

class DureMainTest {

  private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
  private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
  private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

  private int run(CommandRegistry commands, String... args) {
    return DureMain.run(List.of(args), commands, out, err);
  }

  private String out() {
    return outBytes.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return errBytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void helpListsTheOptionsAndExitsZero() {
    assertEquals(0, run(new CommandRegistry(), "--help"));
    String help = out();
    assertTrue(help.startsWith("Usage: dure"), help);
    assertTrue(help.contains("--data DIR"), help);
    assertTrue(help.contains("--port N"), help);
    assertTrue(help.contains("--help"), help);
    assertTrue(help.contains("~/.dure"), help);
    assertTrue(help.contains("8080"), help);
    assertFalse(help.contains("Commands:"), "no commands registered: " + help);
    assertEquals("", err());
  }

  @Test
  void shortHelpWorksToo() {
    assertEquals(0, run(new CommandRegistry(), "-h"));
    assertTrue(out().contains("--port N"));
  }

  @Test
  void helpListsRegisteredCommands() {
    CommandRegistry commands = new CommandRegistry().register(new Recording("status"));
    assertEquals(0, run(commands, "--help"));
    assertTrue(out().contains("Commands:"), out());
    assertTrue(out().contains("status"), out());
    assertTrue(out().contains("summary of status"), out());
  }

  @Test
  void unknownOptionExitsTwoWithAClearMessage() {
    assertEquals(DureMain.EXIT_USAGE, run(new CommandRegistry(), "--bogus"));
    assertTrue(err().contains("unknown option: --bogus"), err());
    assertTrue(err().contains("--help"), err());
    assertEquals("", out());
  }

  @Test
  void badValuesExitTwo() {
    for (List<String> args :
        List.of(
            List.of("--port"),
            List.of("--port", "http"),
            List.of("--port", "65536"),
            List.of("--port=-1"),
            List.of("--data"),
            List.of("--data="),
            List.of("--help=yes"))) {
      errBytes.reset();
      assertEquals(
          DureMain.EXIT_USAGE,
          DureMain.run(args, new CommandRegistry(), out, err),
          "exit code for " + args);
      assertTrue(err().startsWith("dure: "), args + " -> " + err());
    }
  }

  @Test
  void unknownCommandExitsTwo() {
    assertEquals(DureMain.EXIT_USAGE, run(new CommandRegistry(), "frobnicate"));
    assertTrue(err().contains("unknown command: frobnicate"), err());
  }

  @Test
  void aKnownCommandIsRunInsteadOfTheWebApp() {
    Recording net = new Recording("net");
    CommandRegistry commands = new CommandRegistry().register(net);
    assertEquals(7, run(commands, "--data", "/tmp/x", "net", "serve", "--port", "9000"));
    assertEquals(List.of("serve", "--port", "9000"), net.args);
    assertEquals(Path.of("/tmp/x"), net.context.dataDir());
  }

  @Test
  void helpBeforeACommandIsPassedToTheCommand() {
    Recording net = new Recording("net");
    assertEquals(7, run(new CommandRegistry().register(net), "--help", "net", "serve"));
    assertEquals(List.of("--help", "serve"), net.args);
  }

  @Test
  void aFailingCommandExitsOne() {
    Command failing =
        new Recording("boom") {
          @Override
          public int run(List<String> args, Context context) {
            throw new IllegalStateException("it broke");
          }
        };
    assertEquals(1, run(new CommandRegistry().register(failing), "boom"));
    assertTrue(err().contains("it broke"), err());
  }

  @Test
  void optionsHaveDefaults() throws Exception {
    DureOptions options = DureOptions.parse(List.of());
    assertEquals(DureOptions.defaultDataDir(), options.dataDir());
    assertEquals(8080, options.port());
    assertFalse(options.help());
    assertNull(options.command());
  }

  @Test
  void optionsAcceptBothSpellingsAndPortZero() throws Exception {
    DureOptions a = DureOptions.parse(List.of("--data", "/d", "--port", "0"));
    DureOptions b = DureOptions.parse(List.of("--data=/d", "--port=0"));
    assertEquals(a, b);
    assertEquals(0, a.port());
    assertEquals(Path.of("/d"), a.dataDir());
  }

  @Test
  void theDhtIsOnWithThePublicBootstrapPeerUnlessToldOtherwise() throws Exception {
    var defaults = DureOptions.parse(List.of()).dhtOptions();
    assertTrue(defaults.publicBootstrap());
    assertTrue(defaults.bootstrap().isEmpty());
    String peer =
        "/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWA4Xop1JaT3MHxwYMkCepYsv4iPVopMXwCz5iHYdBfeSB";
    var mine = DureOptions.parse(List.of("--bootstrap", peer, "--bootstrap=none")).dhtOptions();
    assertFalse(mine.publicBootstrap(), "none removes the public peer");
    assertEquals(List.of(Multiaddr.parse(peer)), mine.bootstrap());
    assertNull(DureOptions.parse(List.of("--no-dht")).dhtOptions());
    for (List<String> bad :
        List.of(
            List.of("--bootstrap", "/ip4/127.0.0.1/tcp/4001"),
            List.of("--bootstrap", "nonsense"),
            List.of("--bootstrap"),
            List.of("--no-dht=yes"))) {
      errBytes.reset();
      assertEquals(
          DureMain.EXIT_USAGE, DureMain.run(bad, new CommandRegistry(), out, err), bad.toString());
      assertTrue(err().startsWith("dure: "), bad + " -> " + err());
    }
  }

  @Test
  void tildeInDataIsTheHomeDirectory() throws Exception {
    DureOptions options = DureOptions.parse(List.of("--data=~/wiki"));
    assertEquals(Path.of(System.getProperty("user.home"), "wiki"), options.dataDir());
  }

  @Test
  void registryRejectsDuplicatesAndOptionLikeNames() {
    CommandRegistry registry = new CommandRegistry().register(new Recording("net"));
    assertThrows(IllegalArgumentException.class, () -> registry.register(new Recording("net")));
    assertThrows(IllegalArgumentException.class, () -> registry.register(new Recording("-x")));
  }

  @Test
  void theStandardRegistryBuilds() {
    // The launcher's own registry must not throw (e.g. on a duplicate name).
    CommandRegistry.standard().all().forEach(c -> assertFalse(c.name().isBlank()));
  }

  /** A command that remembers how it was called and exits 7. */
  private static class Recording implements Command {
    private final String name;
    List<String> args = new ArrayList<>();
    Context context;

    Recording(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String summary() {
      return "summary of " + name;
    }

    @Override
    public int run(List<String> args, Context context) throws Exception {
      this.args = args;
      this.context = context;
      return 7;
    }
  }
}

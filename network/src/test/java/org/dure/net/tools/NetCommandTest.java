package org.dure.net.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.dure.identity.Identity;
import org.dure.net.host.Connection;
import org.dure.net.host.Host;
import org.dure.net.host.Stream;
import org.dure.net.multiaddr.Multiaddr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class NetCommandTest {
  @Test
  void idPrintsPeerId() {
    KeyPair key = Identity.generateEd25519();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int rc =
        NetCommand.run(
            new String[] {"id"},
            key,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            System.err);
    assertEquals(0, rc);
    assertEquals(
        new Identity(key).peerId() + System.lineSeparator(), out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void serveEchoPrintsOneMultiaddrAndAnswersPingAndEcho() throws Exception {
    KeyPair key = Identity.generateEd25519();
    PipedInputStream pipe = new PipedInputStream();
    PrintStream out = new PrintStream(new PipedOutputStream(pipe), true, StandardCharsets.UTF_8);
    Thread server =
        Thread.ofVirtual()
            .start(() -> NetCommand.run(new String[] {"serve", "--echo"}, key, out, System.err));
    try {
      String line =
          new java.io.BufferedReader(new java.io.InputStreamReader(pipe, StandardCharsets.UTF_8))
              .readLine();
      Multiaddr addr = Multiaddr.parse(line);
      assertEquals(new Identity(key).peerId(), addr.peerId());
      assertTrue(line.startsWith("/ip4/127.0.0.1/tcp/"), line);

      ByteArrayOutputStream pingOut = new ByteArrayOutputStream();
      int rc =
          NetCommand.run(
              new String[] {"ping", line, "--count", "2"},
              Identity.generateEd25519(),
              new PrintStream(pingOut, true, StandardCharsets.UTF_8),
              System.err);
      assertEquals(0, rc);
      String printed = pingOut.toString(StandardCharsets.UTF_8);
      assertEquals(
          2,
          printed.lines().filter(l -> l.matches("ping \\d from \\S+: [0-9.]+ ms")).count(),
          printed);

      try (Host client = Host.builder().build().start()) {
        Connection c = client.dial(addr);
        try (Stream s = c.newStream(NetCommand.ECHO)) {
          s.outputStream().write("hello".getBytes(StandardCharsets.UTF_8));
          s.closeWrite();
          CompletableFuture<byte[]> back =
              CompletableFuture.supplyAsync(
                  () -> {
                    try {
                      return s.inputStream().readAllBytes();
                    } catch (java.io.IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  });
          assertEquals("hello", new String(back.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8));
        }
      }
    } finally {
      server.interrupt();
      server.join(5000);
    }
  }

  @Test
  void usageErrorsReturnTwo() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    KeyPair key = Identity.generateEd25519();
    assertEquals(2, NetCommand.run(new String[] {}, key, System.out, e));
    assertEquals(2, NetCommand.run(new String[] {"ping"}, key, System.out, e));
    assertEquals(2, NetCommand.run(new String[] {"ping", "/nope"}, key, System.out, e));
    assertEquals(2, NetCommand.run(new String[] {"serve", "--bogus"}, key, System.out, e));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage"));
  }

  @Test
  void pingToNothingFailsWithOne() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc =
        NetCommand.run(
            new String[] {"ping", "/ip4/127.0.0.1/tcp/1"},
            Identity.generateEd25519(),
            System.out,
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(1, rc);
  }
}

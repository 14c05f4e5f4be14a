package org.dure.net.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Tests the js-libp2p fixture driver itself: its JSON handling, and js-to-js runs of every peer.mjs
 * action (so a failing Java-to-js interop test can be told apart from a broken fixture). The js
 * tests need {@code .ci/install-node22.sh} to have been run.
 */
class JsPeerTest {

  private static final Duration T = Duration.ofSeconds(60);

  /** Ed25519 seed 00 01 .. 1f and the peer id js-libp2p derives from it. */
  private static final String SEED =
      "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

  private static final String SEED_PEER_ID = "12D3KooWA4Xop1JaT3MHxwYMkCepYsv4iPVopMXwCz5iHYdBfeSB";

  /** Some other valid Ed25519 peer id. */
  private static final String OTHER_PEER_ID =
      "12D3KooWQvAyhCLmWgjbx5a33AcDUjCuobx2iv4ibjpmBoWgq2gV";

  @Test
  void parsesAndWritesJson() {
    JsPeer.Event e =
        JsPeer.Event.parse(
            "{\"event\":\"x\",\"n\":-12,\"d\":1.5e3,\"b\":true,\"z\":null,"
                + "\"l\":[\"a\",\"b\\\"\\u00e9\\n\"],\"o\":{\"k\":[]}}");
    assertEquals("x", e.name());
    assertEquals(-12, e.longValue("n"));
    assertEquals(1500.0, e.doubleValue("d"));
    assertTrue(e.bool("b"));
    assertTrue(e.has("z"));
    assertNull(e.get("z"));
    assertEquals(List.of("a", "b\"\u00e9\n"), e.strings("l"));
    assertEquals(List.of(), e.object("o").get("k"));
    assertThrows(IllegalArgumentException.class, () -> JsPeer.Event.parse("{\"a\":1,}"));
    assertThrows(IllegalArgumentException.class, () -> JsPeer.Event.parse("[1] x"));

    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cmd", "echo");
    m.put("bytes", 10);
    m.put("s", "q\"\\\n\u0001");
    m.put("l", Arrays.asList(1, null, true));
    String json = JsPeer.Json.write(m);
    assertEquals(
        "{\"cmd\":\"echo\",\"bytes\":10,\"s\":\"q\\\"\\\\\\n\\u0001\",\"l\":[1,null,true]}", json);
    Map<String, Object> parsed = new LinkedHashMap<>(m);
    parsed.put("bytes", 10L); // integral JSON numbers come back as Long
    parsed.put("l", Arrays.asList(1L, null, true));
    assertEquals(parsed, JsPeer.Json.parse(json));
  }

  @Test
  @Tag("js-interop")
  void oneShotActionsAgainstJsListener() {
    try (JsPeer js = JsPeer.listen("--key-seed", SEED)) {
      assertEquals(SEED_PEER_ID, js.peerId());
      String ma = js.multiaddr();
      assertTrue(ma.startsWith("/ip4/127.0.0.1/tcp/") && ma.endsWith("/p2p/" + SEED_PEER_ID), ma);

      JsPeer.Result ping = JsPeer.run(T, "ping", ma, "3");
      assertTrue(ping.ok(), ping::toString);
      assertEquals(3, ping.all("ping").size(), ping::toString);

      JsPeer.Result id = JsPeer.run(T, "identify", ma);
      assertTrue(id.ok(), id::toString);
      JsPeer.Event ident = id.require("identify");
      assertEquals(SEED_PEER_ID, ident.string("peerId"));
      assertTrue(ident.bool("publicKeyMatches"), ident::raw);
      assertTrue(ident.strings("protocols").contains(JsPeer.ECHO_PROTOCOL), ident::raw);
      assertTrue(ident.string("agentVersion").startsWith("js-libp2p/"), ident::raw);

      JsPeer.Result echo = JsPeer.run(T, "echo", ma, "1000000");
      assertTrue(echo.ok(), echo::toString);
      assertTrue(echo.require("echo").bool("match"), echo::toString);
      assertEquals(1_000_000, echo.require("echo").longValue("bytes"));

      JsPeer.Result streams = JsPeer.run(T, "streams", ma, "40", "50000");
      assertTrue(streams.ok(), streams::toString);
      assertTrue(streams.require("streams").bool("allMatched"), streams::toString);

      JsPeer.Result sink = JsPeer.run(T, "throughput", ma, "20000000");
      assertTrue(sink.ok(), sink::toString);
      assertEquals(20_000_000, sink.require("throughput").longValue("ackedBytes"));

      String wrongId = ma.replace(SEED_PEER_ID, OTHER_PEER_ID);
      JsPeer.Result fail = JsPeer.run(T, "dial-expect-fail", wrongId);
      assertTrue(fail.ok(), fail::toString);
      assertTrue(fail.require("dial-expect-fail").bool("failed"), fail::toString);

      JsPeer.Result wrongPing = JsPeer.run(T, "ping", wrongId);
      assertFalse(wrongPing.ok(), wrongPing::toString);
      assertTrue(wrongPing.event("error").isPresent(), wrongPing::toString);

      // the listener saw the dialers and served echo + sink
      js.awaitEvent("connection:open", T);
      JsPeer.Event served =
          js.awaitEvent(
              e -> "served".equals(e.name()) && JsPeer.SINK_PROTOCOL.equals(e.get("protocol")),
              "sink served",
              T);
      assertEquals(20_000_000, served.longValue("bytes"));
    }
  }

  @Test
  @Tag("js-interop")
  void listenModeCommandsAndIdentifyPush() {
    try (JsPeer a = JsPeer.listen();
        JsPeer b = JsPeer.listen()) {
      JsPeer.Result ping = b.call("ping", T, "addr", a.multiaddr(), "count", 2);
      assertTrue(ping.ok(), ping::toString);
      assertEquals(2, ping.all("ping").size(), ping::toString);
      b.awaitEvent(
          e -> "peer:identify".equals(e.name()) && a.peerId().equals(e.get("peerId")),
          "identify of a",
          T);

      JsPeer.Result handled = a.call("handle", T, "protocol", "/dure/new/1.0.0");
      assertTrue(handled.ok(), handled::toString);
      JsPeer.Event push =
          b.awaitEvent(
              e ->
                  "peer:identify".equals(e.name())
                      && e.strings("protocols").contains("/dure/new/1.0.0"),
              "identify push with /dure/new/1.0.0",
              T);
      assertEquals(a.peerId(), push.string("peerId"));

      JsPeer.Result echo = b.call("echo", T, "addr", a.multiaddr(), "bytes", 4096, "seed", 7);
      assertTrue(echo.ok(), echo::toString);
      assertTrue(echo.require("echo").bool("match"), echo::toString);

      JsPeer.Result bad = b.call("no-such-command", T);
      assertFalse(bad.ok(), bad::toString);
    }
  }
}

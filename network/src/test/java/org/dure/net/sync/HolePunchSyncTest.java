package org.dure.net.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.dure.net.Await;
import org.dure.net.dcutr.DcutrConfig;
import org.dure.net.dcutr.DcutrService;
import org.dure.net.host.Connection;
import org.dure.net.host.Host;
import org.dure.net.host.UploadLimiter;
import org.dure.net.multiaddr.Multiaddr;
import org.dure.net.relay.RelayClient;
import org.dure.net.relay.RelayConfig;
import org.dure.net.relay.RelayPolicy;
import org.dure.net.relay.RelayService;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.Space;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes that meet through a relay punch a hole (DCUtR on 127.0.0.1, private addresses allowed),
 * sync moves to the direct connection, the relayed one closes, and the relay carries nothing more.
 */
@Timeout(60)
class HolePunchSyncTest {
  @TempDir Path dir;

  @Test
  void syncMovesToThePunchedConnectionAndTheRelayCarriesNothingMore() throws Exception {
    DcutrConfig punch = DcutrConfig.defaults().withAllowPrivateAddresses(true);
    try (Host r = Host.builder().listen("/ip4/127.0.0.1/tcp/0").build().start();
        RelayService relay =
            new RelayService(
                    r, RelayConfig.defaults(), RelayPolicy.allowingAll(new UploadLimiter()))
                .start();
        SyncNode a = new SyncNode(dir.resolve("a"), false);
        SyncNode b = new SyncNode(dir.resolve("b"), false);
        RelayClient aRelay = new RelayClient(a.host).start();
        RelayClient bRelay = new RelayClient(b.host).start();
        DcutrService aPunch = new DcutrService(a.host, punch.withDirectDialFirst(false)).start();
        DcutrService bPunch = new DcutrService(b.host, punch.withDirectDialFirst(false)).start()) {
      bRelay.reserve(r.listenAddresses().get(0));
      Space space = a.store.createSpace("Village");
      PageSummary page = a.store.createPage(space.id(), "Harvest", "one\n", Optional.empty());
      a.share(space.id(), b, Role.EDITOR);

      Multiaddr viaRelay =
          Multiaddr.parse(r.listenAddresses().get(0) + "/p2p-circuit").withPeerId(b.id());
      Connection relayed = a.host.dial(viaRelay);
      assertTrue(relayed.isRelayed());

      await(
          "a hole-punched connection on both sides",
          () -> punched(a.host, b) != null && punched(b.host, a) != null);
      await("the relayed connection closed", () -> !relayed.isOpen());
      try {
        await("b has the page", () -> body(b, page).equals("one\n"));
      } catch (AssertionError e) {
        throw new AssertionError(
            "a: "
                + a.host.connectionManager().connections()
                + " sessions "
                + a.sync.peers()
                + "; b: "
                + b.host.connectionManager().connections()
                + " sessions "
                + b.sync.peers()
                + " spaces "
                + b.store.spaces(),
            e);
      }
      Connection direct = punched(a.host, b);
      assertEquals("hole-punched", direct.kind());
      await(
          "only the direct connection is left",
          () ->
              a.host.connectionManager().connections(b.id()).stream()
                  .noneMatch(Connection::isRelayed));
      await("a sync session runs on the direct connection", () -> a.sync.hasSession(b.id()));

      await("the circuit is gone from the relay", () -> relay.activeCircuits() == 0);
      long relayedBytes = relay.relayedBytes();
      a.store.replaceText(page.id(), "one\ntwo\n", Optional.empty());
      b.store.replaceText(page.id(), "zero\none\n", Optional.empty());
      await(
          "both edits on both sides",
          () ->
              body(a, page).equals("zero\none\ntwo\n") && body(b, page).equals("zero\none\ntwo\n"));
      assertEquals(relayedBytes, relay.relayedBytes(), "the relay carried nothing more");
    }
  }

  @Test
  void whenEveryPunchFailsTheRelayedConnectionStaysAndSyncGoesOn() throws Exception {
    DcutrConfig punch =
        DcutrConfig.defaults()
            .withAllowPrivateAddresses(true)
            .withDirectDialFirst(false)
            .withDialTimeout(Duration.ofSeconds(1));
    try (Host r = Host.builder().listen("/ip4/127.0.0.1/tcp/0").build().start();
        RelayService relay =
            new RelayService(
                    r, RelayConfig.defaults(), RelayPolicy.allowingAll(new UploadLimiter()))
                .start();
        SyncNode a = new SyncNode(dir.resolve("a"), false);
        SyncNode b = new SyncNode(dir.resolve("b"), false);
        RelayClient aRelay = new RelayClient(a.host).start();
        RelayClient bRelay = new RelayClient(b.host).start();
        DcutrService aPunch = new DcutrService(a.host, punch).start();
        DcutrService bPunch = new DcutrService(b.host, punch).start()) {
      // As behind routers that change the port per destination: no direct dial gets through.
      a.unreachable.add(b.id());
      b.unreachable.add(a.id());
      java.util.concurrent.CompletableFuture<String> failed =
          new java.util.concurrent.CompletableFuture<>();
      bPunch.addListener(
          new org.dure.net.dcutr.HolePunchListener() {
            @Override
            public void failed(org.dure.identity.PeerId peer, String reason) {
              failed.complete(reason);
            }
          });
      bRelay.reserve(r.listenAddresses().get(0));
      Space space = a.store.createSpace("Village");
      PageSummary page = a.store.createPage(space.id(), "Harvest", "one\n", Optional.empty());
      a.share(space.id(), b, Role.EDITOR);
      Connection relayed =
          a.host.dial(
              Multiaddr.parse(r.listenAddresses().get(0) + "/p2p-circuit").withPeerId(b.id()));

      failed.get(30, java.util.concurrent.TimeUnit.SECONDS);
      assertTrue(relayed.isOpen(), "the relayed connection stays");
      assertEquals(
          List.of("relayed"),
          a.host.connectionManager().connections(b.id()).stream().map(Connection::kind).toList());
      a.store.replaceText(page.id(), "one\ntwo\n", Optional.empty());
      await("the edit arrives through the relay", () -> body(b, page).equals("one\ntwo\n"));
    }
  }

  private static Connection punched(Host h, SyncNode other) {
    for (Connection c : h.connectionManager().connections(other.id())) {
      if (c.isHolePunched() && c.isOpen()) {
        return c;
      }
    }
    return null;
  }

  private static String body(SyncNode n, PageSummary p) {
    try {
      return n.store.page(p.id()).body();
    } catch (RuntimeException e) {
      return "";
    }
  }

  private static void await(String what, BooleanSupplier done) throws InterruptedException {
    Await.until(what, Duration.ofSeconds(20), done);
  }
}

package org.dure.net.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.dure.net.Await;
import org.dure.net.host.Connection;
import org.dure.net.host.Reconnector;
import org.dure.net.multiaddr.Multiaddr;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.Space;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A connection that dies silently (the path freezes: no FIN, no RST) is noticed by the keep-alive
 * pings on both sides, the reconnector dials again once the path is back, and the edits both sides
 * made apart reach each other. Real hosts and stores; the "link" is a {@link FreezableProxy}. The
 * timing targets (noticed within 20 s, converged within 3 s of the heal) are measured by the NAT
 * lab ({@code scripts/nat-lab.sh}) on real network namespaces; here the times are only printed.
 */
@Timeout(120)
class SilentPartitionTest {
  @TempDir Path dir;

  @Test
  void aSilentlyDeadConnectionIsNoticedRedialledAndEditsMadeApartConverge() throws Exception {
    try (SyncNode a = new SyncNode(dir.resolve("a"), false);
        SyncNode b = new SyncNode(dir.resolve("b"), false);
        FreezableProxy link =
            new FreezableProxy(b.host.boundAddresses().get(0).toTcpSocketAddress())) {
      Space space = a.store.createSpace("Village");
      PageSummary page = a.store.createPage(space.id(), "Harvest", "middle\n", Optional.empty());
      a.share(space.id(), b, Role.EDITOR);
      // a reaches b only through the link; b dials nobody (it would go around the link).
      Multiaddr viaLink = Multiaddr.parse("/ip4/127.0.0.1/tcp/" + link.port());
      a.dialable = addr -> addr.withoutPeerId().equals(viaLink);
      a.host.peerStore().addAddresses(b.id(), List.of(viaLink));
      try (Reconnector r = new Reconnector(a.host, () -> Set.of(b.id()), Duration.ofSeconds(1))) {
        await("b has the page", 20_000, () -> body(b, page).equals("middle\n"));
        Connection before = a.host.connectionManager().find(b.id());
        assertNotNull(before);

        long cut = System.nanoTime();
        link.freeze();
        a.store.replaceText(page.id(), "from a\nmiddle\n", Optional.empty());
        b.store.replaceText(page.id(), "middle\nfrom b\n", Optional.empty());
        await("a notices the dead connection", 25_000, () -> !before.isOpen());
        long noticed = System.nanoTime();
        assertTrue(before.diedSilently(), "closed by the keep-alive, not by the remote");
        await(
            "b notices it too",
            25_000,
            () -> b.host.connectionManager().connections(a.id()).isEmpty());

        // Heal after a 20 s cut, as the measurement does.
        long wait = 20_000 - (System.nanoTime() - cut) / 1_000_000;
        if (wait > 0) {
          Thread.sleep(wait);
        }
        long heal = System.nanoTime();
        link.thaw();
        String merged = "from a\nmiddle\nfrom b\n";
        await(
            "both sides have both edits",
            30_000,
            () -> body(a, page).equals(merged) && body(b, page).equals(merged));
        long converged = System.nanoTime();
        assertEquals(merged, body(a, page));
        System.out.printf(
            "silent partition: noticed after %.1f s; converged %.2f s after the heal%n",
            (noticed - cut) / 1e9, (converged - heal) / 1e9);
      }
    }
  }

  private static String body(SyncNode n, PageSummary p) {
    try {
      return n.store.page(p.id()).body();
    } catch (RuntimeException e) {
      return "";
    }
  }

  private static void await(String what, long ms, BooleanSupplier done)
      throws InterruptedException {
    Await.until(what, Duration.ofMillis(ms), done);
  }
}

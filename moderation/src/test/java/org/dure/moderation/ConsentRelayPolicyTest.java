package org.dure.moderation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.dure.identity.Identity;
import org.dure.identity.PeerId;
import org.dure.net.host.Connection;
import org.dure.net.host.Host;
import org.dure.net.host.Stream;
import org.dure.net.multiaddr.Multiaddr;
import org.dure.net.relay.RelayClient;
import org.dure.net.relay.RelayConfig;
import org.dure.net.relay.RelayLimit;
import org.dure.net.relay.RelayRefusedException;
import org.dure.net.relay.RelayService;
import org.dure.net.relay.RelayStatus;
import org.dure.store.WikiStore;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.SpaceId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class ConsentRelayPolicyTest {
  private static final String SINK = "/test/sink/1.0.0";

  @TempDir Path dir;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final AtomicLong sunk = new AtomicLong();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  private static PeerId peer() {
    return new Identity(Identity.generateEd25519()).peerId();
  }

  private static void setting(Resources r, String key, String value) {
    Map<String, String> m = r.settings().toMap();
    m.put(key, value);
    r.update(ResourceSettings.fromMap(m));
  }

  @Test
  void withoutConsentOnlyMembersOfOneOfMySpacesAreRelayed() {
    try (WikiStore store = WikiStore.open(dir)) {
      Blocklist blocklist = new Blocklist(store);
      Resources resources = new Resources(store, Clock.systemUTC());
      ConsentRelayPolicy policy =
          resources.relayPolicy(new MembershipPolicy(store, blocklist), blocklist);
      SpaceId village = store.createSpace("Village").id();
      SpaceId town = store.createSpace("Town").id();
      PeerId alice = peer();
      PeerId bob = peer();
      PeerId carol = peer();
      PeerId stranger = peer();
      store.addMember(village, alice, Role.EDITOR);
      store.addMember(village, bob, Role.READER);
      store.addMember(town, carol, Role.EDITOR);

      assertFalse(resources.settings().helpOthers());
      assertTrue(policy.allowReservation(alice));
      assertTrue(policy.allowReservation(carol));
      assertFalse(policy.allowReservation(stranger));
      assertTrue(policy.allowCircuit(alice, bob));
      assertFalse(policy.allowCircuit(alice, carol), "members of different spaces");
      assertFalse(policy.allowCircuit(stranger, alice));
      assertFalse(policy.allowCircuit(alice, stranger));

      setting(resources, "consent.helpOthers", "true");
      assertTrue(policy.allowReservation(stranger));
      assertTrue(policy.allowCircuit(stranger, carol));

      blocklist.block(stranger, "test");
      assertFalse(policy.allowReservation(stranger), "never for a blocked peer");
      assertFalse(policy.allowCircuit(alice, stranger));
      assertTrue(policy.limiter() == resources.relayLimiter());
    }
  }

  private Host host() throws IOException {
    Host h = Host.builder().listen("/ip4/127.0.0.1/tcp/0").build();
    h.setHandler(
        SINK,
        s -> {
          InputStream in = s.inputStream();
          byte[] buf = new byte[64 * 1024];
          int n;
          while ((n = in.read(buf)) > 0) {
            sunk.addAndGet(n);
          }
          s.close();
        });
    h.start();
    closeables.add(h);
    return h;
  }

  private RelayClient client(Host h) {
    RelayClient c = new RelayClient(h).start();
    closeables.add(0, c);
    return c;
  }

  private static Multiaddr circuit(Host relay, Host target) {
    return Multiaddr.parse(relay.listenAddresses().get(0) + "/p2p-circuit")
        .withPeerId(target.peerId());
  }

  /**
   * A relay wired like a running Dure: members of its space are relayed, a stranger is not, and
   * relayed traffic holds to {@code cap.relayKiBps} within 5%.
   */
  @Test
  void relayFollowsMembershipAndHoldsToTheRelayCap() throws Exception {
    try (WikiStore store = WikiStore.open(dir)) {
      Blocklist blocklist = new Blocklist(store);
      Resources resources = new Resources(store, Clock.systemUTC());
      setting(resources, "cap.relayKiBps", "512");
      Host r = host();
      Host a = host();
      Host b = host();
      Host stranger = host();
      SpaceId space = store.createSpace("Village").id();
      store.addMember(space, a.peerId(), Role.EDITOR);
      store.addMember(space, b.peerId(), Role.EDITOR);
      RelayService service =
          new RelayService(
                  r,
                  RelayConfig.defaults().withLimit(RelayLimit.NONE),
                  resources.relayPolicy(new MembershipPolicy(store, blocklist), blocklist))
              .start();
      closeables.add(0, service);

      RelayRefusedException refused =
          assertThrows(
              RelayRefusedException.class,
              () -> client(stranger).reserve(r.listenAddresses().get(0)));
      assertEquals(RelayStatus.RESERVATION_REFUSED, refused.status());

      client(b).reserve(r.listenAddresses().get(0));
      RelayRefusedException denied =
          assertThrows(RelayRefusedException.class, () -> stranger.dial(circuit(r, b)));
      assertEquals(RelayStatus.PERMISSION_DENIED, denied.status());

      client(a);
      Connection ab = a.dial(circuit(r, b));
      assertEquals(b.peerId(), ab.remotePeer());
      ab.identified().get(10, TimeUnit.SECONDS);

      long cap = 512 * 1024;
      Stream s = ab.newStream(SINK);
      Thread pump =
          Thread.ofVirtual()
              .start(
                  () -> {
                    byte[] chunk = new byte[16 * 1024];
                    try {
                      while (!Thread.currentThread().isInterrupted()) {
                        s.outputStream().write(chunk);
                      }
                    } catch (IOException e) {
                      // reset at the end
                    }
                  });
      Thread.sleep(1000);
      long t0 = System.nanoTime();
      long relayed0 = service.relayedBytes();
      Thread.sleep(3500);
      long relayed = service.relayedBytes() - relayed0;
      double rate = relayed / ((System.nanoTime() - t0) / 1e9);
      pump.interrupt();
      s.reset();
      assertTrue(
          Math.abs(rate - cap) <= cap * 0.05,
          "relayed " + Math.round(rate) + " B/s against a cap of " + cap + " B/s");
      // The relayed bytes are in the ledger: in from A, out to B.
      assertTrue(r.traffic().of(b.peerId()).bytesOut() >= relayed);
      assertTrue(r.traffic().of(a.peerId()).bytesIn() >= relayed);
    }
  }
}

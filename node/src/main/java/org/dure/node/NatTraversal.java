package org.dure.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.dure.identity.PeerId;
import org.dure.net.autonat.AutonatClient;
import org.dure.net.autonat.AutonatConfig;
import org.dure.net.autonat.AutonatServer;
import org.dure.net.autonat.Reachability;
import org.dure.net.autonat.ReachabilityChecker;
import org.dure.net.dcutr.DcutrConfig;
import org.dure.net.dcutr.DcutrService;
import org.dure.net.host.Host;
import org.dure.net.multiaddr.Multiaddr;
import org.dure.net.relay.AutoRelay;
import org.dure.net.relay.RelayClient;
import org.dure.net.relay.RelayConfig;
import org.dure.net.relay.RelayPolicy;
import org.dure.net.relay.RelayService;

/**
 * Reaching and being reached through home routers, on a running host (wiring only): circuit relay
 * v2 served under the relay consent and dialled ({@code /p2p-circuit}), relay reservations kept by
 * {@link AutoRelay} on connected peers that may relay for this node, the preferred ones first;
 * AutoNAT v2 served to the peers the relay consent covers (members of my spaces; anyone with "help
 * others" on) and asked of connected peers; what it learns decides relay reservations (needed
 * unless this node is reachable) and DHT server mode ({@link DhtReach}), and adds the addresses
 * found reachable (e.g. a port forwarded by hand) to those advertised; relays are also looked for
 * among the DHT's bootstrap peers and routing table ({@link #setRelayCandidates}); and DCUtR, which
 * replaces a relayed connection with a hole-punched direct one. See {@code
 * docs/protocol/nat-traversal.md}.
 */
final class NatTraversal implements AutoCloseable {
  private final Host host;
  private final RelayService relay;
  private final RelayClient relayClient;
  private final AutoRelay autoRelay;
  private final AutonatServer server;
  private final AutonatClient client;
  private final Reachability reachability;
  private final ReachabilityChecker checker;
  private final DcutrService dcutr;
  private volatile List<Multiaddr> mapped = List.of();

  /**
   * @param consent whom this node relays for; AutoNAT requests are answered for the same peers
   *     (those it would let reserve): cheap for this node, useful for them
   * @param mayRelayForMe which connected peers may be asked for a reservation (not blocked ones)
   * @param preference which first (members of my spaces: their policy lets them relay for me)
   */
  NatTraversal(
      Host host,
      RelayPolicy consent,
      Predicate<PeerId> mayRelayForMe,
      Comparator<PeerId> preference) {
    this.host = host;
    relay = new RelayService(host, RelayConfig.defaults(), consent).start();
    relayClient = new RelayClient(host).start();
    autoRelay =
        new AutoRelay(host, relayClient)
            .setAllowed(mayRelayForMe)
            .setPreference(preference)
            .start();
    AutonatConfig config = AutonatConfig.defaults();
    server = new AutonatServer(host, config, consent::allowReservation).start();
    client = new AutonatClient(host, config).start();
    reachability =
        new Reachability(config.confirmations(), System::nanoTime)
            .setFallback(() -> AutoRelay.publiclyReachable(host));
    reachability.addListener(r -> advertise());
    checker =
        new ReachabilityChecker(host, client, reachability, config, Duration.ofMinutes(1)).start();
    autoRelay.setNeedsRelay(() -> !reachability.isPublic());
    dcutr = new DcutrService(host, DcutrConfig.defaults()).start();
  }

  /** The relays this node holds a reservation on. */
  List<PeerId> relays() {
    return autoRelay.relays();
  }

  /** What AutoNAT found out (for the network page and the DHT's server mode). */
  Reachability reachability() {
    return reachability;
  }

  DcutrService dcutr() {
    return dcutr;
  }

  /**
   * Also asks these peers for a reservation when the connected ones give too few (the DHT's
   * bootstrap peers and routing table, see {@link DhtReach#relayCandidates}); default none.
   */
  void setRelayCandidates(Supplier<Collection<PeerId>> candidates) {
    autoRelay.setCandidates(candidates);
  }

  /** The address the router's port mapping gives (empty when none), advertised with the others. */
  void setMapped(List<Multiaddr> addresses) {
    mapped = List.copyOf(addresses);
    advertise();
  }

  /** The external addresses: the port mapping's, then those AutoNAT confirmed reachable. */
  private void advertise() {
    List<Multiaddr> out = new ArrayList<>(mapped);
    for (Multiaddr a : reachability.reachableAddresses()) {
      if (!out.contains(a)) {
        out.add(a);
      }
    }
    host.setExternalAddresses(out);
  }

  @Override
  public void close() {
    dcutr.close();
    checker.close();
    client.close();
    server.close();
    relay.close();
    autoRelay.close();
    relayClient.close();
  }
}

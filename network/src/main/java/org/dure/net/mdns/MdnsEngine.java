package org.dure.net.mdns;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dure.identity.PeerId;
import org.dure.net.multiaddr.Multiaddr;
import org.dure.net.multiaddr.MultiaddrFormatException;
import org.dure.net.multiaddr.Protocol;

/**
 * The libp2p mDNS protocol (libp2p/specs {@code discovery/mdns.md}) without I/O: builds queries and
 * responses, reads incoming packets, and paces responses. Time is passed in (nanoseconds, as from
 * {@link System#nanoTime()}). Not thread-safe: {@link MdnsDiscovery} uses it from one thread.
 */
final class MdnsEngine {
  /** "dnsaddr=" prefix of each TXT string (spec: {@code dnsaddr=/.../p2p/QmId}). */
  static final String DNSADDR = "dnsaddr=";

  /** RFC 6763 §6.1: a TXT string holds at most 255 bytes. */
  static final int MAX_TXT_STRING = 255;

  /** Peers taken from one packet; the rest are ignored. */
  static final int MAX_PEERS_PER_PACKET = 16;

  /** Responses are kept below this size, under {@link DnsMessage#MAX_PACKET}. */
  static final int RESPONSE_BUDGET = 8000;

  private final PeerId self;
  private final String peerName;
  private final String instanceName;
  private final MdnsConfig config;
  private final long minResponseNanos;
  private long lastResponse;
  private boolean responded;
  private boolean responsePending;

  /** What a received packet asks for and tells. */
  record Incoming(boolean answerQuery, Map<PeerId, List<Multiaddr>> peers) {
    static final Incoming NOTHING = new Incoming(false, Map.of());
  }

  MdnsEngine(PeerId self, String peerName, MdnsConfig config) {
    if (!peerName.matches("[a-z0-9]{1,63}")) {
      throw new IllegalArgumentException("peer name must be 1 to 63 of [a-z0-9]: " + peerName);
    }
    this.self = self;
    this.peerName = peerName;
    this.instanceName = peerName + "." + config.serviceName();
    this.config = config;
    this.minResponseNanos = config.minResponseInterval().toNanos();
  }

  /**
   * A random peer name: the spec asks for "a random, lower-case alphanumeric string of at least 32
   * characters", and not the peer id (it may not fit in a 63-byte label).
   */
  static String randomPeerName(SecureRandom random) {
    String charset = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder sb = new StringBuilder(32);
    for (int i = 0; i < 32; i++) {
      sb.append(charset.charAt(random.nextInt(charset.length())));
    }
    return sb.toString();
  }

  String peerName() {
    return peerName;
  }

  /** The query of the spec: {@code _p2p._udp.local PTR}. */
  byte[] queryPacket() {
    return DnsMessage.query(List.of(DnsQuestion.of(config.serviceName(), DnsRecord.TYPE_PTR)))
        .encode();
  }

  /**
   * The response announcing {@code addresses} (from {@link #announceable}), as js-libp2p sends it:
   * answers {@code <service> PTR <peer-name>.<service>} and one {@code <peer-name>.<service> TXT
   * "dnsaddr=<multiaddr>"} per address (js-libp2p reads TXT records from the answers and the
   * additionals; go-libp2p from every section). {@code null} if there is nothing to announce.
   */
  byte[] responsePacket(List<Multiaddr> addresses) {
    if (addresses.isEmpty()) {
      return null;
    }
    long ttl = config.recordTtlSeconds();
    List<DnsRecord> answers = new ArrayList<>();
    answers.add(DnsRecord.of(config.serviceName(), ttl, new DnsRecord.Ptr(instanceName)));
    int size = 12 + config.serviceName().length() + 2 + 10 + peerName.length() + 3;
    for (Multiaddr a : addresses) {
      String txt = DNSADDR + a;
      int cost = 2 + 10 + 1 + txt.length();
      if (size + cost > RESPONSE_BUDGET) {
        break;
      }
      size += cost;
      answers.add(DnsRecord.of(instanceName, ttl, DnsRecord.Txt.ofStrings(List.of(txt))));
    }
    return DnsMessage.response(answers, List.of()).encode();
  }

  /**
   * The addresses to announce: {@code listen} without loopback addresses, with {@code 0.0.0.0} and
   * {@code ::} replaced by {@code interfaceAddresses}, each ending in {@code /p2p/<self>}, each
   * short enough for one TXT string, at most {@link MdnsConfig#maxAddressesPerPeer()}. Addresses
   * naming another peer id are left out.
   */
  List<Multiaddr> announceable(
      Collection<Multiaddr> listen, Collection<InetAddress> interfaceAddresses) {
    Set<Multiaddr> out = new LinkedHashSet<>();
    for (Multiaddr ma : listen) {
      List<Multiaddr.Component> comps = ma.components();
      if (comps.isEmpty()) {
        continue;
      }
      PeerId id = ma.peerId();
      if (id != null && !id.equals(self)) {
        continue;
      }
      Multiaddr base = ma.withoutPeerId();
      List<Multiaddr.Component> baseComps = base.components();
      if (baseComps.isEmpty()) {
        continue;
      }
      Multiaddr.Component first = baseComps.get(0);
      StringBuilder rest = new StringBuilder();
      for (Multiaddr.Component c : baseComps.subList(1, baseComps.size())) {
        rest.append(c);
      }
      List<Multiaddr> candidates = new ArrayList<>();
      if (first.protocol() == Protocol.IP4 || first.protocol() == Protocol.IP6) {
        InetAddress ip = ip(first);
        if (ip == null || ip.isLoopbackAddress()) {
          continue;
        }
        if (ip.isAnyLocalAddress()) {
          for (InetAddress ia : interfaceAddresses) {
            boolean sameFamily =
                first.protocol() == Protocol.IP4
                    ? ia instanceof Inet4Address
                    : ia instanceof Inet6Address && !ia.isLinkLocalAddress();
            if (sameFamily && !ia.isLoopbackAddress() && !ia.isAnyLocalAddress()) {
              try {
                candidates.add(
                    Multiaddr.parse("/" + first.protocol().text() + "/" + hostText(ia) + rest));
              } catch (MultiaddrFormatException e) {
                // cannot happen for components printed by Multiaddr; skip rather than fail
              }
            }
          }
        } else {
          candidates.add(base);
        }
      } else {
        candidates.add(base);
      }
      for (Multiaddr c : candidates) {
        Multiaddr full = c.withPeerId(self);
        if ((DNSADDR + full).getBytes(StandardCharsets.UTF_8).length <= MAX_TXT_STRING) {
          out.add(full);
        }
      }
    }
    return out.stream().limit(config.maxAddressesPerPeer()).toList();
  }

  /**
   * Reads a received packet: whether it is a query this node should answer, and the peers a
   * response announces.
   *
   * <p>Queries: a question for {@code <service> PTR} (or {@code ANY}), or for this node's own
   * {@code <peer-name>.<service>} (spec, "Gotchas"). Responses: every {@code TXT} string starting
   * with {@code dnsaddr=} in a record named {@code *.<service>}, in any section, that parses as a
   * multiaddr ending in {@code /p2p/<id>}; grouped by id; this node, loopback addresses and strings
   * that are not multiaddrs are skipped. RFC 6762 §18.3, §18.11: messages with a non-zero opcode or
   * response code are ignored.
   *
   * @throws DnsFormatException if the packet is malformed
   */
  Incoming onPacket(byte[] packet, int length) throws DnsFormatException {
    DnsMessage m = DnsMessage.decode(packet, 0, length);
    if (m.opcode() != 0 || m.responseCode() != 0) {
      return Incoming.NOTHING;
    }
    if (!m.isResponse()) {
      for (DnsQuestion q : m.questions()) {
        int cls = q.classWithoutFlag();
        boolean in = cls == DnsRecord.CLASS_IN || cls == DnsRecord.TYPE_ANY;
        boolean service =
            DnsName.equalsIgnoreCase(q.name(), config.serviceName())
                && (q.type() == DnsRecord.TYPE_PTR || q.type() == DnsRecord.TYPE_ANY);
        boolean instance =
            DnsName.equalsIgnoreCase(q.name(), instanceName)
                && (q.type() == DnsRecord.TYPE_TXT || q.type() == DnsRecord.TYPE_ANY);
        if (in && (service || instance)) {
          return new Incoming(true, Map.of());
        }
      }
      return Incoming.NOTHING;
    }
    String suffix = "." + DnsName.lower(config.serviceName());
    Map<PeerId, Set<Multiaddr>> found = new LinkedHashMap<>();
    List<DnsRecord> records = new ArrayList<>(m.answers());
    records.addAll(m.additionals());
    for (DnsRecord r : records) {
      if (!(r.data() instanceof DnsRecord.Txt txt)
          || !DnsName.lower(r.name()).endsWith(suffix)
          || DnsName.equalsIgnoreCase(r.name(), instanceName)) {
        continue;
      }
      for (byte[] raw : txt.strings()) {
        Multiaddr ma = dnsaddr(raw);
        if (ma == null) {
          continue;
        }
        PeerId id = ma.peerId();
        if (id == null || id.equals(self) || isLoopback(ma)) {
          continue;
        }
        Set<Multiaddr> addrs = found.get(id);
        if (addrs == null) {
          if (found.size() >= MAX_PEERS_PER_PACKET) {
            continue;
          }
          addrs = new LinkedHashSet<>();
          found.put(id, addrs);
        }
        if (addrs.size() < config.maxAddressesPerPeer()) {
          addrs.add(ma.withoutPeerId());
        }
      }
    }
    Map<PeerId, List<Multiaddr>> peers = new LinkedHashMap<>();
    found.forEach((id, addrs) -> peers.put(id, List.copyOf(addrs)));
    return new Incoming(false, peers);
  }

  /** The multiaddr of a {@code dnsaddr=} TXT string, or {@code null}. */
  private static Multiaddr dnsaddr(byte[] raw) {
    byte[] prefix = DNSADDR.getBytes(StandardCharsets.US_ASCII);
    if (raw.length <= prefix.length
        || !Arrays.equals(raw, 0, prefix.length, prefix, 0, prefix.length)) {
      return null;
    }
    String text =
        new String(raw, prefix.length, raw.length - prefix.length, StandardCharsets.UTF_8);
    try {
      Multiaddr ma = Multiaddr.parse(text);
      return ma.components().isEmpty() ? null : ma;
    } catch (MultiaddrFormatException e) {
      return null;
    }
  }

  private static boolean isLoopback(Multiaddr ma) {
    Multiaddr.Component first = ma.components().get(0);
    if (first.protocol() != Protocol.IP4 && first.protocol() != Protocol.IP6) {
      return false;
    }
    InetAddress ip = ip(first);
    return ip == null || ip.isLoopbackAddress();
  }

  private static InetAddress ip(Multiaddr.Component c) {
    try {
      return InetAddress.getByAddress(c.value());
    } catch (java.net.UnknownHostException e) {
      return null;
    }
  }

  private static String hostText(InetAddress ia) {
    String h = ia.getHostAddress();
    int pct = h.indexOf('%');
    return pct < 0 ? h : h.substring(0, pct);
  }

  /**
   * A query to answer arrived at {@code now}: returns when to send the response, or -1 if one is
   * already scheduled. Responses are at least {@link MdnsConfig#minResponseInterval()} apart, and a
   * query within that interval is answered at its end (so none goes unanswered).
   */
  long scheduleResponse(long now) {
    if (responsePending) {
      return -1;
    }
    responsePending = true;
    if (!responded || now - lastResponse >= minResponseNanos) {
      return now;
    }
    return lastResponse + minResponseNanos;
  }

  /** The scheduled response was sent (or given up) at {@code now}. */
  void responseSent(long now) {
    responsePending = false;
    responded = true;
    lastResponse = now;
  }
}

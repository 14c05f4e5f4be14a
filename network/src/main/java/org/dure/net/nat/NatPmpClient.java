package org.dure.net.nat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NAT-PMP client (RFC 6886): asks the gateway on UDP port 5351 for its external address and for a
 * TCP mapping. One request at a time; each is sent again after 250 ms, 500 ms, 1 s... (§3.1: "the
 * client retransmits the request, doubling the interval each time"), but only {@code attempts}
 * times, not the RFC's 9 (about 2 minutes): a router that has not answered within a few seconds is
 * taken not to speak NAT-PMP. The socket is connected to the gateway, so packets from other
 * addresses are never read (§3.1: the client "MUST check the source IP address, and silently
 * discard the packet if the address is not the address of the gateway").
 */
public final class NatPmpClient implements MappingProtocol {
  /** The NAT-PMP server port on the gateway. */
  public static final int PORT = 5351;

  public static final String NAME = "NAT-PMP";
  private static final Logger LOG = LoggerFactory.getLogger(NatPmpClient.class);
  private static final int MAX_PACKET = 1100; // PCP's maximum; NAT-PMP answers are 16 bytes

  private final InetSocketAddress gateway;
  private final Duration initialTimeout;
  private final int attempts;
  private volatile int lastExternalPort;

  /**
   * @param gateway the router's address and port (normally the default gateway, port {@link #PORT})
   * @param initialTimeout wait for the first answer; doubled at each retransmission (RFC: 250 ms)
   * @param attempts how many times a request is sent, at least 1
   */
  public NatPmpClient(InetSocketAddress gateway, Duration initialTimeout, int attempts) {
    this.gateway = Objects.requireNonNull(gateway);
    if (initialTimeout.toMillis() < 1 || initialTimeout.toMillis() > 60_000) {
      throw new IllegalArgumentException("initial timeout out of range: " + initialTimeout);
    }
    if (attempts < 1 || attempts > 9) {
      throw new IllegalArgumentException("attempts out of range: " + attempts);
    }
    this.initialTimeout = initialTimeout;
    this.attempts = attempts;
  }

  @Override
  public String name() {
    return NAME;
  }

  private String where() {
    return gateway.getAddress() == null
        ? gateway.getHostString() + ":" + gateway.getPort()
        : gateway.getAddress().getHostAddress() + ":" + gateway.getPort();
  }

  /** The gateway asked. */
  public InetSocketAddress gateway() {
    return gateway;
  }

  /** The router's external IPv4 address (§3.2). */
  public InetAddress externalAddress() throws IOException {
    byte[] answer = exchange(NatPmpCodec.externalAddressRequest(), NatPmpCodec.OP_EXTERNAL_ADDRESS);
    return NatPmpCodec.decodeExternalAddress(answer, answer.length);
  }

  /**
   * Maps TCP {@code internalPort}, suggesting the same external port, or when renewing the one the
   * router gave last time (§3.3: a client renewing "SHOULD" suggest the port it has), then asks for
   * the external address; if that question fails the lease has no address.
   */
  @Override
  public Lease map(int internalPort, Duration lifetime) throws IOException {
    long seconds = Math.max(1, Math.min(lifetime.toSeconds(), 0xFFFF_FFFFL));
    int suggested = lastExternalPort != 0 ? lastExternalPort : internalPort;
    byte[] answer =
        exchange(NatPmpCodec.mapRequest(internalPort, suggested, seconds), NatPmpCodec.OP_MAP_TCP);
    NatPmpCodec.MapResponse r = NatPmpCodec.decodeMap(answer, answer.length, false);
    if (r.internalPort() != internalPort) {
      throw new PortMappingException(
          "NAT-PMP: answer for port " + r.internalPort() + ", not " + internalPort);
    }
    lastExternalPort = r.externalPort();
    InetAddress external;
    try {
      external = externalAddress();
    } catch (PortMappingException e) {
      LOG.debug("NAT-PMP: mapped, but no external address: {}", e.getMessage());
      external = null;
    }
    return new Lease(
        NAME, external, r.externalPort(), internalPort, Duration.ofSeconds(r.lifetimeSeconds()));
  }

  /** Deletes the mapping: lifetime 0, external port 0 (§3.4). */
  @Override
  public void unmap(Lease lease) throws IOException {
    byte[] answer =
        exchange(NatPmpCodec.mapRequest(lease.internalPort(), 0, 0), NatPmpCodec.OP_MAP_TCP);
    NatPmpCodec.decodeMap(answer, answer.length, true);
    lastExternalPort = 0;
  }

  /**
   * Sends {@code request} and returns the first answer to {@code op} from the gateway.
   *
   * @throws PortMappingException if nothing answered in time, or the gateway's port is closed
   */
  private byte[] exchange(byte[] request, int op) throws IOException {
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.connect(gateway);
      DatagramPacket out = new DatagramPacket(request, request.length);
      byte[] buf = new byte[MAX_PACKET];
      long timeout = initialTimeout.toMillis();
      for (int i = 0; i < attempts; i++, timeout *= 2) {
        socket.send(out);
        long deadline = System.nanoTime() + timeout * 1_000_000;
        while (true) {
          DatagramPacket in;
          try {
            in = Udp.receiveBefore(socket, buf, deadline);
          } catch (PortUnreachableException e) {
            throw new PortMappingException("NAT-PMP: nothing listens on " + where());
          }
          if (in == null) {
            break;
          }
          if (NatPmpCodec.answers(buf, in.getLength(), op)) {
            return java.util.Arrays.copyOf(buf, in.getLength());
          }
          // §3.1: not an answer to this request (or another version): keep waiting.
        }
      }
    }
    throw new PortMappingException("NAT-PMP: no answer from " + where());
  }
}

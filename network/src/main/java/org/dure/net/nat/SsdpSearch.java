package org.dure.net.nat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * SSDP search for Internet gateway devices (UPnP Device Architecture 1.1 §1.3.2): an {@code
 * M-SEARCH} to {@code 239.255.255.250:1900} (or, in tests, any unicast address), then the {@code
 * LOCATION} of each answer, until the timeout or 200 ms after the first answer.
 */
final class SsdpSearch {
  static final InetSocketAddress MULTICAST = new InetSocketAddress("239.255.255.250", 1900);

  /** What is searched for: gateway devices, then the connection services themselves. */
  static final List<String> TARGETS =
      List.of(
          "urn:schemas-upnp-org:device:InternetGatewayDevice:1",
          "urn:schemas-upnp-org:device:InternetGatewayDevice:2",
          "urn:schemas-upnp-org:service:WANIPConnection:1");

  private static final int MAX_PACKET = 2048;
  private static final int MAX_ANSWERS = 16;
  private static final long GRACE_NANOS = 200_000_000L;

  /** An answer: who sent it and where its description is. */
  record Answer(InetAddress from, URI location) {}

  private SsdpSearch() {}

  static byte[] request(String target, InetSocketAddress to, int mx) {
    String host = to.getAddress() == null ? to.getHostString() : to.getAddress().getHostAddress();
    String text =
        "M-SEARCH * HTTP/1.1\r\n"
            + "HOST: "
            + host
            + ":"
            + to.getPort()
            + "\r\n"
            + "MAN: \"ssdp:discover\"\r\n"
            + "MX: "
            + mx
            + "\r\n"
            + "ST: "
            + target
            + "\r\n\r\n";
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Sends the searches and collects answers until {@code timeout} has passed or 200 ms after the
   * first answer (at most {@value #MAX_ANSWERS}, duplicates left out).
   */
  static List<Answer> search(InetSocketAddress target, Duration timeout) throws IOException {
    List<Answer> out = new ArrayList<>();
    int mx = (int) Math.max(1, Math.min(5, timeout.toSeconds()));
    try (DatagramSocket socket = new DatagramSocket()) {
      for (String st : TARGETS) {
        byte[] req = request(st, target, mx);
        socket.send(new DatagramPacket(req, req.length, target));
      }
      byte[] buf = new byte[MAX_PACKET];
      long deadline = System.nanoTime() + timeout.toNanos();
      while (out.size() < MAX_ANSWERS) {
        DatagramPacket in = Udp.receiveBefore(socket, buf, deadline);
        if (in == null) {
          break;
        }
        URI location = location(new String(buf, 0, in.getLength(), StandardCharsets.ISO_8859_1));
        if (location == null || !sameHost(location, in.getAddress())) {
          continue; // not an answer, or one pointing elsewhere than the device that sent it
        }
        Answer a = new Answer(in.getAddress(), location);
        if (!out.contains(a)) {
          out.add(a);
        }
        // Routers answer within milliseconds: once one has, others get a short grace only.
        deadline = Math.min(deadline, System.nanoTime() + GRACE_NANOS);
      }
    }
    return out;
  }

  /**
   * The {@code LOCATION} of a search answer ({@code HTTP/1.1 200 OK} with headers), if it is an
   * {@code http} URL; null for anything else.
   */
  static URI location(String answer) {
    String[] lines = answer.split("\r?\n", 64);
    if (lines.length == 0 || !lines[0].toUpperCase(Locale.ROOT).startsWith("HTTP/1.1 200")) {
      return null;
    }
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0 && lines[i].substring(0, colon).strip().equalsIgnoreCase("LOCATION")) {
        try {
          URI u = new URI(lines[i].substring(colon + 1).strip());
          return "http".equalsIgnoreCase(u.getScheme()) && u.getHost() != null ? u : null;
        } catch (URISyntaxException e) {
          return null;
        }
      }
    }
    return null;
  }

  /**
   * Whether {@code u} names the address {@code from} itself: a device on the LAN must not make Dure
   * send requests to some other host.
   */
  static boolean sameHost(URI u, InetAddress from) {
    String h = u.getHost();
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return h.equalsIgnoreCase(from.getHostAddress());
  }
}

package org.dure.api;

import java.util.Locale;
import java.util.Set;

/**
 * Which {@code Host} and {@code Origin} headers Dure's local servers (the web UI and the local API)
 * answer: only this computer's loopback names with the port the server listens on.
 *
 * <p>Against DNS rebinding: a web page at {@code http://evil.example:8080/} can make its own name
 * resolve to 127.0.0.1, but the browser still sends {@code Host: evil.example:8080} (and {@code
 * Origin: http://evil.example:8080}), so a server that answers only {@code 127.0.0.1}, {@code
 * localhost} and {@code [::1]} never serves that page. The port must be the server's own: a browser
 * always writes a port that is not the scheme's default, so a {@code Host} without one means port
 * 80 (RFC 9110, 7.2), and {@code localhost:8080} does not name a server on another port.
 */
public final class LoopbackHosts {
  /** The host names accepted, lower case; IPv6 literals in brackets as in a URL. */
  public static final Set<String> NAMES = Set.of("127.0.0.1", "localhost", "[::1]");

  private static final int MAX_HEADER = 300;

  private LoopbackHosts() {}

  /**
   * Whether a {@code Host} header names this computer's loopback and {@code port}.
   *
   * @param host the header's value, or null when there was none (refused)
   * @param port the port the server accepted the connection on
   */
  public static boolean isAllowedHost(String host, int port) {
    if (host == null || host.length() > MAX_HEADER) {
      return false;
    }
    return isAllowedAuthority(host.strip(), port);
  }

  /**
   * Whether an {@code Origin} header is this server's own, {@code http://NAME:PORT} with one of
   * {@link #NAMES}. {@code null} (no header) is for the caller to decide; the value {@code "null"}
   * (sandboxed frames, {@code file:} pages) is refused.
   */
  public static boolean isAllowedOrigin(String origin, int port) {
    if (origin == null || origin.length() > MAX_HEADER) {
      return false;
    }
    String o = origin.strip();
    String scheme = "http://";
    if (!o.regionMatches(true, 0, scheme, 0, scheme.length())) {
      return false;
    }
    // An origin is scheme, host and port: no path, no user info.
    return isAllowedAuthority(o.substring(scheme.length()), port);
  }

  /** {@code NAME[:PORT]}, the port left out only when it is 80 (HTTP's default). */
  private static boolean isAllowedAuthority(String authority, int port) {
    String a = authority.toLowerCase(Locale.ROOT);
    String name;
    String portText;
    int close = a.lastIndexOf(']');
    int colon = a.lastIndexOf(':');
    if (colon > close) {
      name = a.substring(0, colon);
      portText = a.substring(colon + 1);
    } else {
      name = a;
      portText = null;
    }
    if (!NAMES.contains(name)) {
      return false;
    }
    if (portText == null) {
      return port == 80;
    }
    return portText.equals(Integer.toString(port));
  }
}

package org.dure.app;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Locale;
import java.util.Set;
import org.dure.api.LoopbackHosts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first filter of the web UI, on every path and dispatch: answers only requests whose {@code
 * Host} is 127.0.0.1, localhost or [::1] with the port the connection came in on (421 otherwise),
 * and refuses a state-changing request (any method but GET, HEAD, OPTIONS and TRACE, or a WebSocket
 * upgrade) whose {@code Origin} is another site's (403). See {@link LoopbackHosts}.
 *
 * <p>A refused request gets a one-line plain-text answer written here, never {@code sendError}: an
 * error dispatch would render an error page, and a page is what a DNS-rebinding site must not get.
 * Requests without {@code Origin} (curl, scripts) are taken: they come from this computer's
 * programs, which the loopback address already limits to.
 */
final class LoopbackOnlyFilter implements Filter {
  private static final Logger LOG = LoggerFactory.getLogger(LoopbackOnlyFilter.class);

  /** 421 Misdirected Request: this server does not answer for that host name. */
  static final int MISDIRECTED = 421;

  private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (!(req instanceof HttpServletRequest http) || !(res instanceof HttpServletResponse out)) {
      return; // not HTTP: nothing this application serves
    }
    int port = http.getLocalPort();
    String host = http.getHeader("Host");
    if (Collections.list(http.getHeaders("Host")).size() != 1
        || !LoopbackHosts.isAllowedHost(host, port)) {
      LOG.debug(
          "Refused a request for Host {} from {}: the web UI answers only 127.0.0.1:{}",
          host,
          http.getRemoteAddr(),
          port);
      refuse(out, MISDIRECTED, "Dure answers only at http://127.0.0.1:" + port + "/");
      return;
    }
    String origin = http.getHeader("Origin");
    if (origin != null && changesState(http) && !LoopbackHosts.isAllowedOrigin(origin, port)) {
      LOG.debug("Refused a {} request from the web page of {}", http.getMethod(), origin);
      refuse(out, HttpServletResponse.SC_FORBIDDEN, "Dure takes no requests from other sites.");
      return;
    }
    chain.doFilter(req, res);
  }

  /** Whether the request may change something: not a safe method, or a WebSocket upgrade. */
  static boolean changesState(HttpServletRequest http) {
    return !SAFE_METHODS.contains(http.getMethod().toUpperCase(Locale.ROOT))
        || http.getHeader("Upgrade") != null;
  }

  private static void refuse(HttpServletResponse out, int status, String message)
      throws IOException {
    if (out.isCommitted()) {
      return;
    }
    out.resetBuffer();
    out.setStatus(status);
    out.setContentType("text/plain;charset=UTF-8");
    out.setHeader("Cache-Control", "no-store");
    byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
    out.setContentLength(body.length);
    out.getOutputStream().write(body);
    out.flushBuffer();
  }
}

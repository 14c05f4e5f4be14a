package org.dure.net.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.dure.identity.PeerId;
import org.dure.net.ProtocolViolationException;
import org.dure.net.multistream.MultistreamCodec;
import org.dure.net.multistream.MultistreamSelect;
import org.dure.net.yamux.YamuxStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol handlers of a host and the streams they serve: negotiates the protocol of each new
 * stream by multistream-select (proposing on outbound ones, answering on inbound ones), admits an
 * inbound stream only while its peer has fewer open than {@link ResourceLimits} allow, and runs the
 * handler. Thread-safe.
 */
final class StreamRouter {
  private static final Logger LOG = LoggerFactory.getLogger(StreamRouter.class);

  private final ConnectionLimits limits;
  private final ResourceLimits resourceLimits;
  private final Map<String, StreamHandler> handlers = new ConcurrentHashMap<>();
  private final Map<PeerId, AtomicInteger> inboundStreams = new ConcurrentHashMap<>();

  StreamRouter(ConnectionLimits limits, ResourceLimits resourceLimits) {
    this.limits = limits;
    this.resourceLimits = resourceLimits;
  }

  /**
   * Registers (or replaces) the handler of {@code protocol}.
   *
   * @return whether the protocol is new (not a replaced handler)
   * @throws IllegalArgumentException for an empty protocol ID, one with a newline or one too long
   *     for a multistream message
   */
  boolean set(String protocol, StreamHandler handler) {
    if (protocol.isEmpty()
        || protocol.indexOf('\n') >= 0
        || protocol.getBytes(StandardCharsets.UTF_8).length >= MultistreamCodec.MAX_MESSAGE) {
      throw new IllegalArgumentException("invalid protocol id: " + protocol);
    }
    return handlers.put(protocol, handler) == null;
  }

  /** Removes the handler of {@code protocol}; whether there was one. */
  boolean remove(String protocol) {
    return handlers.remove(protocol) != null;
  }

  boolean has(String protocol) {
    return handlers.containsKey(protocol);
  }

  /** Registered protocol IDs, sorted. */
  List<String> protocols() {
    return List.copyOf(new TreeSet<>(handlers.keySet()));
  }

  /** Opens a stream on {@code conn} and negotiates the first of {@code protocols} it supports. */
  Stream open(Connection conn, List<String> protocols) throws IOException {
    if (protocols.isEmpty()) {
      throw new IllegalArgumentException("no protocol given");
    }
    YamuxStream s = conn.session().openStream();
    try {
      s.setReadTimeout(limits.handshakeTimeout().toMillis());
      String agreed = MultistreamSelect.select(s.inputStream(), s.outputStream(), protocols);
      s.setReadTimeout(0);
      return new Stream(s, conn, agreed);
    } catch (IOException | RuntimeException e) {
      s.reset();
      throw e;
    }
  }

  /** Serves a stream the remote opened (on a handler thread): admission, negotiation, handler. */
  void serveInbound(Connection conn, YamuxStream s) {
    PeerId remote = conn.remotePeer();
    int limit = resourceLimits.maxInboundStreams(remote);
    boolean[] admitted = new boolean[1];
    inboundStreams.compute(
        remote,
        (p, open) -> {
          int n = open == null ? 0 : open.get();
          if (n >= limit) {
            return open;
          }
          admitted[0] = true;
          AtomicInteger now = open == null ? new AtomicInteger() : open;
          now.incrementAndGet();
          return now;
        });
    if (!admitted[0]) {
      // Recorded before the peer can see the reset (and, in a test, look for the record).
      resourceLimits.streamRefused(remote, limit);
      s.reset();
      return;
    }
    try {
      serveAdmitted(conn, s);
    } finally {
      // Forget a peer with no stream open: fresh identities must not grow the map.
      inboundStreams.computeIfPresent(
          remote, (p, open) -> open.decrementAndGet() <= 0 ? null : open);
    }
  }

  private void serveAdmitted(Connection conn, YamuxStream s) {
    String protocol = null;
    try {
      s.setReadTimeout(limits.handshakeTimeout().toMillis());
      protocol =
          MultistreamSelect.respond(s.inputStream(), s.outputStream(), handlers::containsKey);
      s.setReadTimeout(0);
      StreamHandler h = handlers.get(protocol);
      if (h == null) {
        s.reset();
        return;
      }
      h.handle(new Stream(s, conn, protocol));
    } catch (ProtocolViolationException e) {
      LOG.debug(
          "stream {} from {} ({}) violated protocol: {}",
          s.id(),
          conn.remotePeer(),
          protocol,
          e.getMessage());
      s.reset();
    } catch (IOException e) {
      LOG.debug(
          "stream {} from {} ({}) failed: {}", s.id(), conn.remotePeer(), protocol, e.toString());
      s.reset();
    } catch (RuntimeException e) {
      LOG.warn("handler for {} failed on stream from {}", protocol, conn.remotePeer(), e);
      s.reset();
    }
  }
}

package org.dure.net.host;

import java.io.IOException;
import java.util.function.Consumer;
import org.dure.identity.PeerId;
import org.dure.net.NetworkException;
import org.dure.net.identify.IdentifyMessage;
import org.dure.net.identify.IdentifyService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Identify and identify push on a host's connections: serves both protocols, identifies each new
 * connection, pushes to every connection when this node's addresses or protocols change, and
 * records what peers say in the peer store, the observed addresses and the connection listeners.
 * The protocol itself is {@link IdentifyService}.
 */
final class HostIdentify {
  private static final Logger LOG = LoggerFactory.getLogger(HostIdentify.class);

  private final IdentifyService service;
  private final ConnectionLimits limits;
  private final ConnectionManager connections;
  private final PeerStore peerStore;
  private final ObservedAddresses observed;
  private final LocalAddresses addresses;
  private final HostThreads threads;
  private final Consumer<Host.ListenerCall> fire;

  HostIdentify(
      IdentifyService service,
      ConnectionLimits limits,
      ConnectionManager connections,
      PeerStore peerStore,
      ObservedAddresses observed,
      LocalAddresses addresses,
      HostThreads threads,
      Consumer<Host.ListenerCall> fire) {
    this.service = service;
    this.limits = limits;
    this.connections = connections;
    this.peerStore = peerStore;
    this.observed = observed;
    this.addresses = addresses;
    this.threads = threads;
    this.fire = fire;
  }

  /** Handler of {@value IdentifyService#PROTOCOL_ID}: sends this node's message. */
  void serve(Stream s) throws IOException {
    service.respond(s.outputStream(), s.connection().remoteAddress());
    s.close();
  }

  /** Handler of {@value IdentifyService#PUSH_PROTOCOL_ID}: takes a peer's pushed message. */
  void receivePush(Stream s) throws IOException {
    s.setReadTimeout(limits.handshakeTimeout().toMillis());
    byte[] m = IdentifyService.readFrame(s.inputStream());
    s.close();
    if (m != null) {
      apply(s.connection(), IdentifyService.decode(m, s.remotePeer()), true);
    }
  }

  /** Asks the peer of a new connection who it is (on a handler thread). */
  void identify(Connection conn) {
    try (Stream s = conn.newStream(IdentifyService.PROTOCOL_ID)) {
      s.setReadTimeout(limits.handshakeTimeout().toMillis());
      byte[] m = IdentifyService.readFrame(s.inputStream());
      if (m == null) {
        throw new NetworkException("identify stream closed without a message");
      }
      IdentifyMessage msg = IdentifyService.decode(m, conn.remotePeer());
      apply(conn, msg, false);
      conn.identifiedFuture().complete(msg);
    } catch (IOException | RuntimeException e) {
      LOG.debug("identify of {} failed: {}", conn.remotePeer(), e.toString());
      conn.identifiedFuture().completeExceptionally(e);
    }
  }

  private void apply(Connection conn, IdentifyMessage msg, boolean push) {
    PeerId peer = conn.remotePeer();
    if (!msg.protocols().isEmpty() || !push) {
      peerStore.setProtocols(peer, msg.protocols());
    }
    if (!msg.listenAddrs().isEmpty()) {
      peerStore.addAddresses(peer, msg.listenAddrs());
    }
    peerStore.setAgent(peer, msg.agentVersion(), msg.protocolVersion());
    if (!push
        && msg.observedAddr() != null
        && !conn.isRelayed()
        && addresses.fromListenPort(conn)) {
      observed.record(peer, msg.observedAddr());
    }
    fire.accept(l -> l.identified(conn, msg, push));
  }

  /** Pushes this node's message to every connected peer (each on a handler thread). */
  void pushAll() {
    if (!threads.running) {
      return;
    }
    for (Connection c : connections.connections()) {
      threads.executor.execute(
          () -> {
            try (Stream s = c.newStream(IdentifyService.PUSH_PROTOCOL_ID)) {
              service.push(s.outputStream());
              s.closeWrite();
            } catch (IOException | RuntimeException e) {
              LOG.debug("identify push to {} failed: {}", c.remotePeer(), e.toString());
            }
          });
    }
  }
}

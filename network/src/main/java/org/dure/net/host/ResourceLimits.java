package org.dure.net.host;

import org.dure.identity.PeerId;

/**
 * Policy hook for the resources one peer may take from this host (the go-libp2p resource manager's
 * shape: the network enforces, the moderation module decides). Consulted on the virtual thread that
 * serves each inbound stream, before protocol negotiation; must be thread-safe and quick. The
 * default allows everything.
 */
public interface ResourceLimits {
  ResourceLimits UNLIMITED = new ResourceLimits() {};

  /**
   * Inbound streams {@code peer} may have open at once, across all its connections to this host;
   * the stream over the limit is reset (overload is not a protocol error: the peer is not
   * penalised).
   */
  default int maxInboundStreams(PeerId peer) {
    return Integer.MAX_VALUE;
  }

  /** An inbound stream of {@code peer} was reset because it had {@code limit} open already. */
  default void streamRefused(PeerId peer, int limit) {}
}

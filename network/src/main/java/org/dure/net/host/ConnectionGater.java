package org.dure.net.host;

import org.dure.identity.PeerId;
import org.dure.net.multiaddr.Multiaddr;

/**
 * Policy hook consulted before dialling, when accepting, and after the handshake authenticated the
 * remote. Implementations must be fast and non-blocking (they run on the event loop). The policy
 * itself lives in the moderation module; the default allows everything.
 */
public interface ConnectionGater {
  ConnectionGater ALLOW_ALL = new ConnectionGater() {};

  /** Before dialling {@code address}; {@code peer} is the expected peer or {@code null}. */
  default boolean allowDial(PeerId peer, Multiaddr address) {
    return true;
  }

  /** When a TCP connection from {@code remoteAddress} is accepted, before any handshake. */
  default boolean allowAccept(Multiaddr remoteAddress) {
    return true;
  }

  /** After the handshake authenticated {@code peer}. */
  default boolean allowSecured(Direction direction, PeerId peer, Multiaddr remoteAddress) {
    return true;
  }
}

package org.dure.net.base;

import org.dure.identity.InvalidPeerIdException;
import org.dure.identity.InvalidPublicKeyException;
import org.dure.identity.LibP2pPublicKey;
import org.dure.identity.PeerId;
import org.dure.net.ProtocolViolationException;

/**
 * Peer IDs and public keys read from a peer: the identity module's decoding errors become a {@link
 * ProtocolViolationException} with the same message, so the stream or connection closes as for any
 * other malformed frame.
 */
public final class WireIdentity {
  private WireIdentity() {}

  /** {@link PeerId#fromBytes}, failing as a protocol violation. */
  public static PeerId peerId(byte[] bytes) throws ProtocolViolationException {
    try {
      return PeerId.fromBytes(bytes);
    } catch (InvalidPeerIdException e) {
      throw new ProtocolViolationException(e.getMessage(), e);
    }
  }

  /** {@link LibP2pPublicKey#fromProtobuf}, failing as a protocol violation. */
  public static LibP2pPublicKey publicKey(byte[] encoded) throws ProtocolViolationException {
    try {
      return LibP2pPublicKey.fromProtobuf(encoded);
    } catch (InvalidPublicKeyException e) {
      throw new ProtocolViolationException(e.getMessage(), e);
    }
  }
}

package org.dure.net.identify;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.dure.identity.LibP2pPublicKey;
import org.dure.identity.PeerId;
import org.dure.net.ProtocolViolationException;
import org.dure.net.base.WireIdentity;
import org.dure.net.multiaddr.Multiaddr;
import org.dure.net.protocol.LengthPrefixed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The identify exchange on a stream's bytes. The responder of {@value #PROTOCOL_ID} writes this
 * node's {@link IdentifyMessage} and closes; the pusher of {@value #PUSH_PROTOCOL_ID} writes it
 * (without the observed address) whenever its addresses or protocols change. Each message is one
 * unsigned-varint length-prefixed protobuf of at most {@link IdentifyMessage#MAX_SIZE} bytes.
 * Blocking; the caller opens, times out and closes the streams.
 */
public final class IdentifyService {
  public static final String PROTOCOL_ID = "/ipfs/id/1.0.0";
  public static final String PUSH_PROTOCOL_ID = "/ipfs/id/push/1.0.0";
  public static final String PROTOCOL_VERSION = "ipfs/0.1.0";

  /** Most addresses put in one message; listen addresses give way to the announced ones. */
  public static final int MAX_ADDRESSES = 32;

  private static final Logger LOG = LoggerFactory.getLogger(IdentifyService.class);

  /** What this node says about itself; asked afresh for each message. */
  public interface LocalPeer {
    LibP2pPublicKey publicKey();

    String agentVersion();

    /** The addresses this node listens on (wildcards expanded), without {@code /p2p/}. */
    List<Multiaddr> listenAddresses();

    /**
     * Addresses announced beyond the listen ones (external, then relayed), without {@code /p2p/};
     * these are kept when there are too many addresses.
     */
    List<Multiaddr> announcedAddresses();

    /**
     * The protocols this node serves, most important first: those at the end are left out of a
     * message that would exceed {@link IdentifyMessage#MAX_SIZE}.
     */
    List<String> protocols();
  }

  private final LocalPeer local;

  public IdentifyService(LocalPeer local) {
    this.local = local;
  }

  /**
   * This node's message: at most {@value #MAX_ADDRESSES} addresses (the announced ones kept), and
   * as many protocols, from the first, as fit in {@link IdentifyMessage#MAX_SIZE} bytes (peers
   * reject larger messages: advertising fewer protocols is better than none).
   *
   * @param observed where the peer is seen from, or {@code null} (a push carries none)
   */
  public IdentifyMessage localMessage(Multiaddr observed) {
    List<Multiaddr> announced = local.announcedAddresses();
    List<Multiaddr> addrs = new ArrayList<>(local.listenAddresses());
    addrs.removeAll(announced);
    int room = Math.max(0, MAX_ADDRESSES - announced.size());
    if (addrs.size() > room) {
      addrs = new ArrayList<>(addrs.subList(0, room));
    }
    addrs.addAll(announced);
    List<String> protocols = new ArrayList<>(local.protocols());
    int all = protocols.size();
    while (true) {
      IdentifyMessage m =
          new IdentifyMessage(
              PROTOCOL_VERSION,
              local.agentVersion(),
              local.publicKey().toProtobuf(),
              addrs,
              observed,
              protocols);
      if (m.encode().length <= IdentifyMessage.MAX_SIZE || protocols.isEmpty()) {
        if (protocols.size() < all) {
          LOG.warn(
              "identify message would exceed {} bytes; advertising {} of {} protocols",
              IdentifyMessage.MAX_SIZE,
              protocols.size(),
              all);
        }
        return m;
      }
      protocols.remove(protocols.size() - 1);
    }
  }

  /**
   * Responder of {@value #PROTOCOL_ID}: writes this node's message, as seen from {@code observed}.
   */
  public void respond(OutputStream out, Multiaddr observed) throws IOException {
    LengthPrefixed.write(out, localMessage(observed).encode());
  }

  /**
   * Pusher of {@value #PUSH_PROTOCOL_ID}: writes this node's message without an observed address.
   */
  public void push(OutputStream out) throws IOException {
    LengthPrefixed.write(out, localMessage(null).encode());
  }

  /**
   * Reads one message's bytes (not yet decoded).
   *
   * @return the bytes, or {@code null} if the stream ended before a message
   * @throws ProtocolViolationException if the message claims more than {@link
   *     IdentifyMessage#MAX_SIZE} bytes (nothing is allocated for it)
   */
  public static byte[] readFrame(InputStream in) throws IOException {
    return LengthPrefixed.read(in, IdentifyMessage.MAX_SIZE);
  }

  /**
   * Decodes a message from {@code peer} and checks it: a public key in it must be {@code peer}'s.
   *
   * @throws ProtocolViolationException if the bytes are no identify message or carry another key
   */
  public static IdentifyMessage decode(byte[] frame, PeerId peer)
      throws ProtocolViolationException {
    IdentifyMessage msg = IdentifyMessage.decode(frame);
    if (msg.publicKey() != null) {
      LibP2pPublicKey key = WireIdentity.publicKey(msg.publicKey());
      if (!peer.matches(key)) {
        throw new ProtocolViolationException(
            "identify from " + peer + " carries another peer's key");
      }
    }
    return msg;
  }
}

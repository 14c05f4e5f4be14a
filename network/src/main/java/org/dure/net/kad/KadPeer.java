package org.dure.net.kad;

import java.util.ArrayList;
import java.util.List;
import org.dure.identity.PeerId;
import org.dure.net.ProtocolViolationException;
import org.dure.net.base.ProtoReader;
import org.dure.net.base.ProtoWriter;
import org.dure.net.base.WireIdentity;
import org.dure.net.multiaddr.Multiaddr;

/**
 * The kad-dht {@code Peer} (js-libp2p calls it {@code PeerInfo}):
 *
 * <pre>
 * message Peer {
 *   bytes id = 1;
 *   repeated bytes addrs = 2;
 *   ConnectionType connection = 3;
 * }
 * </pre>
 *
 * Addresses this implementation cannot parse (transports it does not know) are skipped, and only
 * the first {@link #MAX_ADDRESSES} are kept.
 */
public record KadPeer(PeerId id, List<Multiaddr> addrs, ConnectionType connection) {
  /** Addresses kept of one peer; the rest of a longer list is ignored. */
  public static final int MAX_ADDRESSES = 16;

  /** What the sender knows of its connection to the peer (informative only). */
  public enum ConnectionType {
    NOT_CONNECTED,
    CONNECTED,
    CAN_CONNECT,
    CANNOT_CONNECT
  }

  public KadPeer {
    if (id == null) {
      throw new IllegalArgumentException("peer id is required");
    }
    addrs = List.copyOf(addrs.subList(0, Math.min(addrs.size(), MAX_ADDRESSES)));
    if (connection == null) {
      connection = ConnectionType.NOT_CONNECTED;
    }
  }

  public KadPeer(PeerId id, List<Multiaddr> addrs) {
    this(id, addrs, ConnectionType.NOT_CONNECTED);
  }

  byte[] encode() {
    ProtoWriter w = new ProtoWriter().bytes(1, id.toBytes());
    for (Multiaddr a : addrs) {
      w.bytes(2, a.withoutPeerId().toBytes());
    }
    if (connection != ConnectionType.NOT_CONNECTED) {
      w.uint64(3, connection.ordinal());
    }
    return w.toByteArray();
  }

  static KadPeer decode(byte[] data) throws ProtocolViolationException {
    ProtoReader r = new ProtoReader(data);
    PeerId id = null;
    List<Multiaddr> addrs = new ArrayList<>();
    ConnectionType connection = ConnectionType.NOT_CONNECTED;
    while (r.next()) {
      switch (r.field()) {
        case 1 -> id = WireIdentity.peerId(r.bytes());
        case 2 -> {
          byte[] b = r.bytes();
          if (addrs.size() < MAX_ADDRESSES) {
            Multiaddr a = parseAddress(b);
            if (a != null) {
              addrs.add(a);
            }
          }
        }
        case 3 -> {
          long c = r.uint64();
          // An unknown value is informative only: read it as "no information".
          connection =
              c >= 0 && c < ConnectionType.values().length
                  ? ConnectionType.values()[(int) c]
                  : ConnectionType.NOT_CONNECTED;
        }
        default -> r.skip();
      }
    }
    if (id == null) {
      throw new ProtocolViolationException("kad peer without an id");
    }
    return new KadPeer(id, addrs, connection);
  }

  /** An address from the wire, without {@code /p2p/}, or {@code null} if it cannot be parsed. */
  private static Multiaddr parseAddress(byte[] bytes) {
    try {
      return Multiaddr.fromBytes(bytes).withoutPeerId();
    } catch (IllegalArgumentException | IllegalStateException e) {
      return null;
    }
  }
}

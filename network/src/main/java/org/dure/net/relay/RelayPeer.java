package org.dure.net.relay;

import java.util.ArrayList;
import java.util.List;
import org.dure.identity.PeerId;
import org.dure.net.ProtocolViolationException;
import org.dure.net.base.ProtoReader;
import org.dure.net.base.ProtoWriter;
import org.dure.net.base.WireIdentity;
import org.dure.net.multiaddr.Multiaddr;

/**
 * The circuit v2 {@code Peer}: {@code id = 1} (required), {@code addrs = 2} (repeated). Unparseable
 * addresses are skipped.
 */
public record RelayPeer(PeerId id, List<Multiaddr> addrs) {
  public RelayPeer {
    addrs = List.copyOf(addrs);
  }

  public static RelayPeer of(PeerId id) {
    return new RelayPeer(id, List.of());
  }

  byte[] encode() {
    ProtoWriter w = new ProtoWriter().bytes(1, id.toBytes());
    for (Multiaddr a : addrs) {
      w.bytes(2, a.toBytes());
    }
    return w.toByteArray();
  }

  static RelayPeer decode(byte[] data) throws ProtocolViolationException {
    ProtoReader r = new ProtoReader(data);
    PeerId id = null;
    List<Multiaddr> addrs = new ArrayList<>();
    while (r.next()) {
      switch (r.field()) {
        case 1 -> id = WireIdentity.peerId(r.bytes());
        case 2 -> addrs.add(HopMessage.parseAddress(r.bytes()));
        default -> r.skip();
      }
    }
    if (id == null) {
      throw new ProtocolViolationException("relay peer without an id");
    }
    addrs.removeIf(java.util.Objects::isNull);
    return new RelayPeer(id, addrs);
  }
}

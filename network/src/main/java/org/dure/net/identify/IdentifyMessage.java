package org.dure.net.identify;

import java.util.ArrayList;
import java.util.List;
import org.dure.net.ProtocolViolationException;
import org.dure.net.base.ProtoReader;
import org.dure.net.base.ProtoWriter;
import org.dure.net.multiaddr.Multiaddr;

/**
 * The libp2p {@code Identify} protobuf: {@code protocolVersion = 5, agentVersion = 6, publicKey =
 * 1, listenAddrs = 2 (repeated), observedAddr = 4, protocols = 3 (repeated), signedPeerRecord = 8}.
 * Unparseable multiaddrs are skipped (a peer may know protocols we do not).
 *
 * @param publicKey the protobuf {@code PublicKey}, or {@code null}
 * @param observedAddr or {@code null}
 */
public record IdentifyMessage(
    String protocolVersion,
    String agentVersion,
    byte[] publicKey,
    List<Multiaddr> listenAddrs,
    Multiaddr observedAddr,
    List<String> protocols) {
  /** Largest identify message sent or accepted (js-libp2p's default is 8 KiB). */
  public static final int MAX_SIZE = 8192;

  private static final int MAX_ENTRIES = 1024;

  public IdentifyMessage {
    listenAddrs = List.copyOf(listenAddrs);
    protocols = List.copyOf(protocols);
    publicKey = publicKey == null ? null : publicKey.clone();
  }

  public byte[] encode() {
    ProtoWriter w = new ProtoWriter();
    if (publicKey != null) {
      w.bytes(1, publicKey);
    }
    for (Multiaddr a : listenAddrs) {
      w.bytes(2, a.toBytes());
    }
    for (String p : protocols) {
      w.string(3, p);
    }
    if (observedAddr != null) {
      w.bytes(4, observedAddr.toBytes());
    }
    if (protocolVersion != null) {
      w.string(5, protocolVersion);
    }
    if (agentVersion != null) {
      w.string(6, agentVersion);
    }
    return w.toByteArray();
  }

  public static IdentifyMessage decode(byte[] data) throws ProtocolViolationException {
    if (data.length > MAX_SIZE) {
      throw new ProtocolViolationException(
          "identify message of " + data.length + " bytes too large");
    }
    ProtoReader r = new ProtoReader(data);
    String protocolVersion = null;
    String agentVersion = null;
    byte[] publicKey = null;
    Multiaddr observed = null;
    List<Multiaddr> addrs = new ArrayList<>();
    List<String> protocols = new ArrayList<>();
    while (r.next()) {
      switch (r.field()) {
        case 1 -> publicKey = r.bytes();
        case 2 -> {
          byte[] a = r.bytes();
          if (addrs.size() < MAX_ENTRIES) {
            try {
              addrs.add(Multiaddr.fromBytes(a));
            } catch (IllegalArgumentException e) {
              // unknown or malformed address: skip it
            }
          }
        }
        case 3 -> {
          String p = r.string();
          if (protocols.size() < MAX_ENTRIES) {
            protocols.add(p);
          }
        }
        case 4 -> {
          byte[] a = r.bytes();
          try {
            observed = Multiaddr.fromBytes(a);
          } catch (IllegalArgumentException e) {
            observed = null;
          }
        }
        case 5 -> protocolVersion = r.string();
        case 6 -> agentVersion = r.string();
        default -> r.skip();
      }
    }
    return new IdentifyMessage(
        protocolVersion, agentVersion, publicKey, addrs, observed, protocols);
  }

  @Override
  public byte[] publicKey() {
    return publicKey == null ? null : publicKey.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IdentifyMessage m
        && java.util.Objects.equals(m.protocolVersion, protocolVersion)
        && java.util.Objects.equals(m.agentVersion, agentVersion)
        && java.util.Arrays.equals(m.publicKey, publicKey)
        && m.listenAddrs.equals(listenAddrs)
        && java.util.Objects.equals(m.observedAddr, observedAddr)
        && m.protocols.equals(protocols);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(protocolVersion, agentVersion, listenAddrs, protocols);
  }
}

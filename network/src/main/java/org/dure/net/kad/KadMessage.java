package org.dure.net.kad;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dure.net.ProtocolViolationException;
import org.dure.net.base.ProtoReader;
import org.dure.net.base.ProtoWriter;
import org.dure.net.protocol.LengthPrefixed;

/**
 * The kad-dht {@code Message}, sent unsigned-varint length-prefixed on an {@code /ipfs/kad/1.0.0}
 * stream:
 *
 * <pre>
 * message Message {
 *   enum MessageType { PUT_VALUE = 0; GET_VALUE = 1; ADD_PROVIDER = 2; GET_PROVIDERS = 3;
 *                      FIND_NODE = 4; PING = 5; }
 *   MessageType type = 1;
 *   int32 clusterLevelRaw = 10;
 *   bytes key = 2;
 *   Record record = 3;
 *   repeated Peer closerPeers = 8;
 *   repeated Peer providerPeers = 9;
 * }
 * </pre>
 *
 * A message over {@link #MAX_SIZE} bytes, or a key over {@link #MAX_KEY} bytes, is a protocol
 * violation, refused before anything is allocated for it. Of each peer list only the first {@link
 * #MAX_PEERS} are kept. The {@code record} (used only by PUT_VALUE / GET_VALUE, which Dure does not
 * serve) is kept as opaque bytes.
 *
 * @param key empty when absent
 * @param record the encoded {@code Record}, empty when absent
 */
public record KadMessage(
    Type type,
    byte[] key,
    byte[] record,
    List<KadPeer> closerPeers,
    List<KadPeer> providerPeers,
    int clusterLevel) {
  /** Largest message read (go-libp2p-kad-dht allows 4 MiB; 20 peers with 16 addresses fit). */
  public static final int MAX_SIZE = 128 * 1024;

  /** Largest key accepted (a multihash or a record key). */
  public static final int MAX_KEY = 256;

  /** Peers kept of each list in a message; the rest is ignored. */
  public static final int MAX_PEERS = 64;

  /** The message type. */
  public enum Type {
    PUT_VALUE,
    GET_VALUE,
    ADD_PROVIDER,
    GET_PROVIDERS,
    FIND_NODE,
    PING
  }

  public KadMessage {
    if (type == null) {
      throw new IllegalArgumentException("type is required");
    }
    key = key.clone();
    record = record.clone();
    if (key.length > MAX_KEY) {
      throw new IllegalArgumentException("key of " + key.length + " bytes too long");
    }
    closerPeers = List.copyOf(closerPeers.subList(0, Math.min(closerPeers.size(), MAX_PEERS)));
    providerPeers =
        List.copyOf(providerPeers.subList(0, Math.min(providerPeers.size(), MAX_PEERS)));
  }

  @Override
  public byte[] key() {
    return key.clone();
  }

  @Override
  public byte[] record() {
    return record.clone();
  }

  public static KadMessage findNode(byte[] key) {
    return new KadMessage(Type.FIND_NODE, key, new byte[0], List.of(), List.of(), 0);
  }

  public static KadMessage getProviders(byte[] key) {
    return new KadMessage(Type.GET_PROVIDERS, key, new byte[0], List.of(), List.of(), 0);
  }

  public static KadMessage addProvider(byte[] key, KadPeer self) {
    return new KadMessage(Type.ADD_PROVIDER, key, new byte[0], List.of(), List.of(self), 0);
  }

  /** A reply of the same type and key carrying {@code closer} and {@code providers}. */
  public KadMessage reply(List<KadPeer> closer, List<KadPeer> providers) {
    return new KadMessage(type, key, new byte[0], closer, providers, clusterLevel);
  }

  public byte[] encode() {
    ProtoWriter w = new ProtoWriter().uint64(1, type.ordinal());
    if (key.length > 0) {
      w.bytes(2, key);
    }
    if (record.length > 0) {
      w.bytes(3, record);
    }
    for (KadPeer p : closerPeers) {
      w.bytes(8, p.encode());
    }
    for (KadPeer p : providerPeers) {
      w.bytes(9, p.encode());
    }
    if (clusterLevel != 0) {
      w.uint64(10, clusterLevel & 0xFFFFFFFFL);
    }
    return w.toByteArray();
  }

  /**
   * Decodes one message body.
   *
   * @throws ProtocolViolationException if it is too large, malformed, has an unknown type, a key
   *     too long, or a peer without a valid id
   */
  public static KadMessage decode(byte[] data) throws ProtocolViolationException {
    if (data.length > MAX_SIZE) {
      throw new ProtocolViolationException("kad message of " + data.length + " bytes too large");
    }
    ProtoReader r = new ProtoReader(data);
    // proto3: an absent type is PUT_VALUE (0).
    Type type = Type.PUT_VALUE;
    byte[] key = new byte[0];
    byte[] record = new byte[0];
    List<KadPeer> closer = new ArrayList<>();
    List<KadPeer> providers = new ArrayList<>();
    int clusterLevel = 0;
    while (r.next()) {
      switch (r.field()) {
        case 1 -> {
          long t = r.uint64();
          if (t < 0 || t >= Type.values().length) {
            throw new ProtocolViolationException("unknown kad message type " + t);
          }
          type = Type.values()[(int) t];
        }
        case 2 -> {
          key = r.bytes();
          if (key.length > MAX_KEY) {
            throw new ProtocolViolationException("kad key of " + key.length + " bytes too long");
          }
        }
        case 3 -> record = r.bytes();
        case 8 -> addPeer(closer, r.bytes());
        case 9 -> addPeer(providers, r.bytes());
        case 10 -> clusterLevel = (int) r.uint64();
        default -> r.skip();
      }
    }
    return new KadMessage(type, key, record, closer, providers, clusterLevel);
  }

  private static void addPeer(List<KadPeer> list, byte[] encoded)
      throws ProtocolViolationException {
    KadPeer p = KadPeer.decode(encoded); // decoded even when not kept: malformed is malformed
    if (list.size() < MAX_PEERS) {
      list.add(p);
    }
  }

  /** Writes this message, length-prefixed, and flushes. */
  public void write(OutputStream out) throws IOException {
    LengthPrefixed.write(out, encode());
  }

  /**
   * Reads one length-prefixed message.
   *
   * @return the message, or {@code null} if the stream ended cleanly before it
   * @throws ProtocolViolationException if it declares more than {@link #MAX_SIZE} bytes or is
   *     malformed
   */
  public static KadMessage read(InputStream in) throws IOException {
    byte[] m = LengthPrefixed.read(in, MAX_SIZE);
    return m == null ? null : decode(m);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KadMessage m
        && m.type == type
        && Arrays.equals(m.key, key)
        && Arrays.equals(m.record, record)
        && m.closerPeers.equals(closerPeers)
        && m.providerPeers.equals(providerPeers)
        && m.clusterLevel == clusterLevel;
  }

  @Override
  public int hashCode() {
    return type.hashCode() * 31 + Arrays.hashCode(key);
  }

  @Override
  public String toString() {
    return "KadMessage["
        + type
        + ", key "
        + key.length
        + " bytes, "
        + closerPeers.size()
        + " closer, "
        + providerPeers.size()
        + " providers]";
  }
}

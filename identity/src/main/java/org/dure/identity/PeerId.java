package org.dure.identity;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * A libp2p peer ID: the multihash of the protobuf-encoded public key (identity multihash when the
 * encoding is at most 42 bytes, else sha2-256). Text form is base58btc without prefix ({@code
 * 12D3KooW…} for Ed25519); the CIDv1 form ({@code b…}/{@code z…}, codec libp2p-key) is parsed too.
 */
public final class PeerId implements Comparable<PeerId> {
  private static final int LIBP2P_KEY_CODEC = 0x72;
  private static final int MAX_INLINE_KEY = 42;

  /**
   * Longest text {@link #parse} reads: the CIDv1 base32 form of the longest peer ID (an identity
   * multihash of a 42-byte key) has 75 characters; anything longer is refused before decoding.
   */
  public static final int MAX_TEXT = 128;

  private final byte[] bytes;
  private final Multihash multihash;

  private PeerId(byte[] bytes, Multihash multihash) {
    this.bytes = bytes;
    this.multihash = multihash;
  }

  public static PeerId fromPublicKey(LibP2pPublicKey key) {
    byte[] encoded = key.toProtobuf();
    Multihash mh =
        encoded.length <= MAX_INLINE_KEY ? Multihash.identity(encoded) : Multihash.sha256(encoded);
    return new PeerId(mh.toBytes(), mh);
  }

  /**
   * Parses binary multihash form (as in {@code /p2p/} and identify).
   *
   * @throws InvalidPeerIdException if the bytes are not an identity or sha2-256 multihash of a key
   */
  public static PeerId fromBytes(byte[] bytes) throws InvalidPeerIdException {
    Multihash mh = Multihash.decode(bytes);
    if (mh.code() != Multihash.IDENTITY && mh.code() != Multihash.SHA2_256) {
      throw new InvalidPeerIdException("peer id uses unsupported multihash " + mh.code());
    }
    if (mh.code() == Multihash.IDENTITY && mh.digest().length > MAX_INLINE_KEY) {
      throw new InvalidPeerIdException("identity peer id too long");
    }
    return new PeerId(bytes.clone(), mh);
  }

  /**
   * Parses the text form: legacy base58btc multihash ({@code Qm…}, {@code 12D3…}) or a CIDv1 in
   * multibase.
   *
   * @throws IllegalArgumentException if the text is not a peer ID
   */
  public static PeerId parse(String text) {
    if (text.length() > MAX_TEXT) {
      throw new IllegalArgumentException(
          "invalid peer id '" + abbreviate(text) + "': longer than " + MAX_TEXT + " characters");
    }
    try {
      if (text.startsWith("Qm") || text.startsWith("1")) {
        return fromBytes(Base58.decode(text));
      }
      byte[] cid = Multibase.decode(text);
      Varint.Decoded version = Varint.decode(cid, 0);
      if (version.value() != 1) {
        throw new IllegalArgumentException("not a CIDv1 peer id: " + text);
      }
      Varint.Decoded codec = Varint.decode(cid, version.length());
      if (codec.value() != LIBP2P_KEY_CODEC) {
        throw new IllegalArgumentException("CID codec is not libp2p-key: " + text);
      }
      return fromBytes(Arrays.copyOfRange(cid, version.length() + codec.length(), cid.length));
    } catch (InvalidPeerIdException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid peer id '" + abbreviate(text) + "': " + e.getMessage(), e);
    }
  }

  /**
   * Parses only the base58btc text form ({@code 12D3KooW…}, {@code Qm…}): the form Dure stores and
   * shows, so that a peer has one text everywhere.
   *
   * @throws IllegalArgumentException if {@code text} is null or not a peer ID in that form
   */
  public static PeerId parseBase58(String text) {
    if (text == null || !(text.startsWith("Qm") || text.startsWith("1"))) {
      throw new IllegalArgumentException(
          "Not a peer ID: " + (text == null ? null : abbreviate(text)));
    }
    return parse(text);
  }

  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "…" : s;
  }

  public byte[] toBytes() {
    return bytes.clone();
  }

  /** The public key embedded in an identity peer ID, or {@code null} for hashed IDs. */
  public LibP2pPublicKey embeddedPublicKey() {
    if (multihash.code() != Multihash.IDENTITY) {
      return null;
    }
    try {
      return LibP2pPublicKey.fromProtobuf(multihash.digest());
    } catch (InvalidPublicKeyException | IllegalArgumentException e) {
      return null;
    }
  }

  /** Whether this ID is derived from {@code key}. */
  public boolean matches(LibP2pPublicKey key) {
    return equals(fromPublicKey(key));
  }

  public String toBase58() {
    return Base58.encode(bytes);
  }

  /** The CIDv1 text form in base32. */
  public String toCidString() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Varint.write(1, out);
    Varint.write(LIBP2P_KEY_CODEC, out);
    out.writeBytes(bytes);
    return Multibase.encodeBase32(out.toByteArray());
  }

  @Override
  public String toString() {
    return toBase58();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PeerId p && Arrays.equals(p.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public int compareTo(PeerId o) {
    return Arrays.compare(bytes, o.bytes);
  }
}

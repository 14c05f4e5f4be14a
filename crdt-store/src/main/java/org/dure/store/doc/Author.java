package org.dure.store.doc;

import java.util.Arrays;
import java.util.HexFormat;
import org.dure.identity.Identity;
import org.dure.identity.KeyType;
import org.dure.identity.LibP2pPublicKey;
import org.dure.identity.PeerId;

/** The author of a change: an Ed25519 public key (32 bytes), shown as a libp2p peer ID. */
public final class Author {
  private final byte[] publicKey;

  public Author(byte[] publicKey) {
    if (publicKey.length != 32) {
      throw new IllegalArgumentException(
          "An Ed25519 public key has 32 bytes, not " + publicKey.length);
    }
    this.publicKey = publicKey.clone();
  }

  /** The author that {@code identity} (an Ed25519 one) signs as. */
  public static Author of(Identity identity) {
    return new Author(identity.publicKey().data());
  }

  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** The libp2p peer ID of this key ({@code 12D3KooW...} as text). */
  public PeerId peerId() {
    return PeerId.fromPublicKey(new LibP2pPublicKey(KeyType.ED25519, publicKey));
  }

  /** A short form for tight spaces: the last 8 characters of the peer ID. */
  public String shortId() {
    String id = peerId().toString();
    return "…" + id.substring(id.length() - 8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Author a && Arrays.equals(publicKey, a.publicKey);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(publicKey);
  }

  @Override
  public String toString() {
    return "Author[" + HexFormat.of().formatHex(publicKey) + "]";
  }
}

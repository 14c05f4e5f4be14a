package org.dure.net.kad;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.dure.identity.Multihash;
import org.dure.identity.PeerId;

/**
 * The provider-record keys Dure publishes in the DHT (see {@code docs/protocol/dht.md}). Each is a
 * sha2-256 multihash (34 bytes), which stock go and js kad-dht servers accept as the key of a
 * provider record (they read it as a CIDv0).
 */
public final class KadKeys {
  /** How long one member-rendezvous key is used before the next one. */
  public static final Duration RENDEZVOUS_EPOCH = Duration.ofDays(7);

  private static final byte[] PEER_PREFIX = "dure-peer:".getBytes(StandardCharsets.US_ASCII);
  private static final String RENDEZVOUS_INFO = "dure-rendezvous-v1:";

  private KadKeys() {}

  /**
   * The key under which a node in client mode publishes where it can be reached: the multihash of
   * SHA-256({@code "dure-peer:"} ‖ peer ID bytes). Anyone who knows the peer ID can compute it.
   */
  public static byte[] peerKey(PeerId peer) {
    byte[] id = peer.toBytes();
    byte[] input = new byte[PEER_PREFIX.length + id.length];
    System.arraycopy(PEER_PREFIX, 0, input, 0, PEER_PREFIX.length);
    System.arraycopy(id, 0, input, PEER_PREFIX.length, id.length);
    return Multihash.sha256(input).toBytes();
  }

  /**
   * The key under which the holders of {@code secret} meet in epoch {@code epoch}: the multihash
   * (sha2-256 code) of HMAC-SHA256(key = secret, {@code "dure-rendezvous-v1:" + epoch}). Without
   * the secret the key looks random and cannot be linked to the key of another epoch.
   */
  public static byte[] rendezvousKey(byte[] secret, long epoch) {
    if (secret.length == 0) {
      throw new IllegalArgumentException("empty rendezvous secret");
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      byte[] digest = mac.doFinal((RENDEZVOUS_INFO + epoch).getBytes(StandardCharsets.US_ASCII));
      return new Multihash(Multihash.SHA2_256, digest).toBytes();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The rendezvous epoch of an instant: whole {@link #RENDEZVOUS_EPOCH}s since 1970. */
  public static long epoch(Instant now) {
    return Math.floorDiv(now.getEpochSecond(), RENDEZVOUS_EPOCH.toSeconds());
  }
}

package org.dure.net.kad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import org.dure.identity.Multihash;
import org.junit.jupiter.api.Test;

class KadKeysTest {
  @Test
  void peerKeyIsASha256MultihashOfThePrefixedPeerId() throws Exception {
    byte[] key = KadKeys.peerKey(KadTestPeers.peer(1));
    assertEquals(34, key.length);
    assertEquals(0x12, key[0]);
    assertEquals(0x20, key[1]);
    Multihash mh = Multihash.decode(key);
    byte[] id = KadTestPeers.peer(1).toBytes();
    byte[] input = new byte[10 + id.length];
    System.arraycopy("dure-peer:".getBytes(StandardCharsets.US_ASCII), 0, input, 0, 10);
    System.arraycopy(id, 0, input, 10, id.length);
    assertEquals(Multihash.sha256(input), mh);
  }

  @Test
  void rendezvousKeyIsHmacOfTheEpochUnderTheSecret() throws Exception {
    byte[] secret = "space-123".getBytes(StandardCharsets.UTF_8);
    byte[] k1 = KadKeys.rendezvousKey(secret, 2900);
    // RFC 2104 HMAC-SHA256, computed independently with the JDK for the same input.
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(secret, "HmacSHA256"));
    byte[] expected = mac.doFinal("dure-rendezvous-v1:2900".getBytes(StandardCharsets.US_ASCII));
    assertArrayEquals(expected, Multihash.decode(k1).digest());
    assertFalse(Arrays.equals(k1, KadKeys.rendezvousKey(secret, 2901)), "another week");
    assertFalse(
        Arrays.equals(k1, KadKeys.rendezvousKey("space-124".getBytes(), 2900)), "another space");
    assertFalse(
        HexFormat.of().formatHex(k1).contains(HexFormat.of().formatHex(secret)),
        "the secret does not appear in the key");
  }

  @Test
  void epochsAreWeeks() {
    assertEquals(0, KadKeys.epoch(Instant.ofEpochSecond(0)));
    assertEquals(0, KadKeys.epoch(Instant.ofEpochSecond(7 * 86400 - 1)));
    assertEquals(1, KadKeys.epoch(Instant.ofEpochSecond(7 * 86400)));
  }
}

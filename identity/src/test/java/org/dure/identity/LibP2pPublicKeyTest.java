package org.dure.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class LibP2pPublicKeyTest {
  private static final byte[] KEY =
      HexFormat.of().parseHex("1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e");

  @Test
  void protobufEncodingIsTheLibp2pOneAndRoundTrips() throws Exception {
    LibP2pPublicKey key = new LibP2pPublicKey(KeyType.ED25519, KEY);
    byte[] encoded = key.toProtobuf();
    // libp2p peer-ids spec: 08 01 12 20 <key>
    assertArrayEquals(HexFormat.of().parseHex("08011220"), java.util.Arrays.copyOf(encoded, 4));
    assertEquals(36, encoded.length);
    assertEquals(key, LibP2pPublicKey.fromProtobuf(encoded));
  }

  @Test
  void unknownFieldsAreSkipped() throws Exception {
    byte[] encoded = new LibP2pPublicKey(KeyType.ED25519, KEY).toProtobuf();
    byte[] withExtra = new byte[encoded.length + 3];
    System.arraycopy(encoded, 0, withExtra, 0, encoded.length);
    withExtra[encoded.length] = (3 << 3) | 2; // field 3, length-delimited
    withExtra[encoded.length + 1] = 1;
    withExtra[encoded.length + 2] = 7;
    assertEquals(
        new LibP2pPublicKey(KeyType.ED25519, KEY), LibP2pPublicKey.fromProtobuf(withExtra));
  }

  @Test
  void rejectsMalformedMessages() {
    byte[] encoded = new LibP2pPublicKey(KeyType.ED25519, KEY).toProtobuf();
    // truncated data, unknown type, missing data, wrong wire type, short Ed25519 key
    assertThrows(
        InvalidPublicKeyException.class,
        () -> LibP2pPublicKey.fromProtobuf(java.util.Arrays.copyOf(encoded, 20)));
    assertThrows(
        InvalidPublicKeyException.class,
        () -> LibP2pPublicKey.fromProtobuf(new byte[] {0x08, 0x09, 0x12, 0x00}));
    assertThrows(
        InvalidPublicKeyException.class, () -> LibP2pPublicKey.fromProtobuf(new byte[] {0x08, 1}));
    assertThrows(
        InvalidPublicKeyException.class,
        () -> LibP2pPublicKey.fromProtobuf(new byte[] {0x0a, 0x00, 0x12, 0x00}));
    assertThrows(
        InvalidPublicKeyException.class,
        () -> LibP2pPublicKey.fromProtobuf(new byte[] {0x08, 1, 0x12, 1, 5}));
  }

  @Test
  void refusesAnOversizedMessageBeforeParsingIt() {
    byte[] huge = new byte[LibP2pPublicKey.MAX_ENCODED + 1];
    InvalidPublicKeyException e =
        assertThrows(InvalidPublicKeyException.class, () -> LibP2pPublicKey.fromProtobuf(huge));
    assertEquals("public key too large: " + huge.length, e.getMessage());
  }
}

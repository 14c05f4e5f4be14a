package org.dure.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PeerIdTest {
  private static final byte[] SEED =
      HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

  @Test
  void ed25519SeedGivesTheSamePeerIdAsJsLibp2p() {
    Identity id = new Identity(Ed25519Keys.fromSeed(SEED));
    assertEquals("12D3KooWA4Xop1JaT3MHxwYMkCepYsv4iPVopMXwCz5iHYdBfeSB", id.peerId().toString());
    assertTrue(id.peerId().toString().startsWith("12D3KooW"));
  }

  @Test
  void parsesCidFormAndLegacyFormToTheSameId() {
    PeerId id = new Identity(Identity.generateEd25519()).peerId();
    assertEquals(id, PeerId.parse(id.toBase58()));
    assertEquals(id, PeerId.parse(id.toCidString()));
    assertTrue(id.toCidString().startsWith("bafz"));
  }

  @Test
  void embeddedKeyMatchesAndVerifiesSignatures() {
    Identity id = new Identity(Identity.generateEd25519());
    LibP2pPublicKey key = id.peerId().embeddedPublicKey();
    assertEquals(id.publicKey(), key);
    byte[] msg = {1, 2, 3};
    byte[] sig = id.sign(msg);
    assertTrue(key.verify(msg, sig));
    sig[0] ^= 1;
    assertFalse(key.verify(msg, sig));
    assertEquals(KeyType.ED25519, key.type());
  }

  @Test
  void ecdsaKeysHashIntoSha256PeerIds() throws Exception {
    var kpg = java.security.KeyPairGenerator.getInstance("EC");
    kpg.initialize(256);
    Identity id = new Identity(kpg.generateKeyPair());
    assertTrue(id.peerId().toString().startsWith("Qm"));
    assertTrue(id.peerId().matches(id.publicKey()));
    assertTrue(id.publicKey().verify(new byte[] {5}, id.sign(new byte[] {5})));
  }

  @Test
  void rejectsGarbageText() {
    assertThrows(IllegalArgumentException.class, () -> PeerId.parse("12D3KooW0000"));
    assertThrows(IllegalArgumentException.class, () -> PeerId.parse(""));
    assertThrows(
        IllegalArgumentException.class,
        () -> PeerId.parse("bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"));
  }

  @Test
  void binaryFormRoundTripsAndKeepsTheLibp2pTestVector() throws Exception {
    // libp2p peer-ids spec: Ed25519 key 1ed1e8fa...
    byte[] key =
        HexFormat.of().parseHex("1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e");
    PeerId id = PeerId.fromPublicKey(new LibP2pPublicKey(KeyType.ED25519, key));
    assertEquals("12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq", id.toBase58());
    assertEquals(id, PeerId.fromBytes(id.toBytes()));
    assertEquals(id, PeerId.parse(id.toBase58()));
  }

  @Test
  void rejectsAWrongLength() {
    byte[] ok = new Identity(Identity.generateEd25519()).peerId().toBytes();
    // one byte short of the declared digest length, and one byte over
    assertThrows(
        InvalidPeerIdException.class,
        () -> PeerId.fromBytes(java.util.Arrays.copyOf(ok, ok.length - 1)));
    assertThrows(
        InvalidPeerIdException.class,
        () -> PeerId.fromBytes(java.util.Arrays.copyOf(ok, ok.length + 1)));
    String text =
        PeerId.fromPublicKey(new Identity(Identity.generateEd25519()).publicKey()).toBase58();
    assertThrows(
        IllegalArgumentException.class, () -> PeerId.parse(text.substring(0, text.length() - 1)));
  }

  @Test
  void rejectsACharacterOutsideBase58() {
    String text = new Identity(Identity.generateEd25519()).peerId().toBase58();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> PeerId.parse(text.substring(0, 20) + "0" + text.substring(21)));
    assertTrue(e.getMessage().contains("invalid base58 character at 20"), e.getMessage());
  }

  @Test
  void rejectsAnUnsupportedOrOverlongMultihash() {
    // sha1 (0x11) multihash of 20 bytes: a well-formed multihash, not a peer id
    byte[] sha1 = new byte[22];
    sha1[0] = 0x11;
    sha1[1] = 20;
    InvalidPeerIdException e =
        assertThrows(InvalidPeerIdException.class, () -> PeerId.fromBytes(sha1));
    assertTrue(e.getMessage().contains("unsupported multihash"), e.getMessage());
    // an identity multihash longer than the 42 bytes a key may be inlined in
    byte[] inline = new byte[2 + 43];
    inline[1] = 43;
    assertThrows(InvalidPeerIdException.class, () -> PeerId.fromBytes(inline));
  }

  @Test
  void refusesOversizedTextBeforeDecodingIt() {
    String huge = "1".repeat(PeerId.MAX_TEXT + 1);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PeerId.parse(huge));
    assertTrue(e.getMessage().contains("longer than " + PeerId.MAX_TEXT), e.getMessage());
    // the longest real form, CIDv1 base32, stays under the limit
    assertTrue(new Identity(Identity.generateEd25519()).peerId().toCidString().length() <= 75);
  }
}

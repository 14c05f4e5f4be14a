package org.dure.net.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.dure.net.crypto.Ed25519Keys;
import org.dure.net.crypto.KeyType;
import org.dure.net.crypto.LibP2pPublicKey;
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
}

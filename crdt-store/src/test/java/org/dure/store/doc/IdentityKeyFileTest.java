package org.dure.store.doc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Signature;
import java.util.HexFormat;
import org.dure.identity.Identity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class IdentityKeyFileTest {
  @TempDir Path dir;

  @Test
  void identityIsCreatedOnceAndReloaded() throws Exception {
    Identity first = IdentityKeyFile.loadOrCreate(dir);
    Identity second = IdentityKeyFile.loadOrCreate(dir);
    assertEquals(first.peerId(), second.peerId());
    assertEquals(Author.of(first), Author.of(second));
    assertTrue(first.peerId().toString().startsWith("12D3KooW"), first.peerId().toString());
    assertNotEquals(first.peerId(), Identity.ephemeral().peerId());

    byte[] sig = second.sign("hello".getBytes());
    Signature v = Signature.getInstance("Ed25519");
    v.initVerify(first.keyPair().getPublic());
    v.update("hello".getBytes());
    assertTrue(v.verify(sig), "the reloaded key signs as the original");
  }

  @Test
  void aKeyFileWrittenBeforeKeepsItsPeerId() throws Exception {
    // identity.key as every earlier Dure wrote it: PKCS#8 (RFC 8410) of the seed 00 01 .. 1f.
    byte[] file =
        HexFormat.of()
            .parseHex(
                "302e020100300506032b657004220420"
                    + "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    Files.write(dir.resolve(IdentityKeyFile.FILE_NAME), file);
    Identity loaded = IdentityKeyFile.loadOrCreate(dir);
    // the peer ID js-libp2p derives from that seed
    assertEquals(
        "12D3KooWA4Xop1JaT3MHxwYMkCepYsv4iPVopMXwCz5iHYdBfeSB", loaded.peerId().toString());
    assertEquals(loaded.peerId(), Author.of(loaded).peerId());
    assertArrayEquals(file, Files.readAllBytes(dir.resolve(IdentityKeyFile.FILE_NAME)));
  }

  @Test
  @DisabledOnOs(value = OS.WINDOWS, disabledReason = "POSIX permissions")
  void keyFileIsReadableByTheOwnerOnly() throws Exception {
    IdentityKeyFile.loadOrCreate(dir);
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(dir.resolve(IdentityKeyFile.FILE_NAME))));
  }

  @Test
  void peerIdMatchesTheLibp2pTestVector() {
    // libp2p peer-ids spec: Ed25519 key
    // 1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e
    byte[] key =
        java.util.HexFormat.of()
            .parseHex("1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e");
    assertEquals(
        "12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq",
        new Author(key).peerId().toString());
  }
}

package org.dure.store.doc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Signature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class IdentityTest {
  @TempDir Path dir;

  @Test
  void identityIsCreatedOnceAndReloaded() throws Exception {
    Identity first = Identity.loadOrCreate(dir);
    Identity second = Identity.loadOrCreate(dir);
    assertEquals(first.peerId(), second.peerId());
    assertEquals(first.author(), second.author());
    assertTrue(first.peerId().startsWith("12D3KooW"), first.peerId());
    assertNotEquals(first.peerId(), Identity.ephemeral().peerId());

    byte[] sig = second.sign("hello".getBytes());
    Signature v = Signature.getInstance("Ed25519");
    v.initVerify(first.keyPair().getPublic());
    v.update("hello".getBytes());
    assertTrue(v.verify(sig), "the reloaded key signs as the original");
  }

  @Test
  @DisabledOnOs(value = OS.WINDOWS, disabledReason = "POSIX permissions")
  void keyFileIsReadableByTheOwnerOnly() throws Exception {
    Identity.loadOrCreate(dir);
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(dir.resolve(Identity.FILE_NAME))));
  }

  @Test
  void peerIdMatchesTheLibp2pTestVector() {
    // libp2p peer-ids spec: Ed25519 key
    // 1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e
    byte[] key =
        java.util.HexFormat.of()
            .parseHex("1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e");
    assertEquals("12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq", new Author(key).peerId());
  }
}

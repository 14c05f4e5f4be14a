package org.dure.moderation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import org.dure.identity.Identity;
import org.dure.identity.PeerId;
import org.dure.store.WikiStore;
import org.dure.store.blob.BlobManifest;
import org.dure.store.blob.BlobStore;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.SpaceId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemberBlobPolicyTest {
  @TempDir Path dir;

  private static PeerId peer() {
    return new Identity(Identity.generateEd25519()).peerId();
  }

  private static void setting(Resources r, String key, String value) {
    Map<String, String> m = r.settings().toMap();
    m.put(key, value);
    r.update(ResourceSettings.fromMap(m));
  }

  @Test
  void aBlobGoesOnlyToMembersOfASpaceItIsHeldFor() {
    try (WikiStore store = WikiStore.open(dir.resolve("store"))) {
      Blocklist blocklist = new Blocklist(store);
      Resources resources = new Resources(store, Clock.systemUTC());
      MemberBlobPolicy policy = resources.blobPolicy(new MembershipPolicy(store, blocklist));
      SpaceId village = store.createSpace("Village").id();
      SpaceId town = store.createSpace("Town").id();
      PeerId alice = peer();
      PeerId carol = peer();
      PeerId mallory = peer();
      store.addMember(village, alice, Role.READER);
      store.addMember(town, carol, Role.EDITOR);
      store.addMember(village, mallory, Role.EDITOR);

      assertTrue(policy.mayServe(alice, Set.of(village)));
      assertTrue(policy.mayServe(alice, Set.of(town, village)));
      assertFalse(policy.mayServe(carol, Set.of(village)), "a member of another space");
      assertFalse(policy.mayServe(peer(), Set.of(village)), "a stranger");
      assertFalse(policy.mayServe(alice, Set.of()), "a blob held for no space");

      store.moderation().ban(village, mallory, "test");
      assertFalse(policy.mayServe(mallory, Set.of(village)), "banned from the space");
      blocklist.block(alice, "test");
      assertFalse(policy.mayServe(alice, Set.of(village)), "blocked");
    }
  }

  @Test
  void attachmentsHeldForOthersCountAndAreCapped() throws Exception {
    try (WikiStore store = WikiStore.open(dir.resolve("store"))) {
      Resources resources = new Resources(store, Clock.systemUTC());
      BlobStore blobs = BlobStore.open(dir.resolve("blobs"), BlobStore.DEFAULT_MAX_BLOB_BYTES);
      resources.storage().countBlobs(blobs);
      MemberBlobPolicy policy =
          resources.blobPolicy(new MembershipPolicy(store, new Blocklist(store)));
      SpaceId mine = store.createSpace("Mine").id();
      SpaceId theirs = SpaceId.random(); // a space this node holds for its owner, another
      long before = resources.storage().bytes();

      blobs.put(
          "a.bin",
          "application/octet-stream",
          new ByteArrayInputStream(new byte[300_000]),
          mine.value());
      BlobManifest held =
          blobs.put(
              "b.bin",
              "application/octet-stream",
              new ByteArrayInputStream(new byte[2 * BlobManifest.CHUNK_SIZE]),
              theirs.value());
      resources.storage().countBlobs(blobs); // recount now, not in 5 s
      assertEquals(before + blobs.bytes(held.root()), resources.storage().bytes());

      setting(resources, "cap.storageForOthersMiB", "1");
      assertTrue(policy.mayKeep(mine, 50L << 20), "my own spaces are not capped");
      assertTrue(policy.mayKeep(theirs, 100_000));
      assertFalse(policy.mayKeep(theirs, 1L << 20), "over the cap with it");
      setting(resources, "cap.storageForOthersMiB", "0");
      assertTrue(policy.mayKeep(theirs, 50L << 20), "0: no cap");
    }
  }
}

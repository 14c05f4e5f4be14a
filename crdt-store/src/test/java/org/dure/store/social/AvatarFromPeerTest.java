package org.dure.store.social;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.dure.store.ForgedProfile;
import org.dure.store.TwoStores;
import org.dure.store.sync.PeerDataException;
import org.dure.store.wiki.Space;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An avatar received from a peer in its profile reaches the UI only if it is at most 128 × 128
 * pixels by its headers (and 64 KiB, PNG or JPEG): a small file claiming a huge image is dropped,
 * the rest of the profile kept. The peer writes its own profile document past its own node's
 * checks; the receiving store takes it through sync like any other.
 */
class AvatarFromPeerTest {
  private final TwoStores stores = new TwoStores();

  @AfterEach
  void close() {
    stores.close();
  }

  /** What b shows of a's profile after a wrote this avatar into it and the space synced. */
  private Profiles.Profile received(Space space, String name, String type, byte[] avatar)
      throws PeerDataException {
    ForgedProfile.write(stores.a, space.id(), name, type, avatar);
    stores.sync(space.id());
    Profiles.Profile p = stores.b.profiles().profile(stores.a.identity().peerId()).orElseThrow();
    assertEquals(name, p.name(), "the profile itself arrived");
    return p;
  }

  @Test
  void anAvatarClaimingHugeDimensionsIsDroppedAndTheProfileKept() throws Exception {
    Space space = stores.shared("Village");
    // Control: a real 128 × 128 picture arrives and is shown.
    byte[] fine = CraftedImages.real(128, 128, "png");
    Profiles.Profile ok = received(space, "Mallory 0", Avatar.PNG, fine);
    assertEquals(Optional.of(Avatar.of(Avatar.PNG, fine).orElseThrow()), ok.avatar());

    byte[] pngBomb = CraftedImages.pngClaiming(100_000, 100_000);
    assertTrue(received(space, "Mallory 1", Avatar.PNG, pngBomb).avatar().isEmpty(), "PNG");

    byte[] jpegBomb = CraftedImages.jpegClaiming(65_535, 65_535);
    assertTrue(received(space, "Mallory 2", Avatar.JPEG, jpegBomb).avatar().isEmpty(), "JPEG");

    byte[] twoFrames =
        CraftedImages.jpegWithSecondFrame(CraftedImages.real(64, 64, "jpeg"), 30_000, 30_000);
    assertTrue(
        received(space, "Mallory 3", Avatar.JPEG, twoFrames).avatar().isEmpty(), "2nd frame");

    byte[] openEnded = CraftedImages.jpegClaiming(64, 0); // height "given later"
    assertTrue(received(space, "Mallory 4", Avatar.JPEG, openEnded).avatar().isEmpty(), "DNL");

    // One pixel over what Dure stores, in a small real file: dropped too.
    byte[] justOver = CraftedImages.real(129, 40, "png");
    assertTrue(justOver.length < Avatar.MAX_BYTES);
    assertTrue(received(space, "Mallory 5", Avatar.PNG, justOver).avatar().isEmpty(), "129");

    byte[] gif = CraftedImages.real(16, 16, "gif");
    assertTrue(received(space, "Mallory 6", "image/gif", gif).avatar().isEmpty(), "GIF");

    // And a good one again is shown again.
    byte[] jpeg = CraftedImages.real(100, 128, "jpeg");
    assertTrue(received(space, "Mallory 7", Avatar.JPEG, jpeg).avatar().isPresent());
  }
}

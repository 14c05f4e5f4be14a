package org.dure.node;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.dure.identity.PeerId;
import org.dure.store.ForgedProfile;
import org.dure.store.WikiStore;
import org.dure.store.social.Avatar;
import org.dure.store.social.CraftedImages;
import org.dure.store.social.Profiles;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.Space;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member whose node writes a decompression bomb as its avatar (a small file whose header claims a
 * huge image) gets its profile to the others over the real network, but not the picture: what the
 * UI shows (the profile's avatar, turned into an {@code <img>} by {@code AuthorBadge} and {@code
 * ProfileView}) has none.
 */
class ForgedAvatarTest {
  @TempDir Path dirV;
  @TempDir Path dirM;

  @Test
  void aPeersAvatarClaimingAHugeImageNeverReachesTheUi() throws Exception {
    try (WikiStore v = WikiStore.open(dirV);
        WikiStore m = WikiStore.open(dirM);
        DureNode nodeV = DureNode.on(v, dirV).p2pPort(0).start();
        DureNode nodeM = DureNode.on(m, dirM).p2pPort(0).start()) {
      Space space = v.createSpace("Village");
      nodeM
          .peer()
          .acceptInvite(nodeV.peer().createInvite(space.id(), Role.EDITOR, Duration.ofDays(1)));
      PeerId mallory = m.identity().peerId();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (m.sync().document(Profiles.docId(space.id(), mallory)).isEmpty()) {
        // Its profile goes into the space once its membership has arrived.
        assertTrue(System.nanoTime() < deadline, "Mallory joined the space");
        if (m.spaces().stream().anyMatch(s -> s.id().equals(space.id()))
            && m.profiles().mine().isEmpty()) {
          m.profiles().save("", "", Optional.empty());
        }
        Thread.sleep(100);
      }

      byte[] pngBomb = CraftedImages.pngClaiming(100_000, 100_000);
      ForgedProfile.write(m, space.id(), "Mallory", Avatar.PNG, pngBomb);
      assertTrue(arrived(v, mallory, "Mallory").avatar().isEmpty(), "the PNG is dropped");

      byte[] jpegBomb = CraftedImages.jpegClaiming(65_535, 65_535);
      ForgedProfile.write(m, space.id(), "Mallory J", Avatar.JPEG, jpegBomb);
      assertTrue(arrived(v, mallory, "Mallory J").avatar().isEmpty(), "the JPEG is dropped");

      // Control: the same path carries a real picture of the size Dure stores.
      byte[] real = CraftedImages.real(128, 128, "png");
      ForgedProfile.write(m, space.id(), "Mallory R", Avatar.PNG, real);
      assertTrue(arrived(v, mallory, "Mallory R").avatar().isPresent(), "a real one is shown");
    }
  }

  /** {@code peer}'s profile at {@code store} once it bears {@code name}. */
  private static Profiles.Profile arrived(WikiStore store, PeerId peer, String name)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      Optional<Profiles.Profile> p = store.profiles().profile(peer);
      if (p.isPresent() && p.get().name().equals(name)) {
        return p.get();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for the profile named " + name + ": " + p);
      }
      Thread.sleep(100);
    }
  }
}

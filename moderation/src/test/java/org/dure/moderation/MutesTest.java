package org.dure.moderation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dure.identity.Identity;
import org.dure.identity.PeerId;
import org.dure.store.WikiStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MutesTest {
  @TempDir Path dir;

  private static PeerId peer() {
    return new Identity(Identity.generateEd25519()).peerId();
  }

  @Test
  void mutedPeersContentIsFilteredOutAndTheMuteSurvivesARestart() {
    PeerId loud = peer();
    PeerId quiet = peer();
    try (WikiStore store = WikiStore.open(dir)) {
      Mutes mutes = new Mutes(store);
      mutes.mute(loud, "too many posts");
      assertTrue(mutes.isMuted(loud));
      assertFalse(mutes.isMuted(quiet));
      assertEquals(
          List.of(quiet), List.of(loud, quiet, loud).stream().filter(mutes.shows()).toList());
      assertEquals(Map.of(loud, "too many posts"), mutes.list());
      assertThrows(
          IllegalArgumentException.class, () -> mutes.mute(PeerId.parseBase58("not a peer"), ""));
    }
    try (WikiStore store = WikiStore.open(dir)) {
      Mutes mutes = new Mutes(store);
      assertTrue(mutes.isMuted(loud), "kept in the store");
      mutes.unmute(loud);
      assertFalse(mutes.isMuted(loud));
      assertTrue(new Mutes(store).list().isEmpty());
    }
  }
}

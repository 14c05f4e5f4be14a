package org.dure.moderation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.dure.net.peer.Identity;
import org.dure.net.peer.PeerId;
import org.dure.store.DocumentRef;
import org.dure.store.Role;
import org.dure.store.SpaceId;
import org.dure.store.WikiStore;
import org.dure.store.format.FieldPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MembershipPolicyTest {
  @TempDir Path dir;

  private static PeerId peer() {
    return new Identity(Identity.generateEd25519()).peerId();
  }

  @Test
  void spacesGoToMembersWritesComeFromEditorsAndBlockedPeersGetNothing() {
    try (WikiStore store = WikiStore.open(dir)) {
      Blocklist blocklist = new Blocklist(store);
      MembershipPolicy policy = new MembershipPolicy(store, blocklist);
      SpaceId space = store.createSpace("Village").id();
      PeerId editor = peer();
      PeerId reader = peer();
      PeerId stranger = peer();
      store.addMember(space, editor.toString(), Role.EDITOR);
      store.addMember(space, reader.toString(), Role.READER);

      assertEquals(Set.of(space), policy.spacesFor(editor));
      assertEquals(Set.of(space), policy.spacesFor(reader));
      assertEquals(Set.of(), policy.spacesFor(stranger));
      assertTrue(policy.mayWrite(editor, space));
      assertFalse(policy.mayWrite(reader, space), "a reader's edits are not accepted");
      assertFalse(policy.mayWrite(stranger, space));

      blocklist.block(editor.toString(), "test");
      assertEquals(Set.of(), policy.spacesFor(editor));
      assertFalse(policy.mayWrite(editor, space));
    }
  }

  @Test
  void aSpaceNotHeldIsTakenOnlyFromTheInviterTheUserJoinedThrough() {
    try (WikiStore store = WikiStore.open(dir)) {
      MembershipPolicy policy = new MembershipPolicy(store, new Blocklist(store));
      SpaceId elsewhere = SpaceId.random();
      PeerId inviter = peer();
      PeerId other = peer();
      assertFalse(policy.acceptsSpace(inviter, elsewhere));
      store.invites().join(elsewhere, inviter.toString());
      assertTrue(policy.acceptsSpace(inviter, elsewhere));
      assertFalse(policy.acceptsSpace(other, elsewhere));
    }
  }

  @Test
  void membershipChangesComeFromOwnerAndModeratorsReportsFromAnyMember() {
    try (WikiStore store = WikiStore.open(dir)) {
      MembershipPolicy policy = new MembershipPolicy(store, new Blocklist(store));
      SpaceId space = store.createSpace("Village").id();
      PeerId mod = peer();
      PeerId editor = peer();
      PeerId reader = peer();
      PeerId stranger = peer();
      store.addMember(space, mod.toString(), Role.MODERATOR);
      store.addMember(space, editor.toString(), Role.EDITOR);
      store.addMember(space, reader.toString(), Role.READER);
      DocumentRef members =
          new DocumentRef(WikiStore.membershipDocId(space), DocumentRef.Kind.MEMBERS, space);
      DocumentRef moderation =
          new DocumentRef(WikiStore.moderationDocId(space), DocumentRef.Kind.MODERATION, space);
      DocumentRef index = new DocumentRef(space.value(), DocumentRef.Kind.SPACE, space);

      PeerId me = PeerId.parse(store.identity().peerId());
      assertTrue(policy.mayChange(me, members), "the owner");
      assertTrue(policy.mayChange(mod, members));
      assertFalse(policy.mayChange(editor, members));
      assertFalse(policy.mayChange(reader, members));
      assertTrue(policy.penalizesRefused(members));
      assertFalse(policy.penalizesRefused(index), "a reader relaying edits is not to blame");

      assertTrue(policy.mayChange(reader, moderation), "any member reports");
      assertFalse(policy.mayChange(stranger, moderation));
      assertTrue(policy.mayChange(editor, index));
      assertFalse(policy.mayChange(reader, index));
    }
  }

  @Test
  void onlyOwnerAndModeratorsWriteTheIndexsHiddenMap() {
    try (WikiStore store = WikiStore.open(dir)) {
      MembershipPolicy policy = new MembershipPolicy(store, new Blocklist(store));
      SpaceId space = store.createSpace("Village").id();
      PeerId mod = peer();
      PeerId editor = peer();
      store.addMember(space, mod.toString(), Role.MODERATOR);
      store.addMember(space, editor.toString(), Role.EDITOR);
      DocumentRef index = new DocumentRef(space.value(), DocumentRef.Kind.SPACE, space);
      DocumentRef page =
          new DocumentRef("abcdefghijklmnopqrstuvwxyz", DocumentRef.Kind.PAGE, space);
      FieldPath hide = new FieldPath("hidden", "abcdefghijklmnopqrstuvwxyz", null);
      long now = System.currentTimeMillis();

      assertEquals(Set.of("hidden"), policy.guardedKeys(index));
      assertEquals(Set.of(), policy.guardedKeys(page), "pages have no field rules: no cost");
      PeerId me = PeerId.parse(store.identity().peerId());
      assertTrue(policy.mayWriteField(me, index, now, hide), "the owner");
      assertTrue(policy.mayWriteField(mod, index, now, hide));
      assertFalse(policy.mayWriteField(editor, index, now, hide));
      assertFalse(policy.mayWriteField(editor, index, now, FieldPath.UNKNOWN));
      assertTrue(policy.mayAuthor(editor, index, now), "the editor still writes the rest");

      // A former moderator's hides count for what it signed before it left.
      store.removeMember(space, mod.toString());
      assertTrue(policy.mayWriteField(mod, index, now - 60_000, hide));
      assertFalse(policy.mayWriteField(mod, index, now + 60_000, hide));
    }
  }

  @Test
  void anyMemberReportsButOnlyOwnerAndModeratorsResolveAndLog() {
    try (WikiStore store = WikiStore.open(dir)) {
      MembershipPolicy policy = new MembershipPolicy(store, new Blocklist(store));
      SpaceId space = store.createSpace("Village").id();
      PeerId mod = peer();
      PeerId reader = peer();
      store.addMember(space, mod.toString(), Role.MODERATOR);
      store.addMember(space, reader.toString(), Role.READER);
      DocumentRef moderation =
          new DocumentRef(WikiStore.moderationDocId(space), DocumentRef.Kind.MODERATION, space);
      long now = System.currentTimeMillis();
      String id = "abcdefghijklmnopqrstuvwxyz";

      assertEquals(Set.of("reports", "log"), policy.guardedKeys(moderation));
      for (FieldPath own :
          List.of(
              new FieldPath("reports", id, null),
              new FieldPath("reports", id, "reporter"),
              new FieldPath("reports", id, "reason"))) {
        assertTrue(policy.mayWriteField(reader, moderation, now, own), own.toString());
      }
      for (FieldPath theirs :
          List.of(
              new FieldPath("reports", id, "resolvedBy"),
              new FieldPath("reports", id, "resolution"),
              FieldPath.of("reports"),
              FieldPath.of("log"),
              new FieldPath("log", id, "who"),
              FieldPath.UNKNOWN)) {
        assertFalse(policy.mayWriteField(reader, moderation, now, theirs), theirs.toString());
        assertTrue(policy.mayWriteField(mod, moderation, now, theirs), theirs.toString());
      }
    }
  }

  @Test
  void aBannedPeerIsOfferedNothingAndWritesNothingEvenIfReAddedConcurrently() {
    try (WikiStore store = WikiStore.open(dir)) {
      MembershipPolicy policy = new MembershipPolicy(store, new Blocklist(store));
      SpaceId space = store.createSpace("Village").id();
      PeerId bad = peer();
      store.addMember(space, bad.toString(), Role.EDITOR);
      assertEquals(Set.of(space), policy.spacesFor(bad));
      store.moderation().ban(space, bad.toString(), "spam");
      assertEquals(Set.of(), policy.spacesFor(bad));
      assertFalse(policy.mayWrite(bad, space));
      assertThrows(
          IllegalArgumentException.class,
          () -> store.addMember(space, bad.toString(), Role.EDITOR),
          "re-adding needs an unban first");
      store.moderation().unban(space, bad.toString());
      store.addMember(space, bad.toString(), Role.READER);
      assertEquals(Set.of(space), policy.spacesFor(bad));
    }
  }
}

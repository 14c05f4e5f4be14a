package org.dure.moderation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Set;
import org.dure.identity.Identity;
import org.dure.identity.PeerId;
import org.dure.store.WikiStore;
import org.dure.store.format.DocumentContext;
import org.dure.store.format.FieldPath;
import org.dure.store.format.FieldWrite;
import org.dure.store.social.Profiles;
import org.dure.store.sync.DocumentRef;
import org.dure.store.sync.DocumentView;
import org.dure.store.sync.Refusal;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.SpaceId;
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
      store.addMember(space, editor, Role.EDITOR);
      store.addMember(space, reader, Role.READER);

      assertEquals(Set.of(space), policy.spacesFor(editor));
      assertEquals(Set.of(space), policy.spacesFor(reader));
      assertEquals(Set.of(), policy.spacesFor(stranger));
      DocumentRef index = new DocumentRef(space.value(), DocumentRef.Kind.SPACE, space);
      long now = System.currentTimeMillis();
      assertTrue(policy.mayAuthor(editor, index, now));
      assertFalse(policy.mayAuthor(reader, index, now), "a reader's edits are not accepted");
      assertFalse(policy.mayAuthor(stranger, index, now));

      blocklist.block(editor, "test");
      assertEquals(Set.of(), policy.spacesFor(editor));
      assertTrue(
          policy.mayAuthor(editor, index, now),
          "a block is about connections: the member's signed edits still count, whoever relays");
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
      store.invites().join(elsewhere, inviter);
      assertTrue(policy.acceptsSpace(inviter, elsewhere));
      assertFalse(policy.acceptsSpace(other, elsewhere));
    }
  }

  @Test
  void everyMembershipWriteIsJudgedOnTheAuthorsViewAndAProfileOnlyByItsOwner() {
    try (WikiStore store = WikiStore.open(dir)) {
      MembershipPolicy policy = new MembershipPolicy(store, new Blocklist(store));
      SpaceId space = store.createSpace("Village").id();
      PeerId editor = peer();
      PeerId stranger = peer();
      store.addMember(space, editor, Role.EDITOR);
      DocumentRef members =
          new DocumentRef(WikiStore.membershipDocId(space), DocumentRef.Kind.MEMBERS, space);
      DocumentRef moderation =
          new DocumentRef(WikiStore.moderationDocId(space), DocumentRef.Kind.MODERATION, space);
      long now = System.currentTimeMillis();

      // Anyone signed may try: what it writes is judged write by write (WriteRules).
      assertTrue(policy.mayAuthor(stranger, members, now));
      assertEquals(Set.of(DocumentContext.EVERY_KEY), policy.guardedKeys(members));
      PeerId owner = store.identity().peerId();
      FieldWrite addSelf =
          FieldWrite.put(new FieldPath("members", editor.toString(), null), "moderator");
      assertNotNull(
          policy.checkWrite(editor, members, now, addSelf, MapView.membership(owner.toString())),
          "an editor makes itself a moderator");
      assertNull(
          policy.checkWrite(owner, members, now, addSelf, MapView.membership(owner.toString())));

      assertTrue(policy.mayAuthor(editor, moderation, now), "any member reports");
      assertFalse(policy.mayAuthor(stranger, moderation, now));

      DocumentRef editorsProfile =
          new DocumentRef(Profiles.docId(space, editor), DocumentRef.Kind.PROFILE, space);
      assertTrue(policy.mayAuthor(editor, editorsProfile, now));
      assertFalse(
          policy.mayAuthor(owner, editorsProfile, now),
          "not even the owner writes another member's profile");
    }
  }

  @Test
  void onlyOwnerAndModeratorsWriteTheIndexsHiddenMapAsTheMembershipHereSays() {
    try (WikiStore store = WikiStore.open(dir)) {
      MembershipPolicy policy = new MembershipPolicy(store, new Blocklist(store));
      SpaceId space = store.createSpace("Village").id();
      PeerId mod = peer();
      PeerId editor = peer();
      store.addMember(space, mod, Role.MODERATOR);
      store.addMember(space, editor, Role.EDITOR);
      DocumentRef index = new DocumentRef(space.value(), DocumentRef.Kind.SPACE, space);
      String page = "abcdefghijklmnopqrstuvwxyz";
      long now = System.currentTimeMillis();
      DocumentView seen = MapView.membership(store.identity().peerId().toString());
      FieldWrite hide =
          new FieldWrite(new FieldPath("hidden", page, null), FieldWrite.Op.MAKE, null);

      PeerId me = PeerId.parse(store.identity().peerId().toString());
      assertNull(policy.checkWrite(me, index, now, hide, seen), "the owner");
      assertNull(policy.checkWrite(mod, index, now, hide, seen));
      Refusal r = policy.checkWrite(editor, index, now, hide, seen);
      assertNotNull(r);
      assertFalse(r.authorKnew(), "roles outside the membership are read from this node's copy");
      assertNotNull(
          policy.checkWrite(editor, index, now, FieldWrite.inside(FieldPath.UNKNOWN), seen));
      assertTrue(policy.mayAuthor(editor, index, now), "the editor still writes the rest");

      // A former moderator's hides count for what it signed before it left.
      store.removeMember(space, mod);
      assertNull(policy.checkWrite(mod, index, now - 60_000, hide, seen));
      assertNotNull(policy.checkWrite(mod, index, now + 60_000, hide, seen));
    }
  }

  @Test
  void aBannedPeerIsOfferedNothingAndWritesNothingEvenIfReAddedConcurrently() {
    try (WikiStore store = WikiStore.open(dir)) {
      MembershipPolicy policy = new MembershipPolicy(store, new Blocklist(store));
      SpaceId space = store.createSpace("Village").id();
      PeerId bad = peer();
      store.addMember(space, bad, Role.EDITOR);
      assertEquals(Set.of(space), policy.spacesFor(bad));
      store.moderation().ban(space, bad, "spam");
      assertEquals(Set.of(), policy.spacesFor(bad));
      assertFalse(
          policy.mayAuthor(
              bad, new DocumentRef(space.value(), DocumentRef.Kind.SPACE, space), Long.MAX_VALUE));
      assertThrows(
          IllegalArgumentException.class,
          () -> store.addMember(space, bad, Role.EDITOR),
          "re-adding needs an unban first");
      store.moderation().unban(space, bad);
      store.addMember(space, bad, Role.READER);
      assertEquals(Set.of(space), policy.spacesFor(bad));
    }
  }
}

package org.dure.moderation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;
import org.dure.identity.Identity;
import org.dure.identity.PeerId;
import org.dure.store.StoreOptions;
import org.dure.store.WikiStore;
import org.dure.store.moderation.EditReverts;
import org.dure.store.moderation.ModerationRecords;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.SpaceId;
import org.junit.jupiter.api.Test;

class SpaceModeratorTest {
  private static WikiStore store() {
    WikiStore s = WikiStore.inMemory(Identity.ephemeral(), StoreOptions.defaults());
    s.sync().setSandbox(snapshot -> {});
    return s;
  }

  @Test
  void theOwnerRevertsAPeersEditsAndTheLogSaysSo() {
    try (WikiStore owner = store()) {
      SpaceId space = owner.createSpace("Village").id();
      Instant since = Instant.EPOCH;
      PageId page = owner.createPage(space, "P", "text", Optional.empty()).id();
      owner.replaceText(page, "text, changed", Optional.empty());
      PeerId me = owner.identity().peerId();

      EditReverts.Report r =
          new SpaceModerator(owner)
              .revertEditsBy(space, me, since, "test", EditReverts.Progress.NONE);

      assertEquals(1, r.created().size(), "a page I created since then is hidden");
      assertTrue(owner.moderation().isHidden(page));
      ModerationRecords.LogEntry last = owner.moderation().log(space).getFirst();
      assertEquals(SpaceModerator.REVERT, last.action());
      assertEquals(me.toString(), last.target());
      assertTrue(last.reason().contains("1 hidden"), last.reason());
      assertTrue(last.reason().endsWith("; test"), last.reason());
      assertEquals(SpaceModerator.HIDE, owner.moderation().log(space).get(1).action());
    }
  }

  @Test
  void onlyAMemberWhoMayWritePagesGetsAnEditableEditor() throws Exception {
    try (WikiStore owner = store();
        WikiStore editor = store();
        WikiStore reader = store()) {
      SpaceId space = owner.createSpace("Village").id();
      owner.addMember(space, editor.identity().peerId(), Role.EDITOR);
      owner.addMember(space, reader.identity().peerId(), Role.READER);
      org.dure.store.InProcessSync.copyMissing(owner, editor, space);
      org.dure.store.InProcessSync.copyMissing(owner, reader, space);

      assertTrue(new SpaceModerator(owner).mayEditPages(space));
      assertTrue(new SpaceModerator(editor).mayEditPages(space));
      assertTrue(!new SpaceModerator(reader).mayEditPages(space));
      assertTrue(!new SpaceModerator(owner).mayEditPages(SpaceId.random()), "not a member");
    }
  }

  @Test
  void anEditorCannotRevertSomeonesEdits() throws Exception {
    try (WikiStore owner = store();
        WikiStore editor = store()) {
      SpaceId space = owner.createSpace("Village").id();
      owner.addMember(space, editor.identity().peerId(), Role.EDITOR);
      PageId page = owner.createPage(space, "P", "the owner's text", Optional.empty()).id();
      org.dure.store.InProcessSync.copyMissing(owner, editor, space);
      SpaceModerator moderator = new SpaceModerator(editor);
      assertEquals(Optional.of(Role.EDITOR), moderator.myRole(space));

      assertThrows(
          NotAllowedException.class,
          () ->
              moderator.revertEditsBy(
                  space, owner.identity().peerId(), Instant.EPOCH, "", EditReverts.Progress.NONE));
      assertEquals("the owner's text", editor.page(page).body());
      assertTrue(!editor.moderation().isHidden(page));
    }
  }

  @Test
  void aModeratorManagesEditorsAndReadersButNoModeratorOrTheOwner() throws Exception {
    try (WikiStore owner = store();
        WikiStore mod = store()) {
      SpaceId space = owner.createSpace("Village").id();
      PeerId other = Identity.ephemeral().peerId();
      PeerId editor = Identity.ephemeral().peerId();
      owner.addMember(space, mod.identity().peerId(), Role.MODERATOR);
      owner.addMember(space, other, Role.MODERATOR);
      owner.addMember(space, editor, Role.EDITOR);
      org.dure.store.InProcessSync.copyMissing(owner, mod, space);
      SpaceModerator m = new SpaceModerator(mod);
      PeerId o = owner.identity().peerId();

      assertEquals(
          java.util.List.of(Role.EDITOR, Role.READER), m.rolesToGive(space, Optional.empty()));
      assertEquals(java.util.List.of(), m.rolesToGive(space, Optional.of(Role.MODERATOR)));
      assertTrue(m.mayManage(space, Role.EDITOR));
      assertFalse(m.mayManage(space, Role.MODERATOR));
      assertFalse(m.mayManage(space, Role.OWNER));
      m.setRole(space, editor, Role.READER);
      assertThrows(NotAllowedException.class, () -> m.setRole(space, editor, Role.MODERATOR));
      assertThrows(NotAllowedException.class, () -> m.setRole(space, other, Role.EDITOR));
      assertThrows(NotAllowedException.class, () -> m.remove(space, other, "rival"));
      assertThrows(NotAllowedException.class, () -> m.ban(space, other, "rival"));
      assertThrows(NotAllowedException.class, () -> m.ban(space, o, "coup"));
      assertThrows(
          NotAllowedException.class,
          () -> m.invite(space, Role.MODERATOR, java.time.Duration.ofDays(1)));
      assertEquals(Optional.of(Role.MODERATOR), mod.membership(space).roleOf(other));

      SpaceModerator theOwner = new SpaceModerator(owner);
      assertEquals(
          java.util.List.of(Role.MODERATOR, Role.EDITOR, Role.READER),
          theOwner.rolesToGive(space, Optional.of(Role.MODERATOR)));
      theOwner.setRole(space, other, Role.EDITOR);
      assertEquals(Optional.of(Role.EDITOR), owner.membership(space).roleOf(other));
    }
  }
}

package org.dure.moderation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.dure.identity.Identity;
import org.dure.identity.PeerId;
import org.dure.store.StoreOptions;
import org.dure.store.TwoStores;
import org.dure.store.WikiStore;
import org.dure.store.social.Comments;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.SpaceId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Who may comment and hide, as the permission table says, for this node's user. */
class CommentRulesTest {
  private final List<WikiStore> open = new ArrayList<>();

  private WikiStore store() {
    WikiStore s = WikiStore.inMemory(Identity.ephemeral(), StoreOptions.defaults());
    s.sync().setSandbox(snapshot -> {});
    open.add(s);
    return s;
  }

  @AfterEach
  void closeAll() {
    open.forEach(WikiStore::close);
  }

  @Test
  void readersDoNotCommentEditorsDoNotHideAndAHideCountsWhileTheHiderModerates() throws Exception {
    WikiStore owner = store();
    WikiStore editor = store();
    WikiStore reader = store();
    PeerId peerE = editor.identity().peerId();
    SpaceId space = owner.createSpace("Rules").id();
    PageId page = owner.createPage(space, "P", "x", Optional.empty()).id();
    owner.addMember(space, peerE, Role.EDITOR);
    owner.addMember(space, reader.identity().peerId(), Role.READER);
    TwoStores.sync(owner, editor, space);
    TwoStores.sync(owner, reader, space);
    CommentRules byOwner = new CommentRules(owner);
    CommentRules byEditor = new CommentRules(editor);
    CommentRules byReader = new CommentRules(reader);

    Comments.Comment c = byOwner.add(page, "the owner's word");
    TwoStores.sync(owner, editor, space);
    TwoStores.sync(owner, reader, space);
    assertFalse(byReader.canComment(space));
    assertEquals(
        Comments.Reason.NOT_A_WRITER,
        assertThrows(Comments.RefusedException.class, () -> byReader.add(page, "reader")).reason());
    assertEquals(
        Comments.Reason.NOT_A_WRITER,
        assertThrows(Comments.RefusedException.class, () -> byReader.reply(page, c.id(), "r"))
            .reason());
    assertTrue(byEditor.canComment(space));
    assertFalse(byEditor.canHide(space));
    assertEquals(
        Comments.Reason.NOT_A_MODERATOR,
        assertThrows(Comments.RefusedException.class, () -> byEditor.hide(page, c.id(), true))
            .reason());
    assertEquals(1, byReader.thread(page).size(), "nothing the reader tried was recorded");
    byEditor.reply(page, c.id(), "an editor's reply");

    // A moderator hides; the hide counts while the hider is a moderator.
    owner.addMember(space, peerE, Role.MODERATOR);
    TwoStores.sync(owner, editor, space);
    assertTrue(byEditor.canHide(space));
    byEditor.hide(page, c.id(), true);
    TwoStores.sync(owner, editor, space);
    Comments.Comment seen = byOwner.thread(page).get(0).comment();
    assertTrue(seen.hidden());
    assertEquals(Optional.of(peerE), seen.hiddenBy());
    owner.addMember(space, peerE, Role.EDITOR);
    assertFalse(
        byOwner.thread(page).get(0).comment().hidden(),
        "a hide by someone who is not a moderator (any more) is ignored");
    assertTrue(owner.comments().thread(page).get(0).comment().hidden(), "the store keeps it");
    byOwner.hide(page, c.id(), true);
    assertTrue(byOwner.thread(page).get(0).comment().hidden());
  }
}

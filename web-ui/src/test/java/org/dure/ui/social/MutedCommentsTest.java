package org.dure.ui.social;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Div;
import java.util.List;
import org.dure.identity.Identity;
import org.dure.identity.PeerId;
import org.dure.store.InProcessSync;
import org.dure.store.StoreOptions;
import org.dure.store.WikiStore;
import org.dure.store.social.Comments;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.Role;
import org.dure.ui.ViewTestSupport;
import org.dure.ui.i18n.DureI18N;
import org.dure.ui.wiki.PageView;
import org.junit.jupiter.api.Test;

class MutedCommentsTest extends ViewTestSupport {
  private static final DureI18N TEXTS = new DureI18N();

  private static String text(String key, Object... params) {
    return TEXTS.getTranslation(key, UI.getCurrent().getLocale(), params);
  }

  private List<Div> comments() {
    return $(Div.class, $(Div.class).id("comment-thread")).withClassName("dure-comment").all();
  }

  /** A comment by a friend (and my reply to it), arrived by sync; returns the friend's peer ID. */
  private String friendComments(PageSummary p) throws Exception {
    try (WikiStore friend = WikiStore.inMemory(Identity.ephemeral(), StoreOptions.defaults())) {
      friend.sync().setSandbox(snapshot -> {});
      store.sync().setSandbox(snapshot -> {});
      store.addMember(space.id(), friend.identity().peerId(), Role.EDITOR);
      String me = store.identity().peerId().toString();
      InProcessSync.copyMissing(store, friend, space.id());
      friend.comments().add(p.id(), "buy cheap pills");
      String commentsId = Comments.docId(p.id());
      InProcessSync.copy(friend, store, commentsId);
      return friend.identity().peerId().toString();
    }
  }

  @Test
  void aMutedPeersCommentIsOneLineUntilShown() throws Exception {
    PageSummary p = createPage("Notes", "text");
    String friend = friendComments(p);
    Comments.Comment theirs = store.comments().thread(p.id()).getFirst().comment();
    store.comments().reply(p.id(), theirs.id(), "my reply");
    store.moderation().mute(PeerId.parse(friend), "spam");

    navigate("page/" + p.id().value(), PageView.class);
    List<Div> shown = comments();
    assertEquals(2, shown.size());
    Div collapsed = shown.get(0);
    assertTrue(collapsed.hasClassName("dure-comment-muted"));
    String html = collapsed.getElement().getOuterHTML();
    assertTrue(html.contains(text("social.comments.muted")), html);
    assertFalse(html.contains("cheap pills"), "the text is not sent to the browser");
    assertTrue(shown.get(1).getElement().getOuterHTML().contains("my reply"), "replies stay");

    test($(Button.class, collapsed).withClassName("dure-comment-reveal").single()).click();
    Div revealed = comments().get(0);
    assertFalse(revealed.hasClassName("dure-comment-muted"));
    assertTrue(revealed.getElement().getOuterHTML().contains("cheap pills"));

    store.moderation().unmute(PeerId.parse(friend));
    navigate("page/" + p.id().value(), PageView.class);
    assertTrue(comments().get(0).getElement().getOuterHTML().contains("cheap pills"));
  }
}

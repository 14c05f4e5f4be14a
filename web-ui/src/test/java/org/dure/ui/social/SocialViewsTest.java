package org.dure.ui.social;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.avatar.Avatar;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.dure.identity.Identity;
import org.dure.identity.PeerId;
import org.dure.store.InProcessSync;
import org.dure.store.StoreOptions;
import org.dure.store.WikiStore;
import org.dure.store.social.Comments;
import org.dure.store.social.Profiles;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.Version;
import org.dure.ui.ViewTestSupport;
import org.dure.ui.i18n.DureI18N;
import org.dure.ui.wiki.HistoryView;
import org.dure.ui.wiki.PageView;
import org.junit.jupiter.api.Test;

class SocialViewsTest extends ViewTestSupport {
  private static final DureI18N TEXTS = new DureI18N();

  /** The text the UI shows for {@code key} (tests run under a non-English default locale). */
  private static String text(String key, Object... params) {
    return TEXTS.getTranslation(key, UI.getCurrent().getLocale(), params);
  }

  private List<Div> comments() {
    return $(Div.class, $(Div.class).id("comment-thread")).withClassName("dure-comment").all();
  }

  /** A comment's HTML: its rendered body is an {@code Html} component's inner HTML, not text. */
  private static String textOf(Div d) {
    return d.getElement().getOuterHTML();
  }

  private Div byText(String text) {
    return comments().stream()
        .filter(d -> textOf(d).contains(text))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no comment shows " + text));
  }

  private Button button(Div comment, String cls) {
    return $(Button.class, comment).withClassName(cls).single();
  }

  private boolean hasButton(Div comment, String cls) {
    return !$(Button.class, comment).withClassName(cls).all().isEmpty();
  }

  @Test
  void aCommentAndAReplyShowUnderThePageWithTheAuthor() {
    PageSummary p = createPage("Notes", "text");
    navigate("page/" + p.id().value(), PageView.class);
    assertEquals(text("social.comments.heading", 0), $(H3.class).id("comments-heading").getText());

    test($(TextArea.class).id("new-comment")).setValue("Hello **all**");
    test($(Button.class).id("add-comment")).click();
    assertEquals(1, comments().size());
    assertTrue(
        comments().get(0).getElement().getChild(1).getOuterHTML().contains("<strong>all</strong>"),
        "Markdown rendered");
    assertEquals("", $(TextArea.class).id("new-comment").getValue(), "the field is emptied");

    test(button(comments().get(0), "dure-comment-reply")).click();
    TextArea editor =
        $(TextArea.class, comments().get(0)).withClassName("dure-comment-editor").single();
    test(editor).setValue("A reply");
    test($(Button.class, comments().get(0)).withClassName("dure-comment-editor-ok").single())
        .click();

    List<Div> shown = comments();
    assertEquals(2, shown.size());
    assertTrue(textOf(shown.get(1)).contains("A reply"));
    assertEquals("1.5em", shown.get(1).getStyle().get("margin-left"), "a reply is indented");
    AuthorBadge badge = $(AuthorBadge.class, shown.get(1)).single();
    assertEquals(store.identity().peerId(), badge.peerId());
    assertEquals(text("social.badge.you"), badge.text());
    assertEquals(text("social.comments.heading", 2), $(H3.class).id("comments-heading").getText());
  }

  @Test
  void anEmptyCommentIsRefusedWithAReason() {
    PageSummary p = createPage("Notes", "text");
    navigate("page/" + p.id().value(), PageView.class);
    test($(Button.class).id("add-comment")).click();
    assertTrue(comments().isEmpty());
    var shown = $(Notification.class).id("comment-error");
    assertEquals(text("social.comments.error.empty", Comments.MAX_BODY), test(shown).getText());
  }

  @Test
  void ownCommentsCanBeEditedAndDeletedOthersOnlyHiddenByTheOwner() throws Exception {
    PageSummary p = createPage("Notes", "text");
    // A friend's comment, arrived by sync (done here in-process).
    try (WikiStore friend = WikiStore.inMemory(Identity.ephemeral(), StoreOptions.defaults())) {
      friend.sync().setSandbox(snapshot -> {});
      store.sync().setSandbox(snapshot -> {});
      store.addMember(space.id(), friend.identity().peerId(), Role.EDITOR);
      String me = store.identity().peerId().toString();
      InProcessSync.copyMissing(store, friend, space.id());
      friend.profiles().save("Friend", "", Optional.empty());
      friend.comments().add(p.id(), "from a friend");
      String commentsId = Comments.docId(p.id());
      InProcessSync.copy(friend, store, commentsId);
      String profileId = Profiles.docId(space.id(), friend.identity().peerId());
      InProcessSync.copy(friend, store, profileId);
    }
    store.comments().add(p.id(), "mine");
    navigate("page/" + p.id().value(), PageView.class);

    Div theirs = byText("from a friend");
    Div mine = byText("mine");
    assertEquals("Friend", $(AuthorBadge.class, theirs).single().text());
    assertFalse(hasButton(theirs, "dure-comment-edit"));
    assertFalse(hasButton(theirs, "dure-comment-delete"));
    assertTrue(hasButton(theirs, "dure-comment-hide"), "the owner moderates");
    assertTrue(hasButton(mine, "dure-comment-edit"));

    test(button(theirs, "dure-comment-hide")).click();
    assertTrue(textOf(byText("from a friend")).contains(text("social.comments.hiddenMark")));
    assertTrue(
        store.comments().thread(p.id()).stream()
            .anyMatch(e -> e.comment().hidden() && e.comment().body().equals("from a friend")));

    test(button(byText("mine"), "dure-comment-edit")).click();
    TextArea editor =
        $(TextArea.class, byText("mine")).withClassName("dure-comment-editor").single();
    assertEquals("mine", editor.getValue());
    test(editor).setValue("mine, better");
    test($(Button.class, byText("mine")).withClassName("dure-comment-editor-ok").single()).click();
    Div edited = byText("mine, better");
    assertTrue(textOf(edited).contains(text("social.comments.edited")));

    test(button(edited, "dure-comment-delete")).click();
    Div deleted = byText(text("social.comments.deleted"));
    assertFalse(hasButton(deleted, "dure-comment-edit"));
  }

  @Test
  void aCommentArrivingWhileThePageIsOpenShowsAndADraftReplySurvives() {
    PageSummary p = createPage("Notes", "text");
    Comments.Comment first = store.comments().add(p.id(), "first");
    navigate("page/" + p.id().value(), PageView.class);
    CommentsPanel panel = $(CommentsPanel.class).single();
    test(button(comments().get(0), "dure-comment-reply")).click();
    test($(TextArea.class, comments().get(0)).withClassName("dure-comment-editor").single())
        .setValue("half-written");

    store.comments().reply(p.id(), first.id(), "from elsewhere");
    panel.render(); // what the store listener does (through UI.access) when a change arrives

    assertEquals(2, comments().size());
    assertTrue(textOf(comments().get(1)).contains("from elsewhere"));
    assertEquals(
        "half-written",
        $(TextArea.class, comments().get(0))
            .withClassName("dure-comment-editor")
            .single()
            .getValue());
  }

  private static byte[] png(int w, int h) throws Exception {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.MAGENTA);
    g.fillRect(0, 0, w, h);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  @Test
  void theProfileIsEditedWithAPictureAndShownBesideHistory() throws Exception {
    ProfileView view = navigate("profile", ProfileView.class);
    test($(TextField.class).id("profile-name-field")).setValue("Ana");
    test($(TextArea.class).id("profile-bio-field")).setValue("Keeps bees");
    view.acceptUpload("just text".getBytes(StandardCharsets.UTF_8));
    Paragraph error = $(Paragraph.class).id("profile-error");
    assertTrue(error.isVisible());
    assertEquals(text("social.profile.error.not_an_image"), error.getText());

    view.acceptUpload(png(400, 300));
    assertFalse(error.isVisible());
    String image = $(Avatar.class).id("profile-preview").getImage();
    assertTrue(image != null && image.startsWith("data:image/"), image);
    test($(Button.class).id("profile-save")).click();

    var mine = store.profiles().mine().orElseThrow();
    assertEquals("Ana", mine.name());
    assertEquals("Keeps bees", mine.bio());
    assertTrue(mine.avatar().isPresent());

    PageSummary p = createPage("Notes", "text");
    navigate("page/" + p.id().value() + "/history", HistoryView.class);
    @SuppressWarnings("unchecked")
    Grid<Version> grid = $(Grid.class).id("versions");
    AuthorBadge badge = (AuthorBadge) test(grid).getCellComponent(0, 2);
    assertEquals(text("social.badge.nameYou", "Ana"), badge.text());
  }

  @Test
  void aFriendsSyncedEditShowsInHistoryByThemWithTheVerifiedMark() throws Exception {
    PageSummary p = createPage("Notes", "text");
    String pid = p.id().value();
    try (WikiStore friend = WikiStore.inMemory(Identity.ephemeral(), StoreOptions.defaults())) {
      friend.sync().setSandbox(snapshot -> {});
      store.sync().setSandbox(snapshot -> {});
      store.addMember(space.id(), friend.identity().peerId(), Role.EDITOR);
      PeerId me = store.identity().peerId();
      PeerId them = friend.identity().peerId();
      InProcessSync.copyMissing(store, friend, space.id());
      friend.splice(p.id(), 4, 0, " from a friend");
      InProcessSync.syncDocument(friend, store, pid);
      assertEquals("text from a friend", store.page(p.id()).body());
      navigate("page/" + pid + "/history", HistoryView.class);
      @SuppressWarnings("unchecked")
      Grid<Version> grid = $(Grid.class).id("versions");
      AuthorBadge theirs = (AuthorBadge) test(grid).getCellComponent(0, 2);
      assertEquals(them, theirs.peerId());
      assertTrue(theirs.isVerified(), "their signature was checked");
      AuthorBadge mine = (AuthorBadge) test(grid).getCellComponent(1, 2);
      assertEquals(me, mine.peerId());
      assertFalse(mine.isVerified(), "one's own edits need no mark");
    }
  }

  @Test
  void someoneElsesProfilePageIsReadOnlyAndSaysWhenThereIsNone() {
    String stranger = "12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo";
    navigate("profile/" + stranger, ProfileView.class);
    assertEquals(
        "…" + stranger.substring(stranger.length() - 8), $(H2.class).id("profile-name").getText());
    assertEquals(text("social.profile.none"), $(Paragraph.class).id("profile-none").getText());
    assertTrue($(TextField.class).withId("profile-name-field").all().isEmpty(), "nothing to edit");
  }
}

package org.dure.ui.moderation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vaadin.browserless.internal.MockVaadin;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.datetimepicker.DateTimePicker;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.UnorderedList;
import com.vaadin.flow.component.select.Select;
import java.time.LocalDateTime;
import java.util.Optional;
import org.dure.identity.Identity;
import org.dure.identity.PeerId;
import org.dure.moderation.SpaceModerator;
import org.dure.store.InProcessSync;
import org.dure.store.StoreOptions;
import org.dure.store.WikiStore;
import org.dure.store.moderation.ModerationRecords;
import org.dure.store.sync.PeerDataException;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.SpaceId;
import org.dure.ui.ViewTestSupport;
import org.dure.ui.i18n.DureI18N;
import org.junit.jupiter.api.Test;

class RevertEditsViewTest extends ViewTestSupport {
  private static final DureI18N TEXTS = new DureI18N();

  private static String text(String key, Object... params) {
    return TEXTS.getTranslation(key, UI.getCurrent().getLocale(), params);
  }

  /** Syncs {@code space} between two stores in-process until neither has anything to send. */
  static void sync(WikiStore a, WikiStore b, SpaceId space) throws PeerDataException {
    InProcessSync.sync(a, b, space);
  }

  @Test
  @SuppressWarnings("unchecked")
  void theOwnerRevertsAnEditorsEditsAndSeesTheReport() throws Exception {
    PageId notes = createPage("Notes", "one\ntwo\nthree\n").id();
    PageId spam;
    String x;
    try (WikiStore editor = WikiStore.inMemory(Identity.ephemeral(), StoreOptions.defaults())) {
      editor.sync().setSandbox(snapshot -> {});
      store.sync().setSandbox(snapshot -> {});
      x = editor.identity().peerId().toString();
      store.addMember(space.id(), PeerId.parse(x), Role.EDITOR);
      sync(store, editor, space.id());
      editor.replaceText(notes, "one\ntwo, spoiled\nthree\n", Optional.empty());
      spam = editor.createPage(space.id(), "Spam", "cheap pills", Optional.empty()).id();
      sync(store, editor, space.id());
    }
    store.replaceText(notes, "one (mine)\ntwo, spoiled\nthree\n", Optional.empty());
    assertTrue(store.findPage(space.id(), "Spam").isPresent());

    navigate("space/" + space.id().value() + "/moderation", ModerationView.class);
    assertTrue($(RevertEditsForm.class).single().isVisible());
    test($(Button.class).id("revert-run")).click(); // nobody chosen: refused
    assertTrue($(Select.class).id("revert-peer").isInvalid());

    Select<String> peer = $(Select.class).id("revert-peer");
    test(peer).selectItem(peer.getItemLabelGenerator().apply(x));
    $(DateTimePicker.class).id("revert-since").setValue(LocalDateTime.of(2020, 1, 1, 0, 0));
    test($(Button.class).id("revert-run")).click();

    assertEquals("one (mine)\ntwo\nthree\n", store.page(notes).body());
    assertTrue(store.moderation().isHidden(spam));
    String summary = $(Paragraph.class).id("revert-summary").getText();
    assertTrue(summary.startsWith(text("moderation.revert.done", x, "§").split("§")[0]), summary);
    assertEquals(1, $(UnorderedList.class).id("revert-changed").getChildren().count());
    assertEquals(1, $(UnorderedList.class).id("revert-created").getChildren().count());
    Grid<ModerationRecords.LogEntry> log = $(Grid.class).id("moderation-log");
    assertEquals(SpaceModerator.REVERT, test(log).getRow(0).action());
    Grid<ModerationRecords.Hidden> hidden = $(Grid.class).id("hidden-pages");
    assertEquals(spam, test(hidden).getRow(0).page());
  }

  @Test
  @SuppressWarnings("unchecked")
  void aLargeSpaceIsRevertedInTheBackgroundWithProgress() throws Exception {
    for (int i = 0; i < RevertEditsForm.BACKGROUND_FROM_PAGES; i++) {
      createPage("Page " + i, "text " + i);
    }
    String x =
        new org.dure.identity.Identity(org.dure.identity.Identity.generateEd25519())
            .peerId()
            .toString();
    store.addMember(space.id(), PeerId.parse(x), Role.EDITOR);
    navigate("space/" + space.id().value() + "/moderation", ModerationView.class);
    Select<String> peer = $(Select.class).id("revert-peer");
    test(peer).selectItem(peer.getItemLabelGenerator().apply(x));
    test($(Button.class).id("revert-run")).click();
    // One revert at a time: the button stays off until the summary is there (a fast revert may
    // already have finished and turned it back on).
    assertTrue(
        !$(Button.class).id("revert-run").isEnabled()
            || $(Paragraph.class).withId("revert-summary").exists(),
        "one revert at a time");

    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!$(Paragraph.class).withId("revert-summary").exists()) {
      assertTrue(System.nanoTime() < deadline, "the revert did not finish");
      Thread.sleep(50);
      MockVaadin.clientRoundtrip();
    }
    assertTrue($(Paragraph.class).id("revert-summary").getText().contains(x));
    assertTrue($(Button.class).id("revert-run").isEnabled());
  }

  @Test
  void anEditorDoesNotSeeTheForm() throws Exception {
    WikiStore owner = WikiStore.inMemory(Identity.ephemeral(), StoreOptions.defaults());
    try {
      owner.sync().setSandbox(snapshot -> {});
      store.sync().setSandbox(snapshot -> {});
      SpaceId shared = owner.createSpace("Village").id();
      owner.addMember(shared, store.identity().peerId(), Role.EDITOR);
      sync(owner, store, shared);
      ModerationView view =
          navigate("space/" + shared.value() + "/moderation", ModerationView.class);
      RevertEditsForm form =
          view.getChildren()
              .filter(RevertEditsForm.class::isInstance)
              .map(RevertEditsForm.class::cast)
              .findFirst()
              .orElseThrow();
      assertFalse(form.isVisible(), "only the owner and moderators revert");
    } finally {
      owner.close();
    }
  }
}

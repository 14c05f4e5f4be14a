package org.dure.ui.attach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vaadin.flow.component.Html;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.textfield.IntegerField;
import java.io.ByteArrayInputStream;
import org.dure.node.Attachments;
import org.dure.store.blob.BlobManifest;
import org.dure.store.wiki.PageSummary;
import org.dure.ui.ViewTestSupport;
import org.dure.ui.limits.SettingsView;
import org.dure.ui.wiki.PageView;
import org.dure.ui.wiki.SpaceView;
import org.junit.jupiter.api.Test;

/** Attachments in the views: shown as thumbnails, fetched when lacking, the settings. */
class AttachmentViewsTest extends ViewTestSupport {
  private Attachments attachments() {
    return org.dure.ui.ViewTestSupportAccess.attachments();
  }

  @Test
  void anAttachedImageShowsAsAThumbnailAndNothingIsFetched() throws Exception {
    BlobManifest m =
        attachments()
            .put(space.id(), "cat.png", "image/png", new ByteArrayInputStream(new byte[] {1, 2}));
    PageSummary p = createPage("Cats", "Look: " + Attachments.markdownFor(m));
    navigate("page/" + p.id().value(), PageView.class);
    String html = $(Html.class, $(Div.class).id("page-body")).single().getInnerHtml();
    assertTrue(html.contains("src=\"/attachments/" + m.root().hex() + "?thumb\""), html);
    assertFalse($(PageAttachments.class).exists(), "nothing to fetch, nothing shown");
  }

  @Test
  void aPageWhoseAttachmentIsNotHereFetchesItWithProgress() {
    String root = "cd".repeat(32);
    PageSummary p = createPage("Far", "![far](/attachments/" + root + ")");
    navigate("page/" + p.id().value(), PageView.class);
    Div fetch = $(Div.class).id("page-attachments");
    assertTrue(fetch.isVisible());
    assertTrue(
        fetch.getElement().getTextRecursively().contains("1"),
        fetch.getElement().getTextRecursively());
  }

  @Test
  void theLimitPerAttachmentIsASetting() {
    navigate(SettingsView.ROUTE, SettingsView.class);
    test($(IntegerField.class).id("attachment-limit")).setValue(12);
    test($(Button.class).id("attachment-limit-save")).click();
    assertEquals(12L << 20, attachments().maxBytes());
  }

  @Test
  void aSpaceIsKeptOfflineFromItsView() {
    navigate("space/" + space.id().value(), SpaceView.class);
    assertFalse(attachments().keepsOffline(space.id()));
    test($(Checkbox.class).id("keep-offline")).click();
    assertTrue(attachments().keepsOffline(space.id()));
  }
}

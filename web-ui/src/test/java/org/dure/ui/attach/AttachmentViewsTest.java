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
import org.dure.store.blob.BlobHash;
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

  private static byte[] smallPng() throws java.io.IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(
        new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB),
        "png",
        out);
    return out.toByteArray();
  }

  @Test
  void anAttachedImageShowsAsAThumbnailAndNothingIsFetched() throws Exception {
    BlobManifest m =
        attachments().put(space.id(), "cat.png", "image/png", new ByteArrayInputStream(smallPng()));
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

  @Test
  void aPageSaysWhichOfItsAttachmentsWereRefused() throws Exception {
    BlobHash root = new BlobHash("ef".repeat(32));
    attachments().blobs().refuse(root, true, 100, "a PNG of 100000×100000 pixels");
    PageSummary p = createPage("Bomb", "![cat](/attachments/" + root.hex() + ")");
    navigate("page/" + p.id().value(), PageView.class);
    Div fetch = $(Div.class).id("page-attachments");
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!fetch.getElement().getTextRecursively().contains("refused")) {
      assertTrue(System.nanoTime() < deadline, fetch.getElement().getTextRecursively());
      Thread.sleep(20);
      com.vaadin.browserless.internal.MockVaadin.clientRoundtrip();
    }
    assertTrue(
        fetch
            .getElement()
            .getTextRecursively()
            .startsWith("1 attachment(s) of this page were refused"),
        fetch.getElement().getTextRecursively());
  }

  @Test
  void unusedAttachmentsAreDeletedOnDemandFromTheSettings() throws Exception {
    BlobManifest used =
        attachments()
            .put(space.id(), "a.txt", "text/plain", new ByteArrayInputStream(new byte[] {1}));
    // A member's attachment fetched here (what this node's user uploads is never collected).
    org.dure.store.blob.BlobStore member =
        org.dure.store.blob.BlobStore.open(
            java.nio.file.Files.createTempDirectory("dure-member-blobs"),
            org.dure.store.blob.BlobStore.DEFAULT_MAX_BLOB_BYTES);
    BlobManifest unused =
        member.put("b.txt", "text/plain", new ByteArrayInputStream(new byte[] {2}), "x");
    attachments().blobs().addManifest(unused.root(), unused.encode());
    attachments().blobs().putChunk(unused.root(), 0, member.readChunk(unused.root(), 0).get());
    attachments().blobs().addSpace(unused.root(), space.id().value());
    createPage("Uses", Attachments.markdownFor(used));
    // Found unreferenced by a collection eight days ago.
    attachments()
        .blobs()
        .markUnreferenced(
            unused.root(), java.time.Instant.now().minus(java.time.Duration.ofDays(8)));
    navigate(SettingsView.ROUTE, SettingsView.class);
    test($(Button.class).id("attachment-collect")).click();
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!$(Button.class).id("attachment-collect").isEnabled()) {
      assertTrue(System.nanoTime() < deadline, "the collection did not finish");
      Thread.sleep(20);
      com.vaadin.browserless.internal.MockVaadin.clientRoundtrip();
    }
    assertFalse(attachments().blobs().isComplete(unused.root()));
    assertTrue(attachments().blobs().isComplete(used.root()));
  }

  @Test
  void anUploadOfThisNodeStaysWhenNoPageUsesItAnyMore() throws Exception {
    BlobManifest mine =
        attachments()
            .put(space.id(), "c.txt", "text/plain", new ByteArrayInputStream(new byte[] {3}));
    attachments()
        .blobs()
        .markUnreferenced(mine.root(), java.time.Instant.now().minus(java.time.Duration.ofDays(8)));
    assertEquals(0, attachments().collectGarbage().deleted());
    assertTrue(attachments().blobs().isComplete(mine.root()));
  }
}

package org.dure.ui.render;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Images in pages come only from Dure's own attachment route, as thumbnails. */
class MarkdownRendererAttachmentTest {
  private static final String ROOT = "ab".repeat(32);
  private final MarkdownRenderer renderer = new MarkdownRenderer();

  private String render(String md) {
    return renderer.render(md, t -> Optional.empty(), t -> "new");
  }

  @Test
  void anAttachedImageIsShownAsItsThumbnail() {
    String html = render("![A cat](/attachments/" + ROOT + ")");
    assertTrue(html.contains("<img src=\"/attachments/" + ROOT + "?thumb\""), html);
    assertTrue(html.contains("alt=\"A cat\""), html);
    assertTrue(html.contains("loading=\"lazy\""), html);
  }

  @Test
  void imagesFromAnywhereElseAreDropped() {
    for (String src :
        new String[] {
          "https://tracker.example/pixel.png",
          "//tracker.example/x.png",
          "/attachments/" + ROOT + "/../../logout",
          "/attachments/" + ROOT.toUpperCase(java.util.Locale.ROOT),
          "javascript:alert(1)",
          "data:image/png;base64,AAAA"
        }) {
      String html = render("![x](" + src + ")");
      assertFalse(html.contains("src="), src + " -> " + html);
    }
    String raw = render("<img src=\"https://tracker.example/p.png\" onerror=\"alert(1)\">");
    assertFalse(raw.contains("<img"), raw); // raw HTML is shown as text
  }

  @Test
  void aLinkToAnAttachmentOpensOutsideTheApp() {
    String html = render("[report.pdf](/attachments/" + ROOT + ")");
    assertTrue(html.contains("href=\"/attachments/" + ROOT + "\""), html);
    assertTrue(html.contains("target=\"_blank\""), html);
  }
}

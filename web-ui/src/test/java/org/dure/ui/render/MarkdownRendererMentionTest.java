package org.dure.ui.render;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.dure.identity.Identity;
import org.junit.jupiter.api.Test;

class MarkdownRendererMentionTest {
  private final MarkdownRenderer renderer = new MarkdownRenderer();
  private final String peer = Identity.ephemeral().peerId().toString();

  private String render(String md) {
    return renderer.render(md, t -> Optional.empty(), t -> "new");
  }

  @Test
  void aPeerIdMentionIsHighlighted() {
    String html = render("Ask @" + peer + " about it.");
    assertTrue(html.contains("class=\"mention\""), html);
    assertTrue(html.contains("title=\"" + peer + "\""), html);
    assertTrue(html.contains("&#64;…" + peer.substring(peer.length() - 8) + "</a>"), html);
    assertTrue(html.contains("href=\"friends\""), html);
  }

  @Test
  void mentionsInCodeOrAddressesStayText() {
    assertFalse(render("`@" + peer + "`").contains("mention"));
    assertFalse(render("mail x@" + peer).contains("class=\"mention\""));
    assertFalse(render("    @" + peer).contains("class=\"mention\""));
  }

  @Test
  void sanitizingStillApplies() {
    String html = render("@" + peer + " <script>alert(1)</script><a href=\"javascript:x\">y</a>");
    assertTrue(html.contains("class=\"mention\""), html);
    assertFalse(html.contains("<script"), html);
    assertFalse(html.contains("href=\"javascript"), html);
  }
}

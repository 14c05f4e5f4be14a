package org.dure.ui.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Markdown as people write it on GitHub and in Obsidian, rendered. */
class MarkdownFeaturesTest {
  private final MarkdownRenderer renderer = new MarkdownRenderer();

  private String render(String md) {
    return renderer.render(md, t -> Optional.empty(), t -> "new");
  }

  private String page(String md, String title, boolean tickable) {
    return renderer.renderPage(md, title, tickable, t -> Optional.empty(), t -> "new");
  }

  private static int count(String html, String what) {
    Matcher m = Pattern.compile(Pattern.quote(what)).matcher(html);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  @Test
  void tasksBecomeNumberedCheckboxesNamedByTheirText() {
    String html = render("- [ ] buy seeds\n- [x] water the **beans**\n\n1. [ ] numbered");
    assertEquals(3, count(html, "<input type=\"checkbox\" class=\"task-box\""), html);
    assertTrue(html.contains("data-task=\"0\""), html);
    assertTrue(html.contains("data-task=\"2\""), html);
    assertTrue(html.contains("checked=\"\" disabled=\"\" aria-label=\"water the beans\""), html);
    assertTrue(html.contains("aria-label=\"buy seeds\""), html);
    assertTrue(html.contains("<li class=\"task-list-item\">"), html);
    assertTrue(html.contains("<ul class=\"contains-task-list\">"), html);
    assertFalse(html.contains("[ ]"), html);
  }

  @Test
  void tasksAreDisabledUnlessTheReaderMayTickThem() {
    assertEquals(2, count(render("- [ ] a\n- [x] b"), "disabled"));
    assertEquals(2, count(page("- [ ] a\n- [x] b", "T", false), "disabled"));
    assertEquals(0, count(page("- [ ] a\n- [x] b", "T", true), "disabled"));
  }

  @Test
  void aBracketPairThatIsNotATaskStaysText() {
    String html =
        render("- [link](https://example.org)\n- [[Page]]\n- [ ]not a task\n\n[ ] nor this");
    assertFalse(html.contains("<input"), html);
  }

  @Test
  void tablesKeepTheirAlignment() {
    String html = render("| a | b |\n|:--|--:|\n| 1 | 2 |");
    assertTrue(html.contains("<table tabindex=\"0\">"), html);
    assertTrue(html.contains("<th align=\"left\">a</th>"), html);
    assertTrue(html.contains("<td align=\"right\">2</td>"), html);
  }

  @Test
  void footnotesLinkBothWaysInsideThePage() {
    String md = "Water daily.[^1] Or not.[^often]\n\n[^1]: In summer.\n[^often]: Ask 민지.";
    String html =
        renderer.renderPage(
            md, "Beds", false, t -> Optional.of("page/" + t.toLowerCase()), t -> "new");
    assertTrue(
        html.contains("<sup class=\"footnote-ref\"><a href=\"page/beds#fn-1\" id=\"fnref-1\""),
        html);
    assertTrue(html.contains("<section class=\"footnotes\">"), html);
    assertTrue(html.contains("<li id=\"fn-often\">"), html);
    assertTrue(html.contains("href=\"page/beds#fnref-often\" class=\"footnote-backref\""), html);
    assertTrue(html.contains("Ask 민지."), html);
    // Where the page is not known (a comment), the notes are shown but do not link.
    String comment = render(md);
    assertTrue(comment.contains("<section class=\"footnotes\">"), comment);
    assertFalse(comment.contains("href=\"#"), comment);
  }

  @Test
  void fencedCodeIsColouredByLanguage() {
    String html = render("```java\n// note\nString s = \"a<b\"; int n = 42; return null;\n```");
    assertTrue(html.contains("<code class=\"language-java\">"), html);
    assertTrue(html.contains("<span class=\"tok-com\">// note</span>"), html);
    assertTrue(html.contains("<span class=\"tok-str\">&#34;a&lt;b&#34;</span>"), html);
    assertTrue(html.contains("<span class=\"tok-kw\">int</span>"), html);
    assertTrue(html.contains("<span class=\"tok-num\">42</span>"), html);
    assertTrue(html.contains("<span class=\"tok-lit\">null</span>"), html);
  }

  @Test
  void codeInAnUnknownLanguageOrIndentedIsPlain() {
    assertFalse(render("```brainfuck\n+[-->-[>>+>-----<<]<--<---]\n```").contains("<span"));
    assertFalse(render("    int x = 1;").contains("<span"));
    assertTrue(render("```\nint x\n```").contains("<pre><code>int x"));
  }

  @Test
  void aFirstHeadingRepeatingTheTitleIsNotShownTwice() {
    assertFalse(page("# Garden\n\nBeans.", "Garden", false).contains("<h1>"));
    assertFalse(page("## garden  \n\nBeans.", "Garden", false).contains("<h2>"));
    // Another heading, or the title further down, stays.
    assertTrue(page("# Beans\n\nText", "Garden", false).contains("<h1>Beans</h1>"));
    assertTrue(page("Intro\n\n# Garden", "Garden", false).contains("<h1>Garden</h1>"));
    // Outside a page (a comment, a preview without title) nothing is dropped.
    assertTrue(render("# Garden").contains("<h1>Garden</h1>"));
  }
}

package org.dure.ui.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A peer's page is untrusted: Markdown written to abuse task lists, tables, footnotes and code
 * fences must not get a script, a style, an event handler, a dangerous URL or a form control other
 * than a task's checkbox into the page. Every output is checked tag by tag, attribute by attribute.
 */
class MarkdownAttackTest {
  private static final Pattern TAG = Pattern.compile("<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>");
  private static final Pattern ATTR = Pattern.compile("([^\\s=/]+)(?:=\"([^\"]*)\")?");
  private static final Set<String> ELEMENTS =
      Set.of(
          "div",
          "p",
          "h1",
          "h2",
          "h3",
          "h4",
          "h5",
          "h6",
          "blockquote",
          "ul",
          "ol",
          "li",
          "pre",
          "code",
          "hr",
          "br",
          "em",
          "strong",
          "del",
          "s",
          "sup",
          "section",
          "span",
          "table",
          "thead",
          "tbody",
          "tr",
          "th",
          "td",
          "a",
          "input");
  private static final Set<String> ATTRIBUTES =
      Set.of(
          "class",
          "href",
          "rel",
          "title",
          "id",
          "aria-label",
          "type",
          "data-task",
          "checked",
          "disabled",
          "align",
          "start",
          "tabindex");

  private final MarkdownRenderer renderer = new MarkdownRenderer();

  private String render(String md) {
    return renderer.renderPage(md, "Title", true, t -> Optional.empty(), t -> "new");
  }

  /** Fails unless {@code html} holds only allowed elements and harmless attributes. */
  static void assertHarmless(String html) {
    Matcher tag = TAG.matcher(html);
    while (tag.find()) {
      String name = tag.group(2).toLowerCase(Locale.ROOT);
      assertTrue(ELEMENTS.contains(name), () -> "element <" + name + "> in " + html);
      Matcher attr = ATTR.matcher(tag.group(3));
      while (attr.find()) {
        String a = attr.group(1).toLowerCase(Locale.ROOT);
        String v = attr.group(2) == null ? "" : attr.group(2);
        assertTrue(ATTRIBUTES.contains(a), () -> "attribute " + a + " in " + html);
        if (a.equals("href")) {
          String scheme = v.replaceAll("[\\s\\x00-\\x1f]|&#[0-9]+;", "").toLowerCase(Locale.ROOT);
          assertFalse(
              scheme.startsWith("javascript:")
                  || scheme.startsWith("data:")
                  || scheme.startsWith("vbscript:"),
              () -> "href " + v + " in " + html);
        }
        if (a.equals("tabindex")) {
          assertEquals("0", v, html);
        }
        if (a.equals("type")) {
          assertEquals("checkbox", v, html);
        }
        if (a.equals("class") && name.equals("span")) {
          assertTrue(CodeHighlighter.CLASSES.contains(v), html);
        }
      }
    }
    assertFalse(html.toLowerCase(Locale.ROOT).contains("<script"), html);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "- [ ] <script>alert(1)</script>",
        "- [x] <img src=x onerror=alert(1)>",
        "- [ ] \" onfocus=\"alert(1)\" autofocus=\"",
        "- [ ] <input type=\"text\" name=\"password\" data-task=\"0\">",
        "- [ ] [click](javascript:alert(1))",
        "- [ ] <a href=\"javascript:alert(1)\">x</a>",
        "| a | b |\n|---|---|\n| <script>x</script> | <style>body{display:none}</style> |",
        "| a |\n|---|\n| [x](jAvAsCrIpT:alert(1)) |",
        "| a |\n|---|\n| <td style=\"background:url(javascript:x)\"> |",
        "Text[^1]\n\n[^1]: <iframe src=\"https://evil.example\"></iframe>",
        "Text[^\" onmouseover=\"alert(1)]\n\n[^\" onmouseover=\"alert(1)]: x",
        "Text[^<script>]\n\n[^<script>]: y",
        "Text[^a]\n\n[^a]: [x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "Text[^page-body]\n\n[^page-body]: clobber the app's ids",
        "```java\" onload=\"alert(1)\n</code></pre><script>alert(1)</script>\n```",
        "```<script>\nx\n```",
        "```js\n\"</span><img src=x onerror=alert(1)>\" // </span><style>\n```",
        "```css\nbody { background: url(javascript:alert(1)) }\n```",
        "# Title\n\n<svg onload=alert(1)>",
        "<javascript:alert(1)>",
        "[[x\" onclick=\"alert(1)|y]]",
        "- [ ] [[Page|<b onclick=alert(1)>b</b>]]",
        "<form action=\"https://evil.example\"><input type=\"submit\"></form>",
      })
  void attackersMarkdownStaysHarmless(String md) {
    assertHarmless(render(md));
    assertHarmless(renderer.render(md, t -> Optional.of("page/x"), t -> "new"));
  }

  @Test
  void footnoteIdsCannotClobberTheAppsIds() {
    String html = render("Text[^page-body]\n\n[^page-body]: x");
    assertFalse(html.contains("id=\"page-body\""), html);
    assertTrue(html.contains("id=\"fn-page-body\""), html);
  }

  @Test
  void theOnlyInputIsTheTasksCheckbox() {
    String html = render("- [ ] one\n\n<input type=\"text\">\n\n<button>b</button>");
    assertEquals(1, html.split("<input", -1).length - 1, html);
    assertTrue(html.contains("&lt;input type&#61;&#34;text&#34;&gt;"), html);
  }

  @Test
  void theSanitizerItselfDropsWhatTheRendererNeverMakes() {
    // Defence in depth: were the renderer ever to pass such markup through, the policy drops it.
    String html =
        MarkdownRenderer.sanitize(
            "<input type=\"text\" class=\"task-box\" onfocus=\"x\" data-task=\"1a\" autofocus>"
                + "<span class=\"tok-kw evil\" style=\"color:red\">k</span>"
                + "<a href=\"javascript:alert(1)\" id=\"page-body\">x</a>"
                + "<li id=\"fn-ok\" class=\"other\">y</li><code class=\"language-a b\">c</code>"
                + "<section class=\"footnotes\" onclick=\"x\"></section><style>*{}</style>"
                + "<table tabindex=\"-1\"></table><p tabindex=\"0\">p</p>");
    assertHarmless(html);
    assertFalse(html.contains("type=\"text\""), html);
    assertFalse(html.contains("data-task"), html);
    assertFalse(html.contains("style"), html);
    assertFalse(html.contains("id=\"page-body\""), html);
    assertFalse(html.contains("language-a b"), html);
    assertTrue(html.contains("<li id=\"fn-ok\">y</li>"), html);
    assertFalse(html.contains("tabindex"), html);
  }
}

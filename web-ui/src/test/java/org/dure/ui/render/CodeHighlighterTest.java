package org.dure.ui.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CodeHighlighterTest {

  @Test
  void tokensOfSeveralFamilies() {
    assertEquals(
        "<span class=\"tok-kw\">def</span> f(): <span class=\"tok-com\"># x</span>",
        CodeHighlighter.highlight("def f(): # x", "python"));
    assertEquals(
        "<span class=\"tok-kw\">SELECT</span> * <span class=\"tok-kw\">FROM</span> t"
            + " <span class=\"tok-com\">-- all</span>",
        CodeHighlighter.highlight("SELECT * FROM t -- all", "SQL"));
    assertEquals(
        "{<span class=\"tok-str\">&quot;a&quot;</span>: <span class=\"tok-lit\">true</span>}",
        CodeHighlighter.highlight("{\"a\": true}", "json"));
    assertTrue(
        CodeHighlighter.highlight("const s = `a\nb`;", "js")
            .contains("<span class=\"tok-str\">`a\nb`</span>"));
  }

  @Test
  void everythingIsEscapedAndNothingIsLost() {
    String code = "/* <script> */ x = \"</span><img src=x onerror=alert(1)>\"; & y";
    String html = CodeHighlighter.highlight(code, "java");
    assertFalse(html.contains("<script"), html);
    assertFalse(html.contains("<img"), html);
    assertEquals(code, unescape(html.replaceAll("<span class=\"tok-[a-z]+\">|</span>", "")));
  }

  @Test
  void unclosedStringsAndCommentsEndTheirTokenAtTheEnd() {
    assertEquals(
        "<span class=\"tok-com\">/* open</span>", CodeHighlighter.highlight("/* open", "c"));
    assertEquals(
        "<span class=\"tok-str\">&quot;open</span>\nx",
        CodeHighlighter.highlight("\"open\nx", "java"));
  }

  @Test
  void wordsContainingKeywordsAreNotKeywords() {
    assertEquals("interior format_if", CodeHighlighter.highlight("interior format_if", "java"));
    assertEquals("x1 <span class=\"tok-num\">2</span>", CodeHighlighter.highlight("x1 2", "go"));
  }

  private static String unescape(String s) {
    return s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
  }
}

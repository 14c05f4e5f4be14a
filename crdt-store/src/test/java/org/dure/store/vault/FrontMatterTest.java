package org.dure.store.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FrontMatterTest {
  private static FrontMatter of(String title) {
    return new FrontMatter(
        Optional.of(title),
        Optional.of(Instant.parse("2026-12-07T10:15:30Z")),
        Optional.of(Instant.parse("2026-12-07T11:02:00.123Z")),
        Optional.of("page-1"));
  }

  @Test
  void writesWhatObsidianShowsAsProperties() {
    assertEquals(
        "---\ntitle: \"Harvest: \\\"rice\\\" \\\\ beans\"\ncreated: 2026-12-07T10:15:30Z\n"
            + "updated: 2026-12-07T11:02:00.123Z\ndure-page: \"page-1\"\n---\n",
        of("Harvest: \"rice\" \\ beans").write());
  }

  @Test
  void whatIsWrittenIsReadBackWithTheBodyUnchanged() {
    for (String title :
        new String[] {"Plain", "벼와 콩", "a: b # not a comment", "'quoted'", "tab\there", "---"}) {
      String body = "---\nnot front matter: a rule and a heading\n---\n\n# Body\r\n";
      FrontMatter.Split split = FrontMatter.parse(of(title).write() + body);
      assertEquals(of(title), split.frontMatter(), title);
      assertEquals(body, split.body(), title);
    }
  }

  @Test
  void obsidianFrontMatterWithListsAndCommentsIsReadForItsTitle() {
    String text =
        "---\r\ntags:\r\n  - farm\r\n  - 2026\r\naliases: [Crops, Harvest]\r\n# a comment\r\n"
            + "title: 'It''s harvest'   \r\nrating: 5 # stars\r\n...\r\nBody";
    FrontMatter.Split split = FrontMatter.parse(text);
    assertEquals(Optional.of("It's harvest"), split.frontMatter().title());
    assertEquals("5", split.values().get("rating"));
    assertEquals("Body", split.body());
  }

  @Test
  void withoutAClosingLineItIsAllBody() {
    String text = "---\ntitle: x\nno end";
    assertEquals(text, FrontMatter.parse(text).body());
    assertTrue(FrontMatter.parse(text).frontMatter().title().isEmpty());
    assertEquals("# Title\n", FrontMatter.parse("# Title\n").body());
  }

  @Test
  void brokenValuesAreIgnoredNotGuessed() {
    FrontMatter.Split split =
        FrontMatter.parse("---\ntitle: \"unclosed\ncreated: yesterday\ndure-page: \"\\q\"\n---\n");
    assertTrue(split.frontMatter().title().isEmpty());
    assertTrue(split.frontMatter().created().isEmpty());
    assertTrue(split.frontMatter().pageId().isEmpty());
  }
}

package org.dure.ui.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class TaskListsTest {

  @Test
  void ticksExactlyTheNthTask() {
    String md = "# Plan\n\n- [ ] seeds [[Compost]]\n- [x] water\n  - [ ] nested\n\n1. [ ] last\n";
    assertEquals(
        Optional.of(md.replace("- [ ] seeds", "- [x] seeds")), TaskLists.setChecked(md, 0, true));
    assertEquals(
        Optional.of(md.replace("- [x] water", "- [ ] water")), TaskLists.setChecked(md, 1, false));
    assertEquals(
        Optional.of(md.replace("- [ ] nested", "- [x] nested")), TaskLists.setChecked(md, 2, true));
    assertEquals(
        Optional.of(md.replace("1. [ ] last", "1. [x] last")), TaskLists.setChecked(md, 3, true));
  }

  @Test
  void countsTasksAsTheRendererNumbersThem() {
    // Code, wiki links and quotes before a task do not shift the numbering.
    String md =
        "```\n- [ ] in code\n```\n> - [ ] quoted [[A|b]] @x\n\n    - [ ] indented code\n- [ ] real";
    String html = new MarkdownRenderer().render(md, t -> Optional.empty(), t -> "n");
    assertEquals(2, html.split("class=\"task-box\"", -1).length - 1, html);
    assertEquals(
        Optional.of(md.replace("- [ ] real", "- [x] real")), TaskLists.setChecked(md, 1, true));
    assertEquals(
        Optional.of(md.replace("> - [ ] quoted", "> - [x] quoted")),
        TaskLists.setChecked(md, 0, true));
  }

  @Test
  void windowsLineEndsAreKept() {
    String md = "a\r\n\r\n- [ ] one\r\n- [ ] two\r\n";
    assertEquals(
        Optional.of("a\r\n\r\n- [ ] one\r\n- [X] two\r\n".replace("[X]", "[x]")),
        TaskLists.setChecked(md, 1, true));
  }

  @Test
  void nothingForAMissingTaskOrNoChange() {
    assertEquals(Optional.empty(), TaskLists.setChecked("- [ ] a", 1, true));
    assertEquals(Optional.empty(), TaskLists.setChecked("- [ ] a", -1, true));
    assertEquals(Optional.empty(), TaskLists.setChecked("- [x] a", 0, true));
    assertEquals(Optional.empty(), TaskLists.setChecked("no tasks", 0, true));
  }
}

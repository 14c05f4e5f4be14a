package org.dure.ui.render;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.commonmark.ext.task.list.items.TaskListItemMarker;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.CustomNode;
import org.commonmark.node.Node;
import org.commonmark.node.SourceSpan;
import org.commonmark.parser.IncludeSourceSpans;
import org.commonmark.parser.Parser;

/**
 * Ticking a task in the page's source: finds the N-th task ({@code data-task="N"} of {@link
 * MarkdownRenderer}'s checkboxes, counted the same way) and turns its {@code [ ]} into {@code [x]}
 * or back, changing nothing else.
 */
public final class TaskLists {
  private static final Parser PARSER =
      Parser.builder()
          .extensions(MarkdownRenderer.EXTENSIONS)
          .includeSourceSpans(IncludeSourceSpans.BLOCKS)
          .build();

  private TaskLists() {}

  /**
   * {@code markdown} with task {@code index} ticked ({@code checked}) or not; empty when there is
   * no such task (the source changed meanwhile) or it already is so.
   */
  public static Optional<String> setChecked(String markdown, int index, boolean checked) {
    if (index < 0) {
      return Optional.empty();
    }
    // The renderer parses the text with wiki links rewritten: the same lines, and on a task's line
    // nothing before its box changes, so lines and columns found there hold in the original.
    Node document = PARSER.parse(MarkdownRenderer.rewriteWikiLinks(markdown));
    List<TaskListItemMarker> markers = new ArrayList<>();
    document.accept(
        new AbstractVisitor() {
          @Override
          public void visit(CustomNode node) {
            if (node instanceof TaskListItemMarker m) {
              markers.add(m);
            }
            visitChildren(node);
          }
        });
    if (index >= markers.size()) {
      return Optional.empty();
    }
    Node content = markers.get(index).getNext();
    if (content == null || content.getSourceSpans().isEmpty()) {
      return Optional.empty();
    }
    SourceSpan span = content.getSourceSpans().get(0);
    int at = offset(markdown, span.getLineIndex(), span.getColumnIndex());
    if (at < 0 || at + 3 > markdown.length()) {
      return Optional.empty();
    }
    char box = markdown.charAt(at + 1);
    if (markdown.charAt(at) != '[' || markdown.charAt(at + 2) != ']' || " xX\t".indexOf(box) < 0) {
      return Optional.empty();
    }
    boolean was = box == 'x' || box == 'X';
    if (was == checked) {
      return Optional.empty();
    }
    return Optional.of(
        markdown.substring(0, at + 1) + (checked ? 'x' : ' ') + markdown.substring(at + 2));
  }

  /** The offset of column {@code column} of line {@code line} (lines end at \n, \r\n or \r). */
  private static int offset(String s, int line, int column) {
    int i = 0;
    for (int l = 0; l < line; l++) {
      while (i < s.length() && s.charAt(i) != '\n' && s.charAt(i) != '\r') {
        i++;
      }
      if (i >= s.length()) {
        return -1;
      }
      if (s.charAt(i) == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
        i++;
      }
      i++;
    }
    return i + column;
  }
}

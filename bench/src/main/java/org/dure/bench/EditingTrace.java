package org.dure.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The editing trace of a real paper ({@code editing-trace.json.gz}: {@code [[pos, deleteCount,
 * insertText?], ...]}) and its expected final text.
 */
public final class EditingTrace {

  /** One edit: delete {@code deleteCount} characters at {@code pos}, then insert {@code text}. */
  public record Edit(int pos, int deleteCount, String text) {}

  private EditingTrace() {}

  /**
   * The shared data directory: {@code DURE_BENCH_DATA}, else the first {@code shared/data} found
   * beside the working directory or one of its parents (the repository's {@code ../shared/data}).
   */
  public static Path dataDir() {
    String env = System.getenv("DURE_BENCH_DATA");
    if (env != null) {
      return Path.of(env);
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("shared").resolve("data");
      if (Files.isReadable(candidate.resolve("editing-trace.json.gz"))) {
        return candidate;
      }
    }
    return Path.of("..", "shared", "data");
  }

  public static List<Edit> load(Path gz) throws IOException {
    return parse(readGzip(gz));
  }

  public static String expectedFinalText(Path gz) throws IOException {
    return readGzip(gz);
  }

  static String readGzip(Path gz) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Parses the trace's JSON (an array of arrays of two numbers and an optional string). */
  static List<Edit> parse(String json) {
    var p = new Parser(json);
    List<Edit> edits = new ArrayList<>();
    p.expect('[');
    p.skipSpace();
    if (p.peek() == ']') {
      return edits;
    }
    while (true) {
      p.expect('[');
      int pos = p.integer();
      p.expect(',');
      int del = p.integer();
      String text = "";
      p.skipSpace();
      if (p.peek() == ',') {
        p.expect(',');
        text = p.string();
      }
      p.expect(']');
      edits.add(new Edit(pos, del, text));
      p.skipSpace();
      if (p.peek() == ',') {
        p.expect(',');
      } else {
        p.expect(']');
        return edits;
      }
    }
  }

  /** Applies the edits to a plain string: the reference the variants are checked against. */
  public static String apply(List<Edit> edits) {
    StringBuilder sb = new StringBuilder();
    for (Edit e : edits) {
      sb.replace(e.pos(), e.pos() + e.deleteCount(), e.text());
    }
    return sb.toString();
  }

  private static final class Parser {
    private final String s;
    private int i;

    Parser(String s) {
      this.s = s;
    }

    char peek() {
      if (i >= s.length()) {
        throw new IllegalArgumentException("Unexpected end of the trace");
      }
      return s.charAt(i);
    }

    void skipSpace() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }

    void expect(char c) {
      skipSpace();
      if (peek() != c) {
        throw new IllegalArgumentException("Expected '" + c + "' at " + i + ", found " + peek());
      }
      i++;
    }

    int integer() {
      skipSpace();
      int start = i;
      while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '-')) {
        i++;
      }
      return Integer.parseInt(s.substring(start, i));
    }

    String string() {
      expect('"');
      StringBuilder sb = new StringBuilder();
      while (true) {
        char c = peek();
        i++;
        if (c == '"') {
          return sb.toString();
        }
        if (c != '\\') {
          sb.append(c);
          continue;
        }
        char e = peek();
        i++;
        switch (e) {
          case 'n' -> sb.append('\n');
          case 't' -> sb.append('\t');
          case 'r' -> sb.append('\r');
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'u' -> {
            sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            i += 4;
          }
          default -> sb.append(e);
        }
      }
    }
  }
}

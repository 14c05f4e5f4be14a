package org.dure.store.vault;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import org.dure.store.wiki.WikiLinks;

/**
 * Finds the links of a Markdown text outside code, as Dure's renderer sees them, and lets a caller
 * replace them: wiki links {@code [[target|label]]} (and Obsidian's embeds {@code ![[target]]}),
 * and inline links and images {@code [text](destination "title")}. Code (fenced blocks, lines
 * indented by four spaces or a tab, code spans) is copied untouched.
 */
final class MarkdownLinks {
  private MarkdownLinks() {}

  /**
   * A wiki link {@code [[target|label]]}, or an embed {@code ![[target]]}.
   *
   * @param target as written, trimmed
   * @param label trimmed, null when absent or blank
   * @param source the whole link as written (with the {@code !} of an embed)
   */
  record WikiLink(String target, String label, boolean embed, String source) {}

  /**
   * An inline link or image.
   *
   * @param text what is between the brackets, as written
   * @param destination the destination, unescaped and percent-decoded (for a relative path)
   * @param rest what follows the destination before {@code )}: an optional title, as written
   * @param source the whole link as written
   */
  record InlineLink(boolean image, String text, String destination, String rest, String source) {}

  /** What to write for each link found; empty keeps it as written. */
  interface Rewriter {
    Optional<String> wiki(WikiLink link);

    Optional<String> inline(InlineLink link);
  }

  /** {@code markdown} with each link outside code replaced as {@code rewriter} says. */
  static String rewrite(String markdown, Rewriter rewriter) {
    return WikiLinks.mapOutsideCode(
        markdown,
        line -> {
          StringBuilder out = new StringBuilder(line.length() + 16);
          rewriteLine(line, rewriter, out);
          return out.toString();
        });
  }

  private static void rewriteLine(String line, Rewriter rewriter, StringBuilder out) {
    int i = 0;
    while (i < line.length()) {
      char c = line.charAt(i);
      if (c == '\\' && i + 1 < line.length()) {
        out.append(line, i, i + 2); // an escaped character starts nothing
        i += 2;
        continue;
      }
      if (c == '`') {
        int run = i;
        while (run < line.length() && line.charAt(run) == '`') {
          run++;
        }
        String ticks = line.substring(i, run);
        int close = line.indexOf(ticks, run);
        int end = close < 0 ? run : close + ticks.length();
        out.append(line, i, end);
        i = end;
        continue;
      }
      boolean bang = c == '!' && i + 1 < line.length() && line.charAt(i + 1) == '[';
      int open = bang ? i + 1 : i;
      if (c == '[' || bang) {
        if (line.startsWith("[[", open)) {
          Matcher m = WikiLinks.LINK.matcher(line);
          m.region(open, line.length());
          if (m.lookingAt()) {
            String label = m.group(2) == null || m.group(2).isBlank() ? null : m.group(2).strip();
            WikiLink link =
                new WikiLink(m.group(1).strip(), label, bang, line.substring(i, m.end()));
            out.append(rewriter.wiki(link).orElse(link.source()));
            i = m.end();
            continue;
          }
        }
        int end = inlineLinkEnd(line, open);
        if (end > 0) {
          InlineLink link = parseInline(line, i, open, end, bang);
          out.append(rewriter.inline(link).orElse(link.source()));
          i = end;
          continue;
        }
      }
      out.append(c);
      i++;
    }
  }

  /** The end (after {@code )}) of an inline link whose {@code [} is at {@code open}, or -1. */
  private static int inlineLinkEnd(String line, int open) {
    int close = closingBracket(line, open);
    if (close < 0 || close + 1 >= line.length() || line.charAt(close + 1) != '(') {
      return -1;
    }
    int i = close + 2;
    while (i < line.length() && line.charAt(i) == ' ') {
      i++;
    }
    if (i < line.length() && line.charAt(i) == '<') {
      int gt = line.indexOf('>', i);
      if (gt < 0) {
        return -1;
      }
      i = gt + 1;
    } else {
      int depth = 0;
      while (i < line.length()) {
        char ch = line.charAt(i);
        if (ch == '\\' && i + 1 < line.length()) {
          i += 2;
          continue;
        }
        if (ch == ' ' || (ch == ')' && depth == 0)) {
          break;
        }
        if (ch == '(') {
          depth++;
        } else if (ch == ')') {
          depth--;
        }
        i++;
      }
    }
    // An optional title, then ")".
    while (i < line.length() && line.charAt(i) == ' ') {
      i++;
    }
    if (i < line.length() && (line.charAt(i) == '"' || line.charAt(i) == '\'')) {
      int q = line.indexOf(line.charAt(i), i + 1);
      if (q < 0) {
        return -1;
      }
      i = q + 1;
      while (i < line.length() && line.charAt(i) == ' ') {
        i++;
      }
    }
    return i < line.length() && line.charAt(i) == ')' ? i + 1 : -1;
  }

  /** The {@code ]} that closes the {@code [} at {@code open} (brackets nest), or -1. */
  private static int closingBracket(String line, int open) {
    int depth = 0;
    for (int i = open; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (ch == '\\') {
        i++;
      } else if (ch == '[') {
        depth++;
      } else if (ch == ']' && --depth == 0) {
        return i;
      }
    }
    return -1;
  }

  private static InlineLink parseInline(String line, int start, int open, int end, boolean bang) {
    int close = closingBracket(line, open);
    String text = line.substring(open + 1, close);
    String inside = line.substring(close + 2, end - 1);
    String trimmed = inside.stripLeading();
    String destination;
    String rest;
    if (trimmed.startsWith("<")) {
      int gt = trimmed.indexOf('>');
      destination = unescape(trimmed.substring(1, gt));
      rest = trimmed.substring(gt + 1);
    } else {
      int sp = trimmed.indexOf(' ');
      String raw = sp < 0 ? trimmed : trimmed.substring(0, sp);
      rest = sp < 0 ? "" : trimmed.substring(sp);
      destination = percentDecode(unescape(raw));
    }
    return new InlineLink(bang, text, destination, rest, line.substring(start, end));
  }

  private static String unescape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length() && isAsciiPunctuation(s.charAt(i + 1))) {
        c = s.charAt(++i);
      }
      sb.append(c);
    }
    return sb.toString();
  }

  private static boolean isAsciiPunctuation(char c) {
    return c < 128 && "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".indexOf(c) >= 0;
  }

  /**
   * Decodes {@code %XX} sequences as UTF-8 (a {@code +} stays a plus); bad ones stay as written.
   */
  static String percentDecode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int i = 0;
    while (i < s.length()) {
      if (s.charAt(i) == '%' && hex(s, i + 1) >= 0) {
        bytes.reset();
        while (i < s.length() && s.charAt(i) == '%' && hex(s, i + 1) >= 0) {
          bytes.write(hex(s, i + 1));
          i += 3;
        }
        out.append(bytes.toString(StandardCharsets.UTF_8));
      } else {
        out.append(s.charAt(i++));
      }
    }
    return out.toString();
  }

  private static int hex(String s, int at) {
    if (at + 1 >= s.length()) {
      return -1;
    }
    int hi = Character.digit(s.charAt(at), 16);
    int lo = Character.digit(s.charAt(at + 1), 16);
    return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
  }

  /**
   * {@code path} as a link destination: each segment percent-encoded but for unreserved characters
   * and non-ASCII letters, which Obsidian and browsers read as they are.
   */
  static String encodePath(String path) {
    StringBuilder sb = new StringBuilder(path.length() + 8);
    byte[] utf8;
    for (int i = 0; i < path.length(); ) {
      int cp = path.codePointAt(i);
      i += Character.charCount(cp);
      if (cp >= 0x80 || Character.isLetterOrDigit(cp) || "-._~/!$&'*+,;=:@".indexOf(cp) >= 0) {
        if (cp >= 0x80 && (Character.isWhitespace(cp) || Character.isISOControl(cp))) {
          utf8 = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
          for (byte b : utf8) {
            sb.append('%').append(String.format(java.util.Locale.ROOT, "%02X", b & 0xff));
          }
        } else {
          sb.appendCodePoint(cp);
        }
      } else {
        sb.append('%').append(String.format(java.util.Locale.ROOT, "%02X", cp));
      }
    }
    return sb.toString();
  }
}

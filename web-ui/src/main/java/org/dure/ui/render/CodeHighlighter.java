package org.dure.ui.render;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Colours fenced code on the server: splits it into keywords, strings, comments, numbers and
 * literals and wraps each in a {@code <span class="tok-…">} that {@code styles.css} colours (light
 * and dark). Everything else is escaped text, so the output holds no markup but those spans.
 *
 * <p>A small lexer per family of languages (C-like, hash-comment, SQL, JSON, CSS), not a parser: it
 * is meant to make code easier to read, not to be exact. An unknown language is shown plain.
 */
public final class CodeHighlighter {

  /** The token classes this emits (and the sanitizer lets through). */
  static final List<String> CLASSES = List.of("tok-kw", "tok-str", "tok-com", "tok-num", "tok-lit");

  /** Code longer than this is shown plain (the lexer is linear, but the page stays light). */
  static final int MAX_LENGTH = 200_000;

  private record Lang(
      List<String> lineComments,
      Optional<String[]> blockComment,
      String quotes,
      boolean tripleQuotes,
      Set<String> keywords,
      boolean caseInsensitive) {}

  private static final Set<String> LITERALS =
      Set.of("true", "false", "null", "nil", "None", "True", "False", "undefined", "NULL");

  private static final Set<String> JAVA =
      Set.of(
          "abstract",
          "assert",
          "boolean",
          "break",
          "byte",
          "case",
          "catch",
          "char",
          "class",
          "const",
          "continue",
          "default",
          "do",
          "double",
          "else",
          "enum",
          "extends",
          "final",
          "finally",
          "float",
          "for",
          "if",
          "implements",
          "import",
          "instanceof",
          "int",
          "interface",
          "long",
          "native",
          "new",
          "package",
          "private",
          "protected",
          "public",
          "record",
          "return",
          "sealed",
          "short",
          "static",
          "super",
          "switch",
          "synchronized",
          "this",
          "throw",
          "throws",
          "try",
          "var",
          "void",
          "volatile",
          "while",
          "yield",
          "fun",
          "val",
          "when",
          "object",
          "override",
          "open",
          "data",
          "internal",
          "is",
          "in");

  private static final Set<String> JS =
      Set.of(
          "async",
          "await",
          "break",
          "case",
          "catch",
          "class",
          "const",
          "continue",
          "default",
          "delete",
          "do",
          "else",
          "export",
          "extends",
          "finally",
          "for",
          "from",
          "function",
          "if",
          "import",
          "in",
          "instanceof",
          "interface",
          "let",
          "new",
          "of",
          "return",
          "static",
          "super",
          "switch",
          "this",
          "throw",
          "try",
          "type",
          "typeof",
          "var",
          "void",
          "while",
          "yield",
          "enum",
          "implements",
          "private",
          "public",
          "readonly");

  private static final Set<String> C =
      Set.of(
          "auto",
          "break",
          "case",
          "char",
          "const",
          "continue",
          "default",
          "do",
          "double",
          "else",
          "enum",
          "extern",
          "float",
          "for",
          "goto",
          "if",
          "inline",
          "int",
          "long",
          "register",
          "return",
          "short",
          "signed",
          "sizeof",
          "static",
          "struct",
          "switch",
          "typedef",
          "union",
          "unsigned",
          "void",
          "volatile",
          "while",
          "class",
          "namespace",
          "template",
          "typename",
          "public",
          "private",
          "protected",
          "virtual",
          "new",
          "delete",
          "using",
          "func",
          "package",
          "import",
          "go",
          "chan",
          "defer",
          "select",
          "range",
          "type",
          "var",
          "map",
          "interface",
          "fn",
          "let",
          "mut",
          "impl",
          "trait",
          "pub",
          "use",
          "mod",
          "match",
          "loop",
          "where",
          "self",
          "crate",
          "as",
          "ref",
          "move",
          "async",
          "await",
          "dyn",
          "string");

  private static final Set<String> PYTHON =
      Set.of(
          "and",
          "as",
          "assert",
          "async",
          "await",
          "break",
          "class",
          "continue",
          "def",
          "del",
          "elif",
          "else",
          "except",
          "finally",
          "for",
          "from",
          "global",
          "if",
          "import",
          "in",
          "is",
          "lambda",
          "nonlocal",
          "not",
          "or",
          "pass",
          "raise",
          "return",
          "try",
          "while",
          "with",
          "yield",
          "match",
          "case");

  private static final Set<String> SHELL =
      Set.of(
          "if",
          "then",
          "else",
          "elif",
          "fi",
          "for",
          "while",
          "until",
          "do",
          "done",
          "case",
          "esac",
          "in",
          "function",
          "return",
          "export",
          "local",
          "readonly",
          "set",
          "unset",
          "echo",
          "exit",
          "cd",
          "source",
          "shift",
          "trap");

  private static final Set<String> SQL =
      Set.of(
          "select",
          "from",
          "where",
          "insert",
          "into",
          "values",
          "update",
          "set",
          "delete",
          "create",
          "table",
          "index",
          "drop",
          "alter",
          "add",
          "primary",
          "key",
          "foreign",
          "references",
          "not",
          "null",
          "and",
          "or",
          "join",
          "left",
          "right",
          "inner",
          "outer",
          "on",
          "group",
          "by",
          "order",
          "having",
          "limit",
          "offset",
          "as",
          "distinct",
          "union",
          "all",
          "case",
          "when",
          "then",
          "else",
          "end",
          "begin",
          "commit",
          "rollback",
          "pragma",
          "integer",
          "text",
          "blob",
          "real",
          "with",
          "exists",
          "in",
          "is",
          "like",
          "default");

  private static final Lang C_LIKE_JAVA =
      new Lang(List.of("//"), Optional.of(new String[] {"/*", "*/"}), "\"'", true, JAVA, false);
  private static final Lang C_LIKE_JS =
      new Lang(List.of("//"), Optional.of(new String[] {"/*", "*/"}), "\"'`", false, JS, false);
  private static final Lang C_LIKE_C =
      new Lang(List.of("//"), Optional.of(new String[] {"/*", "*/"}), "\"'`", false, C, false);
  private static final Lang PY =
      new Lang(List.of("#"), Optional.empty(), "\"'", true, PYTHON, false);
  private static final Lang SH =
      new Lang(List.of("#"), Optional.empty(), "\"'", false, SHELL, false);
  private static final Lang HASH =
      new Lang(List.of("#"), Optional.empty(), "\"'", false, Set.of(), false);
  private static final Lang SQL_LANG =
      new Lang(List.of("--"), Optional.of(new String[] {"/*", "*/"}), "'\"", false, SQL, true);
  private static final Lang JSON =
      new Lang(List.of(), Optional.empty(), "\"", false, Set.of(), false);
  private static final Lang CSS =
      new Lang(List.of(), Optional.of(new String[] {"/*", "*/"}), "\"'", false, Set.of(), false);

  private static final Map<String, Lang> LANGS =
      Map.ofEntries(
          Map.entry("java", C_LIKE_JAVA),
          Map.entry("kotlin", C_LIKE_JAVA),
          Map.entry("kt", C_LIKE_JAVA),
          Map.entry("scala", C_LIKE_JAVA),
          Map.entry("groovy", C_LIKE_JAVA),
          Map.entry("js", C_LIKE_JS),
          Map.entry("javascript", C_LIKE_JS),
          Map.entry("mjs", C_LIKE_JS),
          Map.entry("ts", C_LIKE_JS),
          Map.entry("typescript", C_LIKE_JS),
          Map.entry("jsx", C_LIKE_JS),
          Map.entry("tsx", C_LIKE_JS),
          Map.entry("c", C_LIKE_C),
          Map.entry("h", C_LIKE_C),
          Map.entry("cpp", C_LIKE_C),
          Map.entry("c++", C_LIKE_C),
          Map.entry("cs", C_LIKE_C),
          Map.entry("csharp", C_LIKE_C),
          Map.entry("go", C_LIKE_C),
          Map.entry("rust", C_LIKE_C),
          Map.entry("rs", C_LIKE_C),
          Map.entry("swift", C_LIKE_C),
          Map.entry("python", PY),
          Map.entry("py", PY),
          Map.entry("sh", SH),
          Map.entry("bash", SH),
          Map.entry("shell", SH),
          Map.entry("zsh", SH),
          Map.entry("console", SH),
          Map.entry("yaml", HASH),
          Map.entry("yml", HASH),
          Map.entry("toml", HASH),
          Map.entry("ruby", HASH),
          Map.entry("rb", HASH),
          Map.entry("dockerfile", HASH),
          Map.entry("sql", SQL_LANG),
          Map.entry("json", JSON),
          Map.entry("css", CSS));

  private CodeHighlighter() {}

  /** Whether {@code language} (a fenced block's info word) is coloured. */
  public static boolean knows(String language) {
    return LANGS.containsKey(language.toLowerCase(Locale.ROOT));
  }

  /**
   * {@code code} as escaped HTML with its tokens in {@code <span class="tok-…">}; plain escaped
   * text for an unknown language or code over {@link #MAX_LENGTH}.
   */
  public static String highlight(String code, String language) {
    Lang lang = LANGS.get(language.toLowerCase(Locale.ROOT));
    StringBuilder out = new StringBuilder(code.length() + code.length() / 4);
    if (lang == null || code.length() > MAX_LENGTH) {
      escape(code, 0, code.length(), out);
      return out.toString();
    }
    int i = 0;
    int n = code.length();
    int plain = 0;
    while (i < n) {
      char c = code.charAt(i);
      int end = -1;
      String cls = null;
      String line = lineComment(code, i, lang);
      if (line != null) {
        end = indexOrEnd(code, "\n", i);
        cls = "tok-com";
      } else if (lang.blockComment().isPresent()
          && code.startsWith(lang.blockComment().get()[0], i)) {
        String close = lang.blockComment().get()[1];
        int at = code.indexOf(close, i + 2);
        end = at < 0 ? n : at + close.length();
        cls = "tok-com";
      } else if (lang.quotes().indexOf(c) >= 0) {
        end = stringEnd(code, i, lang.tripleQuotes());
        cls = "tok-str";
      } else if (Character.isDigit(c) && (i == 0 || !isWord(code.charAt(i - 1)))) {
        end = i + 1;
        while (end < n && (isWord(code.charAt(end)) || code.charAt(end) == '.')) {
          end++;
        }
        cls = "tok-num";
      } else if (isWordStart(c) && (i == 0 || !isWord(code.charAt(i - 1)))) {
        end = i + 1;
        while (end < n && isWord(code.charAt(end))) {
          end++;
        }
        String word = code.substring(i, end);
        String key = lang.caseInsensitive() ? word.toLowerCase(Locale.ROOT) : word;
        if (LITERALS.contains(word)) {
          cls = "tok-lit";
        } else if (lang.keywords().contains(key)) {
          cls = "tok-kw";
        }
      }
      if (end < 0) {
        i++;
        continue;
      }
      if (cls != null) {
        escape(code, plain, i, out);
        out.append("<span class=\"").append(cls).append("\">");
        escape(code, i, end, out);
        out.append("</span>");
        plain = end;
      }
      i = end;
    }
    escape(code, plain, n, out);
    return out.toString();
  }

  private static String lineComment(String code, int i, Lang lang) {
    for (String start : lang.lineComments()) {
      if (code.startsWith(start, i)
          && (!start.equals("#") || i == 0 || !isWord(code.charAt(i - 1)))) {
        return start;
      }
    }
    return null;
  }

  /** The end (exclusive) of the string literal opening at {@code i}; at most the line's end. */
  private static int stringEnd(String code, int i, boolean triple) {
    char q = code.charAt(i);
    String three = String.valueOf(q).repeat(3);
    if (triple && code.startsWith(three, i)) {
      int at = code.indexOf(three, i + 3);
      return at < 0 ? code.length() : at + 3;
    }
    int j = i + 1;
    while (j < code.length()) {
      char c = code.charAt(j);
      if (c == '\\') {
        j += 2;
        continue;
      }
      if (c == q) {
        return j + 1;
      }
      if (c == '\n' && q != '`') {
        return j;
      }
      j++;
    }
    return code.length();
  }

  private static int indexOrEnd(String s, String what, int from) {
    int at = s.indexOf(what, from);
    return at < 0 ? s.length() : at;
  }

  private static boolean isWordStart(char c) {
    return Character.isLetter(c) || c == '_' || c == '$';
  }

  private static boolean isWord(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$';
  }

  private static void escape(String s, int from, int to, StringBuilder out) {
    for (int k = from; k < Math.min(to, s.length()); k++) {
      char c = s.charAt(k);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
  }
}

package org.dure.api;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader and writer for the command line's side of the local API ({@link ApiClient},
 * {@link NodeInfo}), so that a command against a running Dure loads no JSON library (it starts in a
 * fraction of a second). Objects read as {@link LinkedHashMap}, arrays as {@link ArrayList},
 * numbers as {@link Long} (or {@link Double} when not integral), and {@code true}, {@code false},
 * {@code null}, strings as themselves. The server side keeps Jackson.
 */
final class Json {
  /** Deepest nesting read: the API's answers are at most three levels deep. */
  private static final int MAX_DEPTH = 32;

  private final String s;
  private int i;

  private Json(String s) {
    this.s = s;
  }

  /** Thrown for text that is not one JSON value. */
  static final class ParseException extends Exception {
    private static final long serialVersionUID = 1L;

    ParseException(String message) {
      super(message);
    }
  }

  /** Reads one JSON value (surrounded by white space at most). */
  static Object parse(String text) throws ParseException {
    Json p = new Json(text);
    p.space();
    Object v = p.value(0);
    p.space();
    if (p.i != text.length()) {
      throw new ParseException("text after the value at " + p.i);
    }
    return v;
  }

  private Object value(int depth) throws ParseException {
    if (depth > MAX_DEPTH) {
      throw new ParseException("nested too deeply");
    }
    if (i >= s.length()) {
      throw new ParseException("unexpected end");
    }
    char c = s.charAt(i);
    switch (c) {
      case '{' -> {
        return object(depth);
      }
      case '[' -> {
        return array(depth);
      }
      case '"' -> {
        return string();
      }
      case 't' -> {
        return literal("true", Boolean.TRUE);
      }
      case 'f' -> {
        return literal("false", Boolean.FALSE);
      }
      case 'n' -> {
        return literal("null", null);
      }
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw new ParseException("unexpected '" + c + "' at " + i);
      }
    }
  }

  private Map<String, Object> object(int depth) throws ParseException {
    Map<String, Object> map = new LinkedHashMap<>();
    i++;
    space();
    if (peek() == '}') {
      i++;
      return map;
    }
    while (true) {
      space();
      if (peek() != '"') {
        throw new ParseException("expected a name at " + i);
      }
      String name = string();
      space();
      expect(':');
      space();
      map.put(name, value(depth + 1));
      space();
      char c = next();
      if (c == '}') {
        return map;
      }
      if (c != ',') {
        throw new ParseException("expected , or } at " + (i - 1));
      }
    }
  }

  private List<Object> array(int depth) throws ParseException {
    List<Object> list = new ArrayList<>();
    i++;
    space();
    if (peek() == ']') {
      i++;
      return list;
    }
    while (true) {
      space();
      list.add(value(depth + 1));
      space();
      char c = next();
      if (c == ']') {
        return list;
      }
      if (c != ',') {
        throw new ParseException("expected , or ] at " + (i - 1));
      }
    }
  }

  private String string() throws ParseException {
    i++; // the opening quote
    StringBuilder b = new StringBuilder();
    while (true) {
      char c = next();
      if (c == '"') {
        return b.toString();
      }
      if (c < 0x20) {
        throw new ParseException("control character in a string at " + (i - 1));
      }
      if (c != '\\') {
        b.append(c);
        continue;
      }
      char e = next();
      switch (e) {
        case '"', '\\', '/' -> b.append(e);
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'u' -> {
          if (i + 4 > s.length()) {
            throw new ParseException("unexpected end");
          }
          try {
            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
          } catch (NumberFormatException x) {
            throw new ParseException("bad \\u escape at " + i);
          }
          i += 4;
        }
        default -> throw new ParseException("bad escape at " + (i - 1));
      }
    }
  }

  private Object number() throws ParseException {
    int start = i;
    if (peek() == '-') {
      i++;
    }
    boolean integral = true;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        i++;
      } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
        integral = false;
        i++;
      } else {
        break;
      }
    }
    String text = s.substring(start, i);
    try {
      return integral ? (Object) Long.parseLong(text) : (Object) Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new ParseException("bad number at " + start);
    }
  }

  private Object literal(String word, Object value) throws ParseException {
    if (!s.startsWith(word, i)) {
      throw new ParseException("unexpected text at " + i);
    }
    i += word.length();
    return value;
  }

  private void space() {
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      i++;
    }
  }

  private char peek() throws ParseException {
    if (i >= s.length()) {
      throw new ParseException("unexpected end");
    }
    return s.charAt(i);
  }

  private char next() throws ParseException {
    char c = peek();
    i++;
    return c;
  }

  private void expect(char c) throws ParseException {
    if (next() != c) {
      throw new ParseException("expected " + c + " at " + (i - 1));
    }
  }

  /**
   * Writes {@code value} (a map with string keys, a list, a string, a number, a boolean or null) as
   * JSON; with {@code indent}, objects and arrays one member a line, two spaces deeper each level.
   */
  static String write(Object value, boolean indent) {
    StringBuilder b = new StringBuilder();
    write(b, value, indent ? 0 : -1);
    return b.toString();
  }

  private static void write(StringBuilder b, Object v, int level) {
    if (v == null) {
      b.append("null");
    } else if (v instanceof String str) {
      quote(b, str);
    } else if (v instanceof Boolean || v instanceof Long || v instanceof Integer) {
      b.append(v);
    } else if (v instanceof Number n) {
      double d = n.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new IllegalArgumentException("not a JSON number: " + d);
      }
      b.append(n);
    } else if (v instanceof Map<?, ?> map) {
      b.append('{');
      Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<?, ?> e = it.next();
        newline(b, level + 1);
        quote(b, (String) e.getKey());
        b.append(level >= 0 ? " : " : ":");
        write(b, e.getValue(), level < 0 ? -1 : level + 1);
        if (it.hasNext()) {
          b.append(',');
        }
      }
      if (!map.isEmpty()) {
        newline(b, level);
      }
      b.append('}');
    } else if (v instanceof List<?> list) {
      b.append('[');
      for (int k = 0; k < list.size(); k++) {
        if (k > 0) {
          b.append(level >= 0 ? ", " : ",");
        }
        write(b, list.get(k), level < 0 ? -1 : level + 1);
      }
      b.append(']');
    } else {
      throw new IllegalArgumentException("cannot write " + v.getClass().getName() + " as JSON");
    }
  }

  private static void newline(StringBuilder b, int level) {
    if (level < 0) {
      return;
    }
    b.append('\n');
    b.append("  ".repeat(level));
  }

  private static void quote(StringBuilder b, String s) {
    b.append('"');
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}

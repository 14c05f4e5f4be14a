package org.dure.store.vault;

import java.time.Instant;
import java.util.List;

/**
 * The pages of the static HTML site around each page's rendered Markdown: a page, the index and a
 * small stylesheet. Nothing here runs script; a Content-Security-Policy forbids it too.
 */
final class HtmlSite {
  static final String STYLESHEET = "style.css";
  static final String INDEX = "index.html";

  private HtmlSite() {}

  /** An entry of the index. */
  record Listed(String title, String href, Instant updated) {}

  private static String head(String title) {
    return "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        + "<meta http-equiv=\"Content-Security-Policy\""
        + " content=\"script-src 'none'; object-src 'none'; base-uri 'none'\">\n"
        + "<meta name=\"generator\" content=\"Dure\">\n"
        + "<title>"
        + escape(title)
        + "</title>\n<link rel=\"stylesheet\" href=\""
        + STYLESHEET
        + "\">\n</head>\n";
  }

  /** A page: its title, its sanitized HTML, when it was changed, a way back to the index. */
  static String page(String spaceName, String title, String html, Instant updated) {
    return head(title + " · " + spaceName)
        + "<body>\n<nav><a href=\""
        + INDEX
        + "\">"
        + escape(spaceName)
        + "</a></nav>\n<main>\n<h1>"
        + escape(title)
        + "</h1>\n"
        + html
        + "\n</main>\n<footer><time datetime=\""
        + updated
        + "\">"
        + updated
        + "</time></footer>\n</body>\n</html>\n";
  }

  /** The index: every page by title. */
  static String index(String spaceName, List<Listed> pages) {
    StringBuilder sb =
        new StringBuilder(head(spaceName))
            .append("<body>\n<main>\n<h1>")
            .append(escape(spaceName))
            .append("</h1>\n<ul class=\"pages\">\n");
    for (Listed p : pages) {
      sb.append("<li><a href=\"")
          .append(escape(p.href()))
          .append("\">")
          .append(escape(p.title()))
          .append("</a></li>\n");
    }
    return sb.append("</ul>\n</main>\n</body>\n</html>\n").toString();
  }

  static final String CSS =
      """
      :root { color-scheme: light dark; }
      body { font: 16px/1.6 system-ui, sans-serif; max-width: 46rem; margin: 0 auto;
             padding: 1rem; }
      nav, footer { font-size: .9rem; opacity: .75; }
      a.wiki-link.missing { color: #b00020; text-decoration: underline dotted; }
      pre { overflow-x: auto; padding: .75rem; background: rgba(127, 127, 127, .12); }
      code { font-family: ui-monospace, monospace; }
      table { border-collapse: collapse; display: block; overflow-x: auto; }
      th, td { border: 1px solid rgba(127, 127, 127, .5); padding: .25rem .5rem; }
      img { max-width: 100%; height: auto; }
      """;

  /** {@code s} escaped for HTML text and attribute values. */
  static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}

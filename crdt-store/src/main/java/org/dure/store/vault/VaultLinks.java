package org.dure.store.vault;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.dure.store.wiki.WikiLinks;

/**
 * Rewrites the links of a page between Dure and a vault. In Dure a wiki link names a page by title
 * ({@code [[Harvest / 2026]]}); in a vault it names a file by base name ({@code [[Harvest _
 * 2026|Harvest / 2026]]}), as Obsidian resolves it.
 *
 * <p>Export writes {@code [[B]]} when the text shown is the file's base name {@code B}, else {@code
 * [[B|shown text]]}. Import reads {@code [[B|X]]} (or {@code [[B]]}, where {@code X} is {@code B})
 * back as {@code [[X]]} when {@code X} names the page ({@link WikiLinks#key} equal to its title),
 * else as {@code [[Title|X]]}. So the text a reader sees is kept both ways, and export, import and
 * export again give the same file.
 */
public final class VaultLinks {
  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

  private VaultLinks() {}

  /**
   * A page's Markdown as written into a vault.
   *
   * @param baseNameOf the base name of the file of the page a link target names, empty if none
   * @param attachmentPath the vault path of the attachment a link destination names (e.g. {@code
   *     attachments/photo.png}), empty if it names none
   */
  public static String toVault(
      String markdown,
      Function<String, Optional<String>> baseNameOf,
      Function<String, Optional<String>> attachmentPath) {
    return MarkdownLinks.rewrite(
        markdown,
        new MarkdownLinks.Rewriter() {
          @Override
          public Optional<String> wiki(MarkdownLinks.WikiLink link) {
            String label = link.target().equals(link.label()) ? null : link.label();
            return baseNameOf
                .apply(link.target())
                .map(
                    base -> {
                      String shown = label != null ? label : link.target();
                      return (link.embed() ? "!" : "")
                          + "[["
                          + base
                          + (shown.equals(base) ? "" : "|" + shown)
                          + "]]";
                    });
          }

          @Override
          public Optional<String> inline(MarkdownLinks.InlineLink link) {
            return attachmentPath
                .apply(link.destination())
                .map(path -> withDestination(link, MarkdownLinks.encodePath(path)));
          }
        });
  }

  /** What an import resolves the links of one file against. */
  public interface Resolver {
    /** The title of the page a wiki link target names (a base name, a path or a title). */
    Optional<String> pageForTarget(String target);

    /** The title of the page a relative link names ({@code Other.md}, {@code ../notes/x.md}). */
    Optional<String> pageForPath(String relativePath);

    /**
     * The destination to write for a relative link to a file that is not a page (an image or
     * attachment), or empty to keep the link as written.
     */
    Optional<String> attachment(String relativePath, boolean image);
  }

  /** A vault file's Markdown (without front matter) as a Dure page's. */
  public static String fromVault(String markdown, Resolver resolver) {
    return MarkdownLinks.rewrite(
        markdown,
        new MarkdownLinks.Rewriter() {
          @Override
          public Optional<String> wiki(MarkdownLinks.WikiLink link) {
            String shown = link.label() != null ? link.label() : link.target();
            if (link.embed() && !link.target().toLowerCase(Locale.ROOT).endsWith(".md")) {
              int dot = link.target().lastIndexOf('.');
              if (dot > 0 && resolver.pageForTarget(link.target()).isEmpty()) {
                // ![[photo.png]]: an attachment embedded by name
                return resolver
                    .attachment(link.target(), true)
                    .map(d -> "![" + escapeText(shown) + "](" + d + ")");
              }
            }
            return resolver
                .pageForTarget(link.target())
                .map(title -> (link.embed() ? "!" : "") + wikiLink(title, shown));
          }

          @Override
          public Optional<String> inline(MarkdownLinks.InlineLink link) {
            String dest = link.destination();
            if (!isRelative(dest)) {
              return Optional.empty();
            }
            String path = stripAnchor(dest);
            if (!link.image() && path.toLowerCase(Locale.ROOT).endsWith(".md")) {
              return resolver.pageForPath(path).map(title -> wikiLink(title, link.text()));
            }
            return resolver.attachment(path, link.image()).map(d -> withDestination(link, d));
          }
        });
  }

  /** {@code [[shown]]} when it names the page, else {@code [[title|shown]]}. */
  static String wikiLink(String title, String shown) {
    String s = shown.strip();
    if (s.isEmpty() || !validLabel(s)) {
      return "[[" + title + "]]";
    }
    if (WikiLinks.key(s).equals(WikiLinks.key(title)) && validTarget(s)) {
      return "[[" + s + "]]";
    }
    return "[[" + title + "|" + s + "]]";
  }

  private static boolean validLabel(String s) {
    return s.length() <= WikiLinks.MAX_TITLE_LENGTH
        && s.indexOf('[') < 0
        && s.indexOf(']') < 0
        && s.indexOf('\n') < 0;
  }

  private static boolean validTarget(String s) {
    return validLabel(s) && s.indexOf('|') < 0;
  }

  private static String withDestination(MarkdownLinks.InlineLink link, String destination) {
    return (link.image() ? "!" : "") + "[" + link.text() + "](" + destination + link.rest() + ")";
  }

  private static String escapeText(String s) {
    return s.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]");
  }

  /**
   * Whether a link destination is a path relative to the file (no scheme, host, root or anchor).
   */
  static boolean isRelative(String dest) {
    return !dest.isEmpty()
        && !SCHEME.matcher(dest).find()
        && !dest.startsWith("/")
        && !dest.startsWith("\\")
        && !dest.startsWith("#")
        && !dest.startsWith("?");
  }

  private static String stripAnchor(String dest) {
    int cut = dest.length();
    int hash = dest.indexOf('#');
    if (hash >= 0) {
      cut = hash;
    }
    int query = dest.indexOf('?');
    if (query >= 0 && query < cut) {
      cut = query;
    }
    return dest.substring(0, cut);
  }
}

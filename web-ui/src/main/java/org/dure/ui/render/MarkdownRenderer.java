package org.dure.ui.render;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.commonmark.Extension;
import org.commonmark.ext.autolink.AutolinkExtension;
import org.commonmark.ext.gfm.strikethrough.StrikethroughExtension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.dure.store.wiki.WikiLinks;
import org.owasp.html.HtmlPolicyBuilder;
import org.owasp.html.PolicyFactory;
import org.owasp.html.Sanitizers;

/**
 * Renders page Markdown (CommonMark with tables, strikethrough and autolinks) to HTML that is safe
 * to show: pages come from other people, so the output is sanitized with an allow-list policy (no
 * scripts, styles, event handlers, frames or forms; images only from Dure's own attachment route,
 * shown as thumbnails; links only to http, https, mailto and this app).
 *
 * <p>{@code [[Title]]} and {@code [[Title|text]]} become links to the page, or, when it does not
 * exist, to a form that creates it (class {@code wiki-link missing}). Links inside code are left
 * alone.
 */
public final class MarkdownRenderer {
  private static final String WIKI_SCHEME = "wiki:";
  private static final String MENTION_SCHEME = "mention:";

  /** An @mention of a peer: {@code @} and an Ed25519 peer ID, not inside a word or address. */
  static final Pattern MENTION =
      Pattern.compile("(?<![\\w@])@(12D3KooW[1-9A-HJ-NP-Za-km-z]{44})(?![\\w])");

  private static final Pattern MENTION_TITLE = Pattern.compile("12D3KooW[1-9A-HJ-NP-Za-km-z]{44}");

  /** Where a mention links to: the friends page. */
  public static final String MENTION_HREF = "friends";

  /**
   * An attachment served by Dure ({@code docs/protocol/blobs.md}): the only source an image may
   * have in a page, its thumbnail or the whole image.
   */
  static final Pattern ATTACHMENT = Pattern.compile("/attachments/[0-9a-f]{64}");

  private static final Pattern ATTACHMENT_SRC =
      Pattern.compile("/attachments/[0-9a-f]{64}(\\?thumb)?");

  private static final List<Extension> EXTENSIONS =
      List.of(
          TablesExtension.create(), StrikethroughExtension.create(), AutolinkExtension.create());

  private static final PolicyFactory POLICY = policy(ATTACHMENT_SRC);

  /**
   * An image source in an exported site: a file of its attachment folder, by a relative path
   * (percent-encoded, no scheme, no query, not leaving the folder).
   */
  static final Pattern SITE_ATTACHMENT_SRC =
      Pattern.compile("attachments/(?!\\.)[A-Za-z0-9%._~!$&'()*+,;=@-]{1,1000}");

  private static final PolicyFactory SITE_POLICY = policy(SITE_ATTACHMENT_SRC);

  private static PolicyFactory policy(Pattern imageSrc) {
    return Sanitizers.FORMATTING
        .and(Sanitizers.BLOCKS)
        .and(Sanitizers.TABLES)
        .and(
            new HtmlPolicyBuilder()
                .allowElements("a")
                .allowAttributes("href")
                .onElements("a")
                .allowAttributes("class")
                .matching(false, "wiki-link", "wiki-link missing", "mention")
                .onElements("a")
                .allowAttributes("title")
                .matching(MENTION_TITLE)
                .onElements("a")
                .allowStandardUrlProtocols()
                .requireRelsOnLinks("nofollow", "noopener", "noreferrer")
                .allowAttributes("target")
                .matching(false, "_blank")
                .onElements("a")
                .allowElements("img")
                .allowAttributes("src")
                .matching(imageSrc)
                .onElements("img")
                .allowAttributes("alt", "title")
                .onElements("img")
                .allowAttributes("loading")
                .matching(false, "lazy")
                .onElements("img")
                .allowElements("pre", "code", "hr", "del", "s", "br")
                .allowAttributes("class")
                .matching(false, "language-[a-z0-9+#-]{1,30}")
                .onElements("code")
                .toFactory());
  }

  private final Parser parser;

  public MarkdownRenderer() {
    this.parser = Parser.builder().extensions(EXTENSIONS).build();
  }

  /**
   * Renders {@code markdown}.
   *
   * @param pageHref the href of an existing page with this title, or empty if there is none
   * @param missingHref the href that offers to create a page with this title
   * @return sanitized HTML in a single {@code <div class="markdown">}
   */
  public String render(
      String markdown,
      Function<String, Optional<String>> pageHref,
      Function<String, String> missingHref) {
    return render(markdown, pageHref, missingHref, null, POLICY);
  }

  /**
   * Renders {@code markdown} as a page of an exported static site: wiki links to the pages exported
   * (to {@code #} when there is none), images and file links to the files of the export's
   * attachment folder; an image that was not exported is not shown.
   *
   * @param pageHref the relative href of the exported page with this title, or empty
   * @param attachmentHref the relative href ({@code attachments/…}) of the attachment a link
   *     destination names, or empty if it names none that was exported
   */
  public String renderSite(
      String markdown,
      Function<String, Optional<String>> pageHref,
      Function<String, Optional<String>> attachmentHref) {
    return render(markdown, pageHref, title -> "#", attachmentHref, SITE_POLICY);
  }

  private String render(
      String markdown,
      Function<String, Optional<String>> pageHref,
      Function<String, String> missingHref,
      Function<String, Optional<String>> attachmentHref,
      PolicyFactory policy) {
    String source = rewriteWikiLinks(markdown);
    HtmlRenderer withLinks =
        HtmlRenderer.builder()
            .extensions(EXTENSIONS)
            .escapeHtml(true)
            .sanitizeUrls(true)
            .attributeProviderFactory(
                ctx ->
                    (node, tag, attrs) -> {
                      if (attachmentHref != null) {
                        siteAttachment(node, attrs, attachmentHref);
                      } else if (node instanceof Image image
                          && ATTACHMENT.matcher(image.getDestination()).matches()) {
                        // A thumbnail in the page (the whole image may be any size).
                        attrs.put("src", image.getDestination() + "?thumb");
                        attrs.put("loading", "lazy");
                      }
                      if (attachmentHref == null
                          && node instanceof Link link
                          && ATTACHMENT.matcher(link.getDestination()).matches()) {
                        // Served by Dure, not a view: the browser opens or downloads it.
                        attrs.put("target", "_blank");
                      }
                      if (node instanceof Link link
                          && link.getDestination().startsWith(MENTION_SCHEME)) {
                        String peer = link.getDestination().substring(MENTION_SCHEME.length());
                        attrs.put("href", MENTION_HREF);
                        attrs.put("class", "mention");
                        if (MENTION_TITLE.matcher(peer).matches()) {
                          attrs.put("title", peer);
                        }
                      }
                      if (node instanceof Link link
                          && link.getDestination().startsWith(WIKI_SCHEME)) {
                        String title =
                            URLDecoder.decode(
                                link.getDestination().substring(WIKI_SCHEME.length()),
                                StandardCharsets.UTF_8);
                        Optional<String> href = pageHref.apply(title);
                        attrs.put("href", href.orElseGet(() -> missingHref.apply(title)));
                        attrs.put("class", href.isPresent() ? "wiki-link" : "wiki-link missing");
                      }
                    })
            .build();
    String html = withLinks.render(parser.parse(source));
    return "<div class=\"markdown\">" + policy.sanitize(html) + "</div>";
  }

  /** In a site: an attachment's image or link points at its exported file. */
  private static void siteAttachment(
      org.commonmark.node.Node node,
      java.util.Map<String, String> attrs,
      Function<String, Optional<String>> attachmentHref) {
    if (node instanceof Image image) {
      Optional<String> href = attachmentHref.apply(image.getDestination());
      if (href.isPresent()) {
        attrs.put("src", href.get());
        attrs.put("loading", "lazy");
      }
    } else if (node instanceof Link link) {
      attachmentHref.apply(link.getDestination()).ifPresent(h -> attrs.put("href", h));
    }
  }

  /**
   * Turns {@code [[Title|text]]} outside code into {@code [text](<wiki:Title>)}, a Markdown link
   * the renderer then points at the page.
   */
  static String rewriteWikiLinks(String markdown) {
    StringBuilder out = new StringBuilder(markdown.length() + 16);
    boolean fenced = false;
    String fence = "";
    for (String line : markdown.split("\n", -1)) {
      if (out.length() > 0) {
        out.append('\n');
      }
      String trimmed = line.stripLeading();
      if (trimmed.startsWith("```") || trimmed.startsWith("~~~")) {
        String marker = trimmed.substring(0, 3);
        if (!fenced) {
          fenced = true;
          fence = marker;
        } else if (marker.equals(fence)) {
          fenced = false;
        }
        out.append(line);
        continue;
      }
      if (fenced || line.startsWith("    ") || line.startsWith("\t")) {
        out.append(line);
        continue;
      }
      out.append(rewriteLine(line));
    }
    return out.toString();
  }

  private static String rewriteLine(String line) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < line.length()) {
      char c = line.charAt(i);
      if (c == '`') {
        // A code span: copy up to the matching run of backticks untouched.
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
      if (c == '@') {
        Matcher m = MENTION.matcher(line);
        m.region(i, line.length());
        m.useTransparentBounds(true);
        if (m.lookingAt()) {
          String peer = m.group(1);
          out.append("[@…")
              .append(peer.substring(peer.length() - 8))
              .append("](<")
              .append(MENTION_SCHEME)
              .append(peer)
              .append(">)");
          i = m.end();
          continue;
        }
      }
      if (c == '[' && line.startsWith("[[", i)) {
        Matcher m = WikiLinks.LINK.matcher(line);
        m.region(i, line.length());
        if (m.lookingAt()) {
          String title = m.group(1).strip();
          String label = m.group(2) == null || m.group(2).isBlank() ? title : m.group(2).strip();
          out.append('[')
              .append(escapeLabel(label))
              .append("](<")
              .append(WIKI_SCHEME)
              .append(URLEncoder.encode(title, StandardCharsets.UTF_8))
              .append(">)");
          i = m.end();
          continue;
        }
      }
      out.append(c);
      i++;
    }
    return out.toString();
  }

  private static String escapeLabel(String label) {
    StringBuilder sb = new StringBuilder();
    for (char c : label.toCharArray()) {
      if ("\\[]*_`<>".indexOf(c) >= 0) {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.toString();
  }
}

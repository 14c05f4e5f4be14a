package org.dure.ui.render;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.commonmark.Extension;
import org.commonmark.ext.autolink.AutolinkExtension;
import org.commonmark.ext.footnotes.FootnoteReference;
import org.commonmark.ext.footnotes.FootnotesExtension;
import org.commonmark.ext.gfm.strikethrough.StrikethroughExtension;
import org.commonmark.ext.gfm.tables.TableBlock;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.ext.task.list.items.TaskListItemMarker;
import org.commonmark.ext.task.list.items.TaskListItemsExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.BulletList;
import org.commonmark.node.Code;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.Heading;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.ListItem;
import org.commonmark.node.Node;
import org.commonmark.node.OrderedList;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.NodeRenderer;
import org.commonmark.renderer.html.HtmlNodeRendererContext;
import org.commonmark.renderer.html.HtmlRenderer;
import org.commonmark.renderer.html.HtmlWriter;
import org.dure.store.wiki.WikiLinks;
import org.owasp.html.HtmlPolicyBuilder;
import org.owasp.html.PolicyFactory;

/**
 * Renders page Markdown as people write it on GitHub and in Obsidian (CommonMark with tables,
 * strikethrough, autolinks, task lists, footnotes and coloured fenced code) to HTML that is safe to
 * show: pages come from other people, so the output is sanitized with an allow-list policy (no
 * scripts, styles, event handlers, frames, forms; images only from Dure's own attachment route,
 * shown as thumbnails; links only to http, https, mailto and this app; the only form control a
 * task's checkbox).
 *
 * <p>{@code [[Title]]} and {@code [[Title|text]]} become links to the page, or, when it does not
 * exist, to a form that creates it (class {@code wiki-link missing}). Links inside code are left
 * alone.
 *
 * <p>A task ({@code - [ ] item}) becomes {@code <input type="checkbox" class="task-box"
 * data-task="N">}, N counting the page's tasks from 0 in source order ({@link TaskLists} finds the
 * N-th in the source); disabled unless the caller lets the reader tick it. Footnote references and
 * their notes link to each other inside the page (only where the page's own href is known: in
 * {@link #renderPage}). Fenced code in a language {@link CodeHighlighter} knows is coloured with
 * {@code tok-*} spans.
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

  /**
   * What a footnote's ids look like (the extension makes {@code fn-LABEL}, {@code fnref-LABEL}).
   */
  private static final Pattern FOOTNOTE_ID = Pattern.compile("fn(ref)?-[\\p{L}\\p{N}_-]{1,64}");

  /** A link to a place in the same page, as the HTML renderer writes it. */
  private static final Pattern FRAGMENT_HREF = Pattern.compile(" href=\"(#[^\"]*)\"");

  /** The longest accessible name given to a task's checkbox (its item's text). */
  static final int TASK_LABEL_MAX = 120;

  static final List<Extension> EXTENSIONS =
      List.of(
          TablesExtension.create(),
          StrikethroughExtension.create(),
          AutolinkExtension.create(),
          TaskListItemsExtension.create(),
          FootnotesExtension.create());

  /** The page view's policy: images only from Dure's attachment route. */
  private static final PolicyFactory POLICY = policy(ATTACHMENT_SRC);

  /**
   * An image source in an exported site: a file of its attachment folder, by a relative path
   * (percent-encoded, no scheme, no query, not leaving the folder).
   */
  static final Pattern SITE_ATTACHMENT_SRC =
      Pattern.compile("attachments/(?!\\.)[A-Za-z0-9%._~!$&'()*+,;=@-]{1,1000}");

  private static final PolicyFactory SITE_POLICY = policy(SITE_ATTACHMENT_SRC);

  /**
   * The allow-list, one policy (combined policies intersect where they meet on an element, which
   * would drop the classes of list items): the elements CommonMark and its extensions make, the
   * attributes this renderer sets, each limited to the values it sets; images only from {@code
   * imageSrc}.
   */
  private static PolicyFactory policy(Pattern imageSrc) {
    return new HtmlPolicyBuilder()
        .allowElements(
            "p",
            "div",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "blockquote",
            "ul",
            "ol",
            "li",
            "pre",
            "code",
            "hr",
            "br",
            "em",
            "strong",
            "del",
            "s",
            "sup",
            "section",
            "span")
        .allowAttributes("start")
        .matching(Pattern.compile("[0-9]{1,9}"))
        .onElements("ol")
        .allowElements("table", "thead", "tbody", "tr", "th", "td")
        .allowAttributes("tabindex")
        .matching(false, "0")
        .onElements("table")
        .allowAttributes("align")
        .matching(false, "left", "center", "right")
        .onElements("th", "td")
        .allowElements("a")
        .allowAttributes("href")
        .onElements("a")
        .allowAttributes("class")
        .matching(
            false, "wiki-link", "wiki-link missing", "mention", "footnote-ref", "footnote-backref")
        .onElements("a")
        .allowAttributes("title")
        .matching(MENTION_TITLE)
        .onElements("a")
        .allowStandardUrlProtocols()
        .requireRelsOnLinks("nofollow", "noopener", "noreferrer")
        .allowAttributes("target")
        .matching(false, "_blank")
        .onElements("a")
        // Images: only Dure's attachments (docs/protocol/blobs.md), as thumbnails in a page.
        .allowElements("img")
        .allowAttributes("src")
        .matching(imageSrc)
        .onElements("img")
        .allowAttributes("alt", "title")
        .onElements("img")
        .allowAttributes("loading")
        .matching(false, "lazy")
        .onElements("img")
        .allowAttributes("class")
        .matching(Pattern.compile("language-[a-z0-9+#-]{1,30}"))
        .onElements("code")
        .allowAttributes("class")
        .matching(false, Set.copyOf(CodeHighlighter.CLASSES))
        .onElements("span")
        // Footnotes: numbered references, the list at the end and links between them.
        .allowAttributes("class")
        .matching(false, "footnote-ref")
        .onElements("sup")
        .allowAttributes("class")
        .matching(false, "footnotes")
        .onElements("section")
        .allowAttributes("id")
        .matching(FOOTNOTE_ID)
        .onElements("a", "li")
        .allowAttributes("aria-label")
        .onElements("a")
        // Task lists: a checkbox and nothing else of a form.
        .allowElements("input")
        .allowAttributes("type")
        .matching(false, "checkbox")
        .onElements("input")
        .allowAttributes("class")
        .matching(false, "task-box")
        .onElements("input")
        .allowAttributes("data-task")
        .matching(Pattern.compile("[0-9]{1,6}"))
        .onElements("input")
        .allowAttributes("checked", "disabled", "aria-label")
        .onElements("input")
        .allowAttributes("class")
        .matching(false, "task-list-item")
        .onElements("li")
        .allowAttributes("class")
        .matching(false, "contains-task-list")
        .onElements("ul", "ol")
        .toFactory();
  }

  private final Parser parser;

  public MarkdownRenderer() {
    this.parser = Parser.builder().extensions(EXTENSIONS).build();
  }

  /**
   * Renders {@code markdown}, its tasks' checkboxes disabled.
   *
   * @param pageHref the href of an existing page with this title, or empty if there is none
   * @param missingHref the href that offers to create a page with this title
   * @return sanitized HTML in a single {@code <div class="markdown">}
   */
  public String render(
      String markdown,
      Function<String, Optional<String>> pageHref,
      Function<String, String> missingHref) {
    return render(
        markdown, Optional.empty(), false, pageHref, missingHref, Optional.empty(), null, POLICY);
  }

  /**
   * Renders {@code markdown} as a page of an exported static site: wiki links to the pages exported
   * (to {@code #} when there is none), images and file links to the files of the export's
   * attachment folder (an image that was not exported is not shown), links to places in the page as
   * they are (a file read on its own has no {@code <base href>}).
   *
   * @param pageHref the relative href of the exported page with this title, or empty
   * @param attachmentHref the relative href ({@code attachments/…}) of the attachment a link
   *     destination names, or empty if it names none that was exported
   */
  public String renderSite(
      String markdown,
      Function<String, Optional<String>> pageHref,
      Function<String, Optional<String>> attachmentHref) {
    return render(
        markdown,
        Optional.empty(),
        false,
        pageHref,
        title -> "#",
        Optional.of(""),
        attachmentHref,
        SITE_POLICY);
  }

  /**
   * Renders the body of the page titled {@code title}: as {@link #render(String, Function,
   * Function)}, but a first heading that repeats the title (as many write a page in Obsidian or on
   * GitHub) is left out, since the view shows the title above the body.
   *
   * @param tickable whether the reader may tick the tasks (the checkboxes are enabled)
   */
  public String renderPage(
      String markdown,
      String title,
      boolean tickable,
      Function<String, Optional<String>> pageHref,
      Function<String, String> missingHref) {
    return render(
        markdown,
        Optional.of(title),
        tickable,
        pageHref,
        missingHref,
        pageHref.apply(title),
        null,
        POLICY);
  }

  /**
   * @param self the page's own address, put before links to places in it; empty: such links are
   *     left out (a comment, shown in a page with another address)
   * @param attachmentHref for an exported site, where attachments are files beside the page; null
   *     in the app
   */
  private String render(
      String markdown,
      Optional<String> title,
      boolean tickable,
      Function<String, Optional<String>> pageHref,
      Function<String, String> missingHref,
      Optional<String> self,
      Function<String, Optional<String>> attachmentHref,
      PolicyFactory policy) {
    Node document = parser.parse(rewriteWikiLinks(markdown));
    title.ifPresent(t -> dropRepeatedTitle(document, t));
    // Links to a place in the page (footnotes, [x](#notes)) point into the page itself: the app's
    // <base href> would send a bare "#fn-1" to the start page.
    HtmlRenderer withLinks =
        HtmlRenderer.builder()
            // Before the extensions: the first renderer of a node type wins.
            .nodeRendererFactory(ctx -> new TaskBoxRenderer(ctx, tickable))
            .nodeRendererFactory(FencedCodeRenderer::new)
            .extensions(EXTENSIONS)
            .escapeHtml(true)
            .sanitizeUrls(true)
            .attributeProviderFactory(
                ctx ->
                    (node, tag, attrs) ->
                        attributes(node, attrs, pageHref, missingHref, attachmentHref))
            .build();
    String html = withLinks.render(document);
    html =
        FRAGMENT_HREF
            .matcher(html)
            .replaceAll(
                m ->
                    self.map(s -> Matcher.quoteReplacement(" href=\"" + s + m.group(1) + "\""))
                        .orElse(""));
    return "<div class=\"markdown\">" + policy.sanitize(html) + "</div>";
  }

  /** {@code html} through the page view's allow-list policy. */
  static String sanitize(String html) {
    return POLICY.sanitize(html);
  }

  private static void attributes(
      Node node,
      Map<String, String> attrs,
      Function<String, Optional<String>> pageHref,
      Function<String, String> missingHref,
      Function<String, Optional<String>> attachmentHref) {
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
    if (node instanceof Link link && link.getDestination().startsWith(MENTION_SCHEME)) {
      String peer = link.getDestination().substring(MENTION_SCHEME.length());
      attrs.put("href", MENTION_HREF);
      attrs.put("class", "mention");
      if (MENTION_TITLE.matcher(peer).matches()) {
        attrs.put("title", peer);
      }
    }
    if (node instanceof Link link && link.getDestination().startsWith(WIKI_SCHEME)) {
      String title =
          URLDecoder.decode(
              link.getDestination().substring(WIKI_SCHEME.length()), StandardCharsets.UTF_8);
      Optional<String> page = pageHref.apply(title);
      attrs.put("href", page.orElseGet(() -> missingHref.apply(title)));
      attrs.put("class", page.isPresent() ? "wiki-link" : "wiki-link missing");
    }
    if (node instanceof ListItem && node.getFirstChild() instanceof TaskListItemMarker) {
      attrs.put("class", "task-list-item");
    }
    if ((node instanceof BulletList || node instanceof OrderedList) && hasTask(node)) {
      attrs.put("class", "contains-task-list");
    }
    if (node instanceof FootnoteReference) {
      attrs.put("class", "footnote-ref");
    }
    if (node instanceof TableBlock) {
      // A wide table scrolls sideways: it must take the focus so the keyboard can scroll it.
      attrs.put("tabindex", "0");
    }
  }

  private static boolean hasTask(Node list) {
    for (Node item = list.getFirstChild(); item != null; item = item.getNext()) {
      if (item.getFirstChild() instanceof TaskListItemMarker) {
        return true;
      }
    }
    return false;
  }

  /** Unlinks the document's first block if it is a heading whose text is {@code title}. */
  static void dropRepeatedTitle(Node document, String title) {
    if (document.getFirstChild() instanceof Heading heading
        && normalize(plainText(heading, Integer.MAX_VALUE)).equals(normalize(title))) {
      heading.unlink();
    }
  }

  private static String normalize(String s) {
    return s.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
  }

  /** The text of {@code node}'s descendants (text and code), at most {@code max} characters. */
  static String plainText(Node node, int max) {
    StringBuilder sb = new StringBuilder();
    node.accept(
        new AbstractVisitor() {
          @Override
          public void visit(Text text) {
            sb.append(text.getLiteral());
          }

          @Override
          public void visit(Code code) {
            sb.append(code.getLiteral());
          }

          @Override
          public void visit(SoftLineBreak b) {
            sb.append(' ');
          }
        });
    String s = sb.toString().strip();
    return s.length() <= max ? s : s.substring(0, max) + "…";
  }

  /** A task's checkbox, numbered in document order, named by its item's text. */
  private static final class TaskBoxRenderer implements NodeRenderer {
    private final HtmlNodeRendererContext context;
    private final boolean tickable;
    private int next;

    TaskBoxRenderer(HtmlNodeRendererContext context, boolean tickable) {
      this.context = context;
      this.tickable = tickable;
    }

    @Override
    public Set<Class<? extends Node>> getNodeTypes() {
      return Set.of(TaskListItemMarker.class);
    }

    @Override
    public void render(Node node) {
      TaskListItemMarker marker = (TaskListItemMarker) node;
      Map<String, String> attrs = new LinkedHashMap<>();
      attrs.put("type", "checkbox");
      attrs.put("class", "task-box");
      attrs.put("data-task", Integer.toString(next++));
      if (marker.isChecked()) {
        attrs.put("checked", "");
      }
      if (!tickable) {
        attrs.put("disabled", "");
      }
      Node item = marker.getNext();
      String label = item == null ? "" : plainText(item, TASK_LABEL_MAX);
      if (!label.isEmpty()) {
        attrs.put("aria-label", label);
      }
      context.getWriter().tag("input", context.extendAttributes(node, "input", attrs), true);
      context.getWriter().raw(" ");
    }
  }

  /** Fenced code, coloured by {@link CodeHighlighter} when it knows the language. */
  private static final class FencedCodeRenderer implements NodeRenderer {
    private final HtmlNodeRendererContext context;

    FencedCodeRenderer(HtmlNodeRendererContext context) {
      this.context = context;
    }

    @Override
    public Set<Class<? extends Node>> getNodeTypes() {
      return Set.of(FencedCodeBlock.class);
    }

    @Override
    public void render(Node node) {
      FencedCodeBlock block = (FencedCodeBlock) node;
      String info = block.getInfo() == null ? "" : block.getInfo().strip();
      String language = info.isEmpty() ? "" : info.split("\\s+", 2)[0];
      Map<String, String> codeAttrs = new LinkedHashMap<>();
      if (!language.isEmpty()) {
        codeAttrs.put("class", "language-" + language);
      }
      HtmlWriter html = context.getWriter();
      html.line();
      html.tag("pre", context.extendAttributes(node, "pre", Map.of()));
      html.tag("code", context.extendAttributes(node, "code", codeAttrs));
      html.raw(CodeHighlighter.highlight(block.getLiteral(), language));
      html.tag("/code");
      html.tag("/pre");
      html.line();
    }
  }

  /** In a site: an attachment's image or link points at its exported file. */
  private static void siteAttachment(
      Node node, Map<String, String> attrs, Function<String, Optional<String>> attachmentHref) {
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
    return WikiLinks.mapOutsideCode(markdown, MarkdownRenderer::rewriteLine);
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

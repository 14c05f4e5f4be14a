package org.dure.store.vault;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.dure.store.doc.DamagedDocumentException;
import org.dure.store.wiki.Page;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.SpaceId;
import org.dure.store.wiki.Wiki;
import org.dure.store.wiki.WikiLinks;

/**
 * Writes a space's pages as files: a Markdown vault ({@code Title.md} with {@link FrontMatter},
 * {@code [[links]]} to file names, attachments in {@link VaultNames#ATTACHMENTS}) or a static HTML
 * site (one {@code .html} per page, {@code index.html}, {@code style.css}, relative links). Pages
 * hidden space-wide are left out, as in every list of pages; damaged pages are left out and named
 * in the summary.
 */
public final class VaultExport {
  private static final int BATCH = 500;

  private final Wiki wiki;
  private final Attachments attachments;

  public VaultExport(Wiki wiki, Attachments attachments) {
    this.wiki = wiki;
    this.attachments = attachments;
  }

  /**
   * What an export wrote.
   *
   * @param damaged titles of pages left out because their stored data is damaged
   */
  public record Summary(int pages, int attachments, List<String> damaged) {}

  /** Writes the space as a Markdown vault. */
  public Summary markdown(SpaceId space, VaultSink sink, Progress progress) throws IOException {
    return export(space, sink, progress, null);
  }

  /** Writes the space as a static HTML site, each page rendered by {@code renderer}. */
  public Summary html(SpaceId space, PageHtml renderer, VaultSink sink, Progress progress)
      throws IOException {
    return export(space, sink, progress, renderer);
  }

  private Summary export(SpaceId space, VaultSink sink, Progress progress, PageHtml html)
      throws IOException {
    String spaceName = wiki.spaces().get(space).name();
    List<PageSummary> all = allPages(space);
    List<String> damaged = new ArrayList<>();
    List<PageSummary> pages = new ArrayList<>();
    for (PageSummary p : all) {
      if (p.damaged().isPresent()) {
        damaged.add(p.title());
      } else {
        pages.add(p);
      }
    }
    Map<PageId, String> names = VaultNames.assign(pages, html == null ? Set.of() : Set.of("index"));
    pages.sort(Comparator.comparing(p -> names.get(p.id())));
    // A link names the page Pages.find would: the first created of that title.
    Map<String, PageSummary> byTitle = new HashMap<>();
    pages.stream()
        .sorted(Comparator.comparing(PageSummary::created))
        .forEach(p -> byTitle.putIfAbsent(WikiLinks.key(p.title()), p));
    String ext = html == null ? ".md" : ".html";
    Function<String, Optional<String>> fileOf =
        target ->
            Optional.ofNullable(byTitle.get(WikiLinks.key(target))).map(p -> names.get(p.id()));
    AttachmentFiles files = new AttachmentFiles(space, sink);
    List<HtmlSite.Listed> listed = new ArrayList<>();
    int done = 0;
    int written = 0;
    progress.update(0, pages.size());
    for (PageSummary p : pages) {
      Page page;
      try {
        page = wiki.pages().page(p.id());
      } catch (DamagedDocumentException e) {
        damaged.add(p.title());
        progress.update(++done, pages.size());
        continue;
      }
      String name = names.get(p.id());
      String text;
      try {
        if (html == null) {
          FrontMatter fm =
              new FrontMatter(
                  Optional.of(page.title()),
                  Optional.of(p.created()),
                  Optional.of(p.updated()),
                  Optional.of(p.id().value()));
          text = fm.write() + VaultLinks.toVault(page.body(), fileOf, files::pathOf);
        } else {
          String rendered =
              html.render(
                  page.body(),
                  target -> fileOf.apply(target).map(n -> MarkdownLinks.encodePath(n) + ext),
                  dest -> files.pathOf(dest).map(MarkdownLinks::encodePath));
          text = HtmlSite.page(spaceName, page.title(), rendered, p.updated());
          listed.add(
              new HtmlSite.Listed(page.title(), MarkdownLinks.encodePath(name) + ext, p.updated()));
        }
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      sink.write(name + ext, text.getBytes(StandardCharsets.UTF_8));
      written++;
      progress.update(++done, pages.size());
    }
    if (html != null) {
      listed.sort(
          Comparator.comparing((HtmlSite.Listed l) -> WikiLinks.key(l.title()))
              .thenComparing(HtmlSite.Listed::title));
      sink.write(
          HtmlSite.INDEX, HtmlSite.index(spaceName, listed).getBytes(StandardCharsets.UTF_8));
      sink.write(HtmlSite.STYLESHEET, HtmlSite.CSS.getBytes(StandardCharsets.UTF_8));
    }
    return new Summary(written, files.count(), List.copyOf(damaged));
  }

  private List<PageSummary> allPages(SpaceId space) {
    List<PageSummary> out = new ArrayList<>();
    for (int offset = 0; ; offset += BATCH) {
      List<PageSummary> batch = wiki.pages().list(space, offset, BATCH);
      out.addAll(batch);
      if (batch.size() < BATCH) {
        return out;
      }
    }
  }

  /** The attachments written so far, each once, under a safe and unique name. */
  private final class AttachmentFiles {
    private final SpaceId space;
    private final VaultSink sink;
    private final Map<String, String> pathById = new HashMap<>();
    private final Set<String> taken = new HashSet<>();

    AttachmentFiles(SpaceId space, VaultSink sink) {
      this.space = space;
      this.sink = sink;
    }

    /** The vault path of the attachment {@code destination} names, copied there the first time. */
    Optional<String> pathOf(String destination) {
      Optional<Attachments.Attachment> found = attachments.find(space, destination);
      if (found.isEmpty()) {
        return Optional.empty();
      }
      Attachments.Attachment a = found.get();
      String path = pathById.get(a.id());
      if (path == null) {
        path = VaultNames.ATTACHMENTS + "/" + VaultNames.attachmentName(a.fileName(), taken);
        try (OutputStream out = sink.create(path)) {
          attachments.copy(a, out);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        pathById.put(a.id(), path);
      }
      return Optional.of(path);
    }

    int count() {
      return pathById.size();
    }
  }
}

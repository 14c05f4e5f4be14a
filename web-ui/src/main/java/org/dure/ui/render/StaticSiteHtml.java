package org.dure.ui.render;

import java.util.Optional;
import java.util.function.Function;
import org.dure.store.vault.PageHtml;

/**
 * Pages of an exported HTML site rendered as the page view renders them: the same renderer, the
 * same sanitizer. A link to a page that does not exist goes nowhere ({@code #}), shown as missing.
 *
 * <p>Images: the renderer shows none yet; once it renders attachments, their sources are to go
 * through {@code attachmentHref} (relative paths into the export's attachment folder).
 */
public final class StaticSiteHtml implements PageHtml {
  private final MarkdownRenderer renderer;

  public StaticSiteHtml(MarkdownRenderer renderer) {
    this.renderer = renderer;
  }

  @Override
  public String render(
      String markdown,
      Function<String, Optional<String>> pageHref,
      Function<String, Optional<String>> attachmentHref) {
    return renderer.renderStandalone(markdown, pageHref, title -> "#");
  }
}

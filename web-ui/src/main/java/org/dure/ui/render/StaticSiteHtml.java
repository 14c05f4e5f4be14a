package org.dure.ui.render;

import java.util.Optional;
import java.util.function.Function;
import org.dure.store.vault.PageHtml;

/**
 * Pages of an exported HTML site rendered as the page view renders them: the same renderer, the
 * same sanitizer policy but for images, whose sources are the files of the export's attachment
 * folder by relative path (so the site shows them opened from disk). A link to a page that does not
 * exist goes nowhere ({@code #}), shown as missing; an image that was not exported is not shown.
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
    return renderer.renderSite(markdown, pageHref, attachmentHref);
  }
}

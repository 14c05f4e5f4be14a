package org.dure.store.vault;

import java.util.Optional;
import java.util.function.Function;

/**
 * Renders a page's Markdown to safe HTML for the static site, with the same sanitizer as the app's
 * page view (the caller's: the renderer lives with the UI).
 */
@FunctionalInterface
public interface PageHtml {
  /**
   * The page's HTML.
   *
   * @param pageHref the relative href of the page a wiki link target names, empty if none
   * @param attachmentHref the relative href of the attachment a link destination names, empty if
   *     none
   */
  String render(
      String markdown,
      Function<String, Optional<String>> pageHref,
      Function<String, Optional<String>> attachmentHref);
}

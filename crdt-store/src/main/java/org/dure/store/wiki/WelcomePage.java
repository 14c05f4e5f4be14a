package org.dure.store.wiki;

/** The page a new data directory starts with. */
final class WelcomePage {
  private WelcomePage() {}

  static final String BODY =
      """
      # Welcome to Dure

      **Dure** (두레, the village work-sharing circle) is a wiki that lives on your own computer.
      Your pages are stored here, in your data directory, not in a cloud.

      - Write pages in Markdown. Press **Edit** above, then **Ctrl+S** to save.
      - Link pages by putting a title in double brackets, like [[Getting started]]. A link to a
        page that does not exist yet offers to create it.
      - Every save is kept: open **History** to see who changed what, compare versions and
        revert.
      - Search finds words in titles and text, in any language (한국어도 됩니다).

      Soon you will be able to share a space with friends: their computers and yours keep the
      pages in sync directly, and you can keep working offline and merge later.
      """;
}

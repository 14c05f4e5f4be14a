package org.dure.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import java.util.Optional;
import java.util.regex.Pattern;
import org.dure.identity.Identity;
import org.dure.store.StoreOptions;
import org.dure.store.WikiStore;
import org.dure.store.sync.AuthorPolicy;
import org.dure.store.sync.DocumentRef;
import org.dure.store.wiki.Space;
import org.junit.jupiter.api.Test;

/**
 * The home page as a feed in Chromium: an edit made on a page shows on it, and a page from a peer
 * that mentions this node raises the bell's count without a reload (server push).
 */
@BrowserTest
class FeedBrowserTest {

  @Test
  void theHomePageShowsAnEditAndAMentionRaisesTheBadge(Page page, BrowserTestSupport.Dure dure)
      throws Exception {
    page.navigate(dure.baseUrl());
    page.locator(".dure-feed-space", new Page.LocatorOptions().setHasText("My wiki"))
        .first()
        .click();
    page.waitForURL(Pattern.compile(".*/space/[a-z2-7]{26}$"));
    page.locator("#new-page").click();
    page.locator("#new-title input").fill("Orchard");
    page.locator("#new-body textarea").fill("Plum and apple trees along the fence.");
    page.locator("#create-page").click();
    assertThat(page.locator("#page-title")).hasText("Orchard");

    page.navigate(dure.baseUrl());
    assertThat(page.locator(".dure-feed-entry").first()).containsText("Orchard");
    assertThat(page.locator(".dure-feed-entry").first()).containsText("Plum and apple trees");
    assertThat(page.locator(".dure-feed-entry").first()).containsText("+");

    // A friend's page arrives as from a peer (the sync protocol's snapshot import), with a
    // mention of this node: the bell counts it while the page stays open.
    WikiStore store = dure.app().context().getBean(WikiStore.class);
    int before = store.mentions().unreadCount();
    assertThat(page.locator("#notification-bell")).isVisible();
    try (WikiStore friend = WikiStore.inMemory(Identity.ephemeral(), StoreOptions.defaults())) {
      Space shared = friend.createSpace("Neighbours");
      friend.createPage(
          shared.id(),
          "Harvest party",
          "@" + store.identity().peerId().toString() + " could you bring the ladder?",
          Optional.empty());
      for (DocumentRef ref : friend.sync().documents(shared.id())) {
        store
            .sync()
            .importSnapshot(
                friend.identity().peerId(),
                ref,
                friend.sync().snapshot(ref.id()),
                friend.sync().attestations(ref.id()),
                AuthorPolicy.ANY);
      }
    }
    assertThat(page.locator("#notification-count")).hasText(Integer.toString(before + 1));
    dure.screenshot("feed");

    page.locator("#notification-bell").click();
    assertThat(page.locator("#notification-list")).containsText("bring the ladder");
    assertThat(page.locator("#notification-list")).containsText("Harvest party");
    assertThat(page.locator("#notification-count")).isHidden();
    dure.screenshot("notifications");
  }
}

package org.dure.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;
import org.dure.app.DureApplication;
import org.dure.e2e.DureProcess;
import org.dure.store.WikiStore;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.Space;
import org.junit.jupiter.api.Test;

/**
 * Two Dure instances in one browser: the first invites from a space's share page (link and QR
 * code), the second joins on its network page, and the first then lists it as a member. Also the
 * offline switch.
 */
@BrowserTest
class ShareBrowserTest {

  @Test
  void aFriendJoinsWithTheInviteLinkAndAppearsAsAMember(Page page, BrowserTestSupport.Dure dure)
      throws Exception {
    page.navigate(dure.baseUrl());
    // The start page is the feed: open "My wiki" from an entry of one of its pages.
    page.locator(".dure-feed-space", new Page.LocatorOptions().setHasText("My wiki"))
        .first()
        .click();
    page.waitForURL(Pattern.compile(".*/space/[a-z2-7]{26}$"));
    page.locator("#share-space").click();
    page.waitForURL(Pattern.compile(".*/space/[a-z2-7]{26}/share$"));
    assertThat(page.locator("#share-view h1")).hasText("Share “My wiki”");
    page.locator("#create-invite").click();
    assertThat(page.locator("#invite-text textarea"))
        .hasValue(Pattern.compile("^dure:invite/[A-Za-z0-9_-]+$"));
    assertThat(page.locator("#invite-qr"))
        .hasAttribute("src", Pattern.compile("^data:image/svg\\+xml;base64,.+"));
    String link = page.locator("#invite-text textarea").inputValue();
    dure.screenshot("invite");

    Path otherDir = Files.createTempDirectory("dure-friend");
    try (DureApplication.Running friend = DureApplication.start(otherDir, 0)) {
      Page other = dure.secondWindow();
      other.navigate(friend.url() + "network");
      assertThat(other.locator("#network-state")).hasText("Online.");
      String friendId = other.locator("#my-peer-id").textContent();
      assertTrue(friendId.startsWith("12D3KooW"), friendId);
      other.locator("#invite-link textarea").fill(link);
      other.locator("#join").click();
      assertThat(other.locator("vaadin-notification-card").first())
          .containsText("You joined “My wiki”");

      page.reload();
      assertThat(page.locator("#member-list")).containsText(friendId);
      assertThat(page.locator("#member-list")).containsText("Editor");
      dure.screenshot("members");

      other.close();
    }
  }

  @Test
  void theJoinedSpaceArrivesWithItsPagesAndEditsFlowBack(Page page, BrowserTestSupport.Dure dure)
      throws Exception {
    WikiStore store = dure.app().context().getBean(WikiStore.class);
    Space village = store.createSpace("Village");
    PageSummary harvest =
        store.createPage(village.id(), "Harvest", "Rice **and** beans.", Optional.empty());
    page.navigate(dure.url("space/" + village.id().value() + "/share"));
    page.locator("#create-invite").click();
    assertThat(page.locator("#invite-text textarea")).hasValue(Pattern.compile("^dure:invite/.+"));
    String link = page.locator("#invite-text textarea").inputValue();

    // The friend runs in its own JVM, as on another computer.
    Path otherDir = Files.createTempDirectory("dure-friend");
    try (DureProcess friend = DureProcess.startUi("browser-friend", otherDir)) {
      Page other = dure.secondWindow();
      other.navigate(friend.url() + "network");
      other.locator("#invite-link textarea").fill(link);
      other.locator("#join").click();
      // The space appears in the friend's menu once its index has arrived.
      other.waitForCondition(
          () -> {
            other.reload();
            return other.locator("#space-nav").textContent().contains("Village");
          },
          new Page.WaitForConditionOptions().setTimeout(30_000));
      other
          .locator(
              "#space-nav vaadin-side-nav-item", new Page.LocatorOptions().setHasText("Village"))
          .click();
      assertThat(other.locator("#space-view h1")).hasText("Village");
      assertThat(other.locator("#page-list"))
          .containsText(
              "Harvest",
              new com.microsoft.playwright.assertions.LocatorAssertions.ContainsTextOptions()
                  .setTimeout(30_000));
      other.navigate(friend.url() + "page/" + harvest.id().value());
      assertThat(other.locator("#page-view strong")).hasText("and");
      BrowserTestSupport.screenshot(other, "friend-sees-the-shared-page");

      // The owner has the page open; the friend edits it in their own UI and saves: the open
      // page shows the change without a reload (server push).
      page.navigate(dure.url("page/" + harvest.id().value()));
      assertThat(page.locator("#page-body")).containsText("Rice and beans.");
      other.navigate(friend.url() + "page/" + harvest.id().value() + "/edit");
      other.locator("#editor .cm-content").fill("Red rice **and** beans.");
      other.locator("#save-page").click();
      assertThat(other.locator("#page-body")).containsText("Red rice and beans.");
      assertThat(page.locator("#page-body"))
          .containsText(
              "Red rice and beans.",
              new com.microsoft.playwright.assertions.LocatorAssertions.ContainsTextOptions()
                  .setTimeout(30_000));
      other.close();
    }
  }

  @Test
  void theOfflineSwitchStopsNetworkingAndBack(Page page, BrowserTestSupport.Dure dure) {
    page.navigate(dure.url("network"));
    assertThat(page.locator("#network-state")).hasText("Online.");
    page.locator("#network-toggle").click();
    assertThat(page.locator("#network-state")).hasText("Offline: Dure does not connect to anyone.");
    assertThat(page.locator("#network-toggle")).hasText("Go online");
    page.locator("#network-toggle").click();
    assertThat(page.locator("#network-state")).hasText("Online.");
  }
}

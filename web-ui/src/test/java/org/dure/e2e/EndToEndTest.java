package org.dure.e2e;

import static org.dure.e2e.DureProcess.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.automerge.Document;
import org.automerge.SyncState;
import org.dure.identity.Identity;
import org.dure.net.host.Host;
import org.dure.net.host.Stream;
import org.dure.net.sync.SyncFrame;
import org.dure.net.sync.SyncFrameCodec;
import org.dure.store.WikiStore;
import org.dure.store.sync.DocumentRef;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.Space;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dure nodes as separate JVM processes on 127.0.0.1, driven through the command line and its local
 * API, as people would use them: invite, offline edits that merge, relay through a member, a {@code
 * kill -9} in the middle of a sync, and a stranger asking for a private space.
 */
class EndToEndTest {
  @TempDir Path tmp;

  private static final Duration SYNC = Duration.ofSeconds(60);

  private static String invite(DureProcess from, String space) {
    String link = from.cli("invite", "create", space).ok().out().strip();
    assertTrue(link.startsWith("dure:invite/"), link);
    return link;
  }

  private static void join(DureProcess who, String link, String space) {
    String out = who.cli("invite", "accept", link).ok().out();
    assertTrue(out.contains("Joined \"" + space + "\""), out);
  }

  @Test
  void anInviteeGetsThePagesAndEditsMadeApartMergeWithNothingLost() throws Exception {
    try (DureProcess a = DureProcess.start("invite-a", tmp.resolve("a"));
        DureProcess b = DureProcess.start("invite-b", tmp.resolve("b"))) {
      a.cli("space", "create", "Village").ok();
      String base =
          "Rice grows in the north field.\nBeans grow in the south field.\nWe meet on Sunday.\n";
      a.putPage("Village/Harvest", base);
      join(b, invite(a, "Village"), "Village");
      await(SYNC, () -> base.equals(b.page("Village/Harvest")), "B has A's page");

      a.cli("offline", "on").ok();
      b.cli("offline", "on").ok();
      await(
          Duration.ofSeconds(20),
          () -> a.peers().isEmpty() && b.peers().isEmpty(),
          "A and B are apart");
      // Different places (line 1 on A, line 3 on B) and the same places (after line 2, the end).
      a.putPage(
          "Village/Harvest",
          "Rice grows in the north field, says A.\nBeans grow in the south field.\n"
              + "A: bring seeds.\nWe meet on Sunday.\nA was here.\n");
      b.putPage(
          "Village/Harvest",
          "Rice grows in the north field.\nBeans grow in the south field.\n"
              + "B: bring tools.\nWe meet on Sunday at noon.\nB was here.\n");
      // Apart, neither sees the other's edit.
      Thread.sleep(1000);
      assertFalse(a.page("Village/Harvest").contains("B: bring tools"));

      a.cli("offline", "off").ok();
      b.cli("offline", "off").ok();
      String[] every = {
        "says A",
        "A: bring seeds",
        "A was here",
        "B: bring tools",
        "at noon",
        "B was here",
        "Beans grow in the south field."
      };
      await(
          SYNC,
          () -> {
            String x = a.page("Village/Harvest");
            String y = b.page("Village/Harvest");
            return x != null && x.equals(y) && List.of(every).stream().allMatch(x::contains);
          },
          "A and B converge on a text with every edit of both");
    }
  }

  @Test
  void editsTravelFromAThroughBToCWhoNeverMeetA() throws Exception {
    try (DureProcess a = DureProcess.start("relay-a", tmp.resolve("a"));
        DureProcess b = DureProcess.start("relay-b", tmp.resolve("b"));
        DureProcess c = DureProcess.start("relay-c", tmp.resolve("c"))) {
      a.cli("space", "create", "Village").ok();
      a.putPage("Village/Harvest", "Rice.\n");
      // B invites C: only the owner and moderators may, so A makes B a moderator.
      String link = a.cli("invite", "create", "Village", "--role", "moderator").ok().out().strip();
      join(b, link, "Village");
      await(SYNC, () -> "Rice.\n".equals(b.page("Village/Harvest")), "B has the page");
      join(c, invite(b, "Village"), "Village");
      await(SYNC, () -> "Rice.\n".equals(c.page("Village/Harvest")), "C has it through B");

      a.putPage("Village/Harvest", "Rice.\nBeans, from A.\n");
      a.putPage("Village/Tools", "A new page, from A.\n");
      await(
          SYNC,
          () ->
              "Rice.\nBeans, from A.\n".equals(c.page("Village/Harvest"))
                  && "A new page, from A.\n".equals(c.page("Village/Tools")),
          "A's edit and new page reach C");
      c.putPage("Village/Harvest", "Rice.\nBeans, from A.\nWheat, from C.\n");
      await(
          SYNC,
          () -> "Rice.\nBeans, from A.\nWheat, from C.\n".equals(a.page("Village/Harvest")),
          "C's edit reaches A");
      // It went through B: A and C were never connected.
      assertFalse(a.peers().contains(c.peerId()), "A is connected to C: " + a.peers());
      assertFalse(c.peers().contains(a.peerId()), "C is connected to A: " + c.peers());
      assertTrue(a.peers().contains(b.peerId()));
    }
  }

  @Test
  void aNodeKilledInTheMiddleOfASyncResumesAndLosesNothing() throws Exception {
    int pages = 400;
    Path aDir = tmp.resolve("a");
    // A's wiki is written before A starts (faster than 400 API calls; the same store).
    try (WikiStore store = WikiStore.open(aDir)) {
      Space village = store.createSpace("Village");
      for (int i = 0; i < pages; i++) {
        store.createPage(village.id(), "Page " + i, body(i), Optional.empty());
      }
    }
    try (DureProcess a = DureProcess.start("kill-a", aDir);
        DureProcess b = DureProcess.start("kill-b", tmp.resolve("b"))) {
      b.putPage("My wiki/Diary", "Written on B before the crash.\n");
      join(b, invite(a, "Village"), "Village");
      await(
          SYNC,
          () -> {
            int n = pageCount(b, "Village");
            return n > 0 && n < pages;
          },
          "B is in the middle of receiving A's pages");
      b.kill9();
      int before = pageCount(b, "Village");
      assertTrue(before < pages, "B had all pages before it was killed: " + before);

      b.restart();
      await(
          SYNC.multipliedBy(2),
          () -> pageCount(b, "Village") == pages,
          () -> "B has every page (has " + pageCount(b, "Village") + ", peers " + b.peers() + ")");
      for (int i : new int[] {0, 1, 137, pages / 2, pages - 1}) {
        assertEquals(body(i), b.page("Village/Page " + i), "page " + i);
      }
      assertEquals("Written on B before the crash.\n", b.page("My wiki/Diary"));
      // And B still syncs live.
      a.putPage("Village/Page 7", "Changed after the crash.\n");
      await(
          SYNC,
          () -> "Changed after the crash.\n".equals(b.page("Village/Page 7")),
          "a later edit reaches B");
    }
    try (WikiStore store = WikiStore.open(tmp.resolve("b"))) {
      assertEquals("ok", store.integrityCheck());
    }
  }

  private static String body(int i) {
    StringBuilder sb = new StringBuilder("# Page " + i + "\n\n");
    for (int line = 0; line < 40; line++) {
      sb.append("Line ").append(line).append(" of page ").append(i).append(": rice, beans.\n");
    }
    return sb.toString();
  }

  private static int pageCount(DureProcess node, String space) {
    DureProcess.Result r = node.cli("pages", space);
    return r.code() == 0 ? (int) r.out().lines().count() : 0;
  }

  @Test
  void aStrangerWhoAsksForAPrivateSpaceReceivesNoneOfItsContent() throws Exception {
    String marker = "SECRET-harvest-plan-7f3a";
    Path aDir = tmp.resolve("a");
    Space secret;
    PageSummary plans;
    try (WikiStore store = WikiStore.open(aDir)) {
      secret = store.createSpace("Secret");
      plans = store.createPage(secret.id(), "Plans", marker + "\n", Optional.empty());
    }
    try (DureProcess a = DureProcess.start("stranger-a", aDir);
        Host stranger =
            Host.builder()
                .identity(Identity.generateEd25519())
                .listen("/ip4/127.0.0.1/tcp/0")
                .build()
                .start()) {
      stranger.dial(a.address());
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      List<SyncFrame> frames = new ArrayList<>();
      try (Stream s = stranger.newStream(a.peerIdParsed(), SyncFrameCodec.PROTOCOL)) {
        // Everything a stranger who learned the ids could ask for.
        String pageDoc = plans.id().value();
        String membersDoc = WikiStore.membershipDocId(secret.id());
        byte[] hello = SyncFrameCodec.encode(new SyncFrame.Hello(1, List.of(secret.id())));
        s.outputStream().write(hello);
        for (var need :
            List.of(
                new SyncFrame.Need(secret.id().value(), secret.id(), DocumentRef.Kind.SPACE),
                new SyncFrame.Need(membersDoc, secret.id(), DocumentRef.Kind.MEMBERS),
                new SyncFrame.Need(pageDoc, secret.id(), DocumentRef.Kind.PAGE))) {
          s.outputStream().write(SyncFrameCodec.encode(need));
        }
        for (String doc : List.of(secret.id().value(), membersDoc, pageDoc)) {
          s.outputStream()
              .write(SyncFrameCodec.encode(new SyncFrame.Sync(doc, emptySyncMessage())));
        }
        s.outputStream().flush();
        s.setReadTimeout(5000);
        InputStream in = new Recording(s.inputStream(), received);
        long until = System.nanoTime() + Duration.ofSeconds(6).toNanos();
        try {
          while (System.nanoTime() < until) {
            SyncFrame f = SyncFrameCodec.read(in);
            if (f == null) {
              break;
            }
            frames.add(f);
          }
        } catch (InterruptedIOException e) {
          // A said all it had to say
        } catch (IOException e) {
          // the stream was reset: also fine, as long as nothing leaked before
        }
      }
      // A talked to the stranger (so the check below means something)...
      assertTrue(
          frames.stream().anyMatch(f -> f instanceof SyncFrame.Hello h && h.spaces().isEmpty()),
          "A answered with an empty HELLO: " + frames);
      // ...but sent nothing of the space: no sync message, no snapshot, not even its id.
      assertTrue(
          frames.stream().allMatch(f -> f instanceof SyncFrame.Hello || f instanceof SyncFrame.Bye),
          "A sent " + frames);
      String bytes = received.toString(StandardCharsets.ISO_8859_1);
      assertFalse(bytes.contains(marker), "the page's text reached the stranger");
      assertFalse(bytes.contains(secret.id().value()), "the space's id reached the stranger");
      assertFalse(bytes.contains("Plans"), "the page's title reached the stranger");

      // The same page does reach a member, so the bytes above could have carried it.
      try (DureProcess b = DureProcess.start("stranger-b", tmp.resolve("b"))) {
        join(b, invite(a, "Secret"), "Secret");
        await(SYNC, () -> (marker + "\n").equals(b.page("Secret/Plans")), "a member gets it");
      }
    }
  }

  private static byte[] emptySyncMessage() {
    Document doc = new Document();
    try {
      return doc.generateSyncMessage(new SyncState()).orElseThrow();
    } finally {
      doc.free();
    }
  }

  /** Copies every byte read into {@code copy}. */
  private static final class Recording extends FilterInputStream {
    private final ByteArrayOutputStream copy;

    Recording(InputStream in, ByteArrayOutputStream copy) {
      super(in);
      this.copy = copy;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        copy.write(b);
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = super.read(buf, off, len);
      if (n > 0) {
        copy.write(buf, off, n);
      }
      return n;
    }
  }
}

package org.dure.store.social;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.dure.store.StoreInternals;
import org.dure.store.TwoStores;
import org.dure.store.WikiStore;
import org.dure.store.doc.Author;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.Space;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MentionsTest {
  private final TwoStores two = new TwoStores();
  private final WikiStore a = two.a;
  private final WikiStore b = two.b;

  @AfterEach
  void close() {
    two.close();
  }

  private String me() {
    return a.identity().peerId().toString();
  }

  @Test
  void aMentionAddedByAPeerRaisesOneNotification() throws Exception {
    Space s = two.shared("Village");
    PageSummary p = a.createPage(s.id(), "Chores", "water the beans\n", Optional.empty());
    two.sync(s.id());
    assertEquals(List.of(), a.mentions().scan(p.id(), Set.of()), "a's own page mentions nobody");

    b.replaceText(
        p.id(), "water the beans\n@" + me() + " can you fix the fence?\n", Optional.empty());
    two.sync(s.id());
    List<Mentions.Notification> found = a.mentions().scan(p.id(), Set.of());
    assertEquals(1, found.size());
    Mentions.Notification n = found.get(0);
    assertEquals(p.id(), n.page());
    assertEquals(Optional.of(Author.of(b.identity())), n.author());
    assertFalse(n.claimed(), "b's attestation proves it");
    assertTrue(n.snippet().contains("can you fix the fence?"), n.snippet());
    assertEquals(1, a.mentions().unreadCount());

    // Scanning again, or a later edit of that same line by b, does not count it again.
    assertEquals(List.of(), a.mentions().scan(p.id(), Set.of()));
    b.replaceText(
        p.id(), "water the beans\n@" + me() + " can you fix the gate?\n", Optional.empty());
    two.sync(s.id());
    assertEquals(List.of(), a.mentions().scan(p.id(), Set.of()));
    assertEquals(1, a.mentions().unreadCount());
  }

  @Test
  void aMutedPeersMentionIsNotRaised() throws Exception {
    Space s = two.shared("Village");
    PageSummary p = a.createPage(s.id(), "Chores", "water the beans\n", Optional.empty());
    two.sync(s.id());
    a.moderation().mute(b.identity().peerId(), "noisy");
    b.replaceText(p.id(), "water the beans\n@" + me() + " look!\n", Optional.empty());
    two.sync(s.id());
    assertEquals(List.of(), a.mentions().scan(p.id(), Set.of()));
    assertEquals(0, a.mentions().unreadCount());

    a.moderation().unmute(b.identity().peerId());
    b.replaceText(
        p.id(), "water the beans\n@" + me() + " look!\n@" + me() + " again\n", Optional.empty());
    two.sync(s.id());
    assertEquals(1, a.mentions().scan(p.id(), Set.of()).size(), "unmuted: new mentions count");
  }

  @Test
  void myOwnMentionsOfMyselfAreNotNotifications() throws Exception {
    Space s = two.shared("Village");
    PageSummary p = a.createPage(s.id(), "Notes", "", Optional.empty());
    a.replaceText(p.id(), "note to @" + me() + " and @Ana\n", Optional.empty());
    assertEquals(List.of(), a.mentions().scan(p.id(), Set.of("Ana")));
    assertEquals(0, a.mentions().unreadCount());
  }

  @Test
  void namesIKnownByAreMentionsToo() throws Exception {
    Space s = two.shared("Village");
    PageSummary p = b.createPage(s.id(), "Party", "", Optional.empty());
    b.replaceText(
        p.id(),
        "ask @ana about cake\nmail ana@ana.example\n@Anabel brings chairs\n",
        Optional.empty());
    two.sync(s.id());
    List<Mentions.Notification> found = a.mentions().scan(p.id(), Set.of("Ana", " "));
    assertEquals(1, found.size(), "only @ana: not inside an address, not a longer name");
    assertTrue(found.get(0).snippet().startsWith("ask @ana"));
  }

  @Test
  void notificationsAreNewestFirstAndCanBeMarkedRead() throws Exception {
    Space s = two.shared("Village");
    PageSummary first = b.createPage(s.id(), "First", "hi @" + me(), Optional.empty());
    two.clock.advance(Duration.ofMinutes(1));
    PageSummary second = b.createPage(s.id(), "Second", "hello @" + me(), Optional.empty());
    two.sync(s.id());
    a.mentions().scan(first.id(), Set.of());
    two.clock.advance(Duration.ofMinutes(1));
    a.mentions().scan(second.id(), Set.of());
    List<Mentions.Notification> all = a.mentions().list(0, 10);
    assertEquals(
        List.of("Second", "First"), all.stream().map(Mentions.Notification::title).toList());
    assertEquals(2, a.mentions().unreadCount());
    a.mentions().markRead(all.get(1).id());
    assertEquals(1, a.mentions().unreadCount());
    assertTrue(a.mentions().list(0, 10).get(1).read());
    a.mentions().markAllRead();
    assertEquals(0, a.mentions().unreadCount());
  }

  @Test
  void watchingScansPagesAsTheyArriveAndTellsListeners() throws Exception {
    Space s = two.shared("Village");
    CountDownLatch got = new CountDownLatch(1);
    a.mentions().watch(() -> Set.of());
    a.mentions().addListener(n -> got.countDown());
    b.createPage(s.id(), "News", "@" + me() + " welcome!", Optional.empty());
    two.sync(s.id());
    assertTrue(got.await(10, TimeUnit.SECONDS), "a notification arrived");
    assertEquals(1, a.mentions().unreadCount());
  }

  @Test
  void watchingCatchesUpOnWhatArrivedUnwatched() throws Exception {
    Space s = two.shared("Village");
    PageSummary p = b.createPage(s.id(), "Old news", "@" + me() + " hello", Optional.empty());
    two.sync(s.id());
    assertEquals(List.of(p.id()), a.mentions().unscanned());
    CountDownLatch got = new CountDownLatch(1);
    a.mentions().addListener(n -> got.countDown());
    a.mentions().watch(() -> Set.of());
    assertTrue(got.await(10, TimeUnit.SECONDS), "scanned when watching began");
    assertEquals(1, a.mentions().unreadCount());
  }

  @Test
  void upgradingToSchema4TakesMentionsAlreadyOnPagesAsSeen(@TempDir Path dir) {
    try (WikiStore s = WikiStore.open(dir)) {
      s.createPage(s.defaultSpace().id(), "Old", "@Someone was here", Optional.empty());
      // Back to the schema before this feature.
      StoreInternals.documents(s)
          .transaction(
              d -> {
                for (String sql :
                    List.of(
                        "DROP TABLE change_claims",
                        "DROP TABLE notifications",
                        "DROP TABLE mention_scans",
                        "DROP TABLE friends",
                        "DROP INDEX changes_by_time",
                        // and the later migrations' tables, which are made again
                        "DROP TABLE muted_peers",
                        "DROP TABLE hidden_pages",
                        "DROP TABLE peer_usage",
                        "DROP TABLE resource_settings",
                        "DROP TABLE attestations",
                        "DROP TABLE quarantined_changes",
                        "DROP INDEX pages_in_trash",
                        "DROP TABLE page_aliases",
                        "ALTER TABLE pages DROP COLUMN deleted_by",
                        "ALTER TABLE pages DROP COLUMN deleted_time",
                        "ALTER TABLE pages DROP COLUMN deleted_seen",
                        "ALTER TABLE pages DROP COLUMN purged",
                        "PRAGMA user_version=2")) {
                  d.statement(sql).execute();
                }
                return null;
              });
    }
    try (WikiStore s = WikiStore.open(dir)) {
      assertEquals(List.of(), s.mentions().unscanned(), "existing pages count as scanned");
      assertEquals(0, s.mentions().unreadCount());
      assertEquals(List.of(), s.friends().list());
      assertEquals(2, s.activity().recent(20, peer -> false).entries().size());
    }
  }

  @Test
  void onlyInsertedWordsOfAChangedLineCount() {
    Pattern p = Mentions.pattern("12D3KooWAbc", Set.of("Bo"));
    assertEquals(List.of(), Mentions.newMentions("hi @Bo\n", "hi @Bo, hello\n", p));
    assertEquals(1, Mentions.newMentions("hi @Al\n", "hi @Bo\n", p).size());
    assertEquals(1, Mentions.newMentions("", "see @12D3KooWAbc\n", p).size());
    assertEquals(List.of(), Mentions.newMentions("", "see @12D3KooWAbcd\n", p));
  }
}

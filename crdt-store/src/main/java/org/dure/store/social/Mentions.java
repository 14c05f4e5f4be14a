package org.dure.store.social;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dure.identity.PeerId;
import org.dure.store.doc.Author;
import org.dure.store.doc.Documents;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.PageKind;
import org.dure.store.wiki.TextDiff;
import org.dure.store.wiki.Version;
import org.dure.store.wiki.Wiki;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notifications of @mentions: {@code @} and this node's peer ID ({@code @12D3KooW…}), or {@code @}
 * and a name it is known by, in text someone else newly added to a page raises a notification. Only
 * text a version inserts counts (a mention already on the page is not counted again when the page
 * is edited later), and never this node's own edits nor those of peers muted here (the muted peers
 * it is given, see {@code moderation.ModerationRecords.mute}): a mention a muted peer adds is not
 * raised, then or after unmuting.
 *
 * <p>Each page's versions are scanned once, in order ({@code mention_scans} keeps where each page
 * was scanned up to). {@link #watch} scans pages as changes arrive from peers.
 */
public final class Mentions {
  private static final Logger LOG = LoggerFactory.getLogger(Mentions.class);

  /** Versions of a page scanned at most at once; older unscanned versions are skipped. */
  static final int MAX_SCAN_VERSIONS = 100;

  /** Characters of context around a mention kept as its snippet. */
  static final int SNIPPET_CONTEXT = 60;

  /** Names shorter than this are not matched (too many false alarms). */
  static final int MIN_NAME_LENGTH = 2;

  /**
   * A notification.
   *
   * @param author who added the mention, if known
   * @param claimed whether the author is only claimed (a change from a peer)
   */
  public record Notification(
      long id,
      Instant time,
      PageId page,
      String title,
      long version,
      Optional<Author> author,
      boolean claimed,
      String snippet,
      boolean read) {}

  private final Documents docs;
  private final Wiki wiki;
  private final Supplier<Set<PeerId>> mutedPeers;
  private final List<Consumer<Notification>> listeners = new CopyOnWriteArrayList<>();
  private volatile ExecutorService scanner;

  /**
   * @param mutedPeers the peers muted here (by peer ID), asked at each scan: their mentions are not
   *     raised
   */
  public Mentions(Documents docs, Wiki wiki, Supplier<Set<PeerId>> mutedPeers) {
    this.docs = docs;
    this.wiki = wiki;
    this.mutedPeers = mutedPeers;
  }

  /** Called with every new notification (on the scanning thread). */
  public AutoCloseable addListener(Consumer<Notification> l) {
    listeners.add(l);
    return () -> listeners.remove(l);
  }

  /**
   * Scans every page that changes through sync for mentions of this node, on a thread of its own;
   * {@code names} gives the names it is known by (display name, petnames), asked at each scan.
   */
  public synchronized void watch(Supplier<Set<String>> names) {
    if (scanner != null) {
      return;
    }
    ExecutorService ex =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "dure-mentions");
              t.setDaemon(true);
              return t;
            });
    scanner = ex;
    // What arrived while nobody watched (e.g. a headless run): pages changed since their last scan.
    ex.execute(
        () -> {
          for (PageId page : unscanned()) {
            try {
              scan(page, names.get());
            } catch (RuntimeException e) {
              LOG.warn("Scanning page {} for mentions failed", page, e);
            }
          }
        });
    docs.feed()
        .addListener(
            (docId, kind, space, fromPeer) -> {
              if (kind == PageKind.KIND && fromPeer.isPresent()) {
                ex.execute(
                    () -> {
                      try {
                        scan(new PageId(docId), names.get());
                      } catch (RuntimeException e) {
                        LOG.warn("Scanning page {} for mentions failed", docId, e);
                      }
                    });
              }
            });
  }

  /** Stops the scanning thread. */
  public void close() {
    ExecutorService ex = scanner;
    if (ex != null) {
      ex.shutdownNow();
    }
  }

  /**
   * Scans the versions of {@code page} not scanned yet for mentions of this node's peer ID or of
   * one of {@code names}; records and returns the new notifications.
   */
  public synchronized List<Notification> scan(PageId page, Set<String> names) {
    long last =
        wiki.history().of(page, 0, 1).stream().mapToLong(Version::number).findFirst().orElse(0);
    long scanned = scannedUpTo(page);
    if (last <= scanned) {
      return List.of();
    }
    long from = Math.max(scanned, last - MAX_SCAN_VERSIONS);
    Pattern pattern = pattern(docs.identity().peerId().toString(), names);
    byte[] me = docs.identity().publicKey().data();
    Set<PeerId> muted = mutedPeers.get();
    List<Notification> found = new ArrayList<>();
    String title = wiki.pages().summary(page).title();
    String before = null; // the text at v - 1, once needed
    for (long v = from + 1; v <= last; v++) {
      Who who = who(page, v);
      if (who.author == null
          || Arrays.equals(who.author, me)
          || muted.contains(new Author(who.author).peerId())) {
        before = null; // my own edit, a muted peer's (or nobody's): not read at all
        continue;
      }
      if (before == null) {
        before = v == 1 ? "" : wiki.history().pageAt(page, v - 1).body();
      }
      String after = wiki.history().pageAt(page, v).body();
      for (String snippet : newMentions(before, after, pattern)) {
        found.add(
            new Notification(
                0,
                Instant.ofEpochMilli(who.time),
                page,
                title,
                v,
                Optional.of(new Author(who.author)),
                who.claimed,
                snippet,
                false));
      }
      before = after;
    }
    List<Notification> saved = save(page, last, found);
    for (Notification n : saved) {
      for (Consumer<Notification> l : listeners) {
        try {
          l.accept(n);
        } catch (RuntimeException e) {
          LOG.warn("A mention listener failed", e);
        }
      }
    }
    return saved;
  }

  /** The pattern of a mention of {@code peerId} or one of {@code names}. */
  static Pattern pattern(String peerId, Set<String> names) {
    StringBuilder alt = new StringBuilder(Pattern.quote(peerId));
    for (String n : names) {
      String name = n == null ? "" : n.strip();
      if (name.length() >= MIN_NAME_LENGTH && name.length() <= 64) {
        alt.append('|').append(Pattern.quote(name));
      }
    }
    // Not in the middle of a word or an e-mail address, and the whole name (not a longer one).
    return Pattern.compile(
        "(?<![\\w@])@(?:" + alt + ")(?![\\w])",
        Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS);
  }

  /**
   * Snippets of the mentions in {@code after} that the change from {@code before} inserted: on
   * added lines, overlapping a changed word.
   */
  static List<String> newMentions(String before, String after, Pattern pattern) {
    List<String> out = new ArrayList<>();
    if (!pattern.matcher(after).find()) {
      return out;
    }
    for (TextDiff.Line line : TextDiff.between(before, after).lines()) {
      if (line.kind() != TextDiff.Kind.ADDED) {
        continue;
      }
      String text = line.text();
      Matcher m = pattern.matcher(text);
      while (m.find()) {
        if (overlapsChange(line, m.start(), m.end())) {
          out.add(snippet(text, m.start(), m.end()));
        }
      }
    }
    return out;
  }

  private static boolean overlapsChange(TextDiff.Line line, int start, int end) {
    int pos = 0;
    for (TextDiff.Segment s : line.segments()) {
      int segEnd = pos + s.text().length();
      if (s.changed() && pos < end && segEnd > start) {
        return true;
      }
      pos = segEnd;
    }
    return false;
  }

  static String snippet(String text, int start, int end) {
    int from = Math.max(0, start - SNIPPET_CONTEXT);
    int to = Math.min(text.length(), end + SNIPPET_CONTEXT);
    if (from > 0 && Character.isLowSurrogate(text.charAt(from))) {
      from--;
    }
    if (to < text.length() && Character.isLowSurrogate(text.charAt(to))) {
      to++;
    }
    return (from > 0 ? "…" : "")
        + text.substring(from, to).strip()
        + (to < text.length() ? "…" : "");
  }

  private record Who(byte[] author, boolean claimed, long time) {}

  private Who who(PageId page, long version) {
    return docs.read(
        d -> {
          PreparedStatement ps =
              d.statement(
                  "SELECT "
                      + Activity.WHO.formatted("c")
                      + ", "
                      + Activity.CLAIMED.formatted("c")
                      + ", c.time FROM changes c"
                      + " WHERE c.doc_id = ? AND c.seq = ?");
          ps.setString(1, page.value());
          ps.setLong(2, version);
          try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
              return new Who(null, false, 0);
            }
            byte[] a = rs.getBytes(1);
            return new Who(
                a != null && a.length == 32 ? a : null, rs.getInt(2) == 1, rs.getLong(3));
          }
        });
  }

  /** Pages with versions not scanned yet. */
  List<PageId> unscanned() {
    return docs.read(
        d -> {
          List<PageId> out = new ArrayList<>();
          try (ResultSet rs =
              d.statement(
                      "SELECT doc.id FROM documents doc LEFT JOIN mention_scans m"
                          + " ON m.page_id = doc.id WHERE doc.kind = 'page'"
                          + " AND doc.damaged IS NULL AND doc.last_seq > COALESCE(m.seq, 0)")
                  .executeQuery()) {
            while (rs.next()) {
              out.add(new PageId(rs.getString(1)));
            }
          }
          return out;
        });
  }

  private long scannedUpTo(PageId page) {
    return docs.read(
        d -> {
          PreparedStatement ps = d.statement("SELECT seq FROM mention_scans WHERE page_id = ?");
          ps.setString(1, page.value());
          try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0L;
          }
        });
  }

  private List<Notification> save(PageId page, long upTo, List<Notification> found) {
    return docs.transaction(
        d -> {
          PreparedStatement mark =
              d.statement(
                  "INSERT INTO mention_scans(page_id, seq) VALUES (?, ?)"
                      + " ON CONFLICT(page_id) DO UPDATE SET seq = MAX(seq, excluded.seq)");
          mark.setString(1, page.value());
          mark.setLong(2, upTo);
          mark.executeUpdate();
          List<Notification> out = new ArrayList<>();
          PreparedStatement ins =
              d.statement(
                  "INSERT INTO notifications(time, page_id, seq, author, claimed, snippet)"
                      + " VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
          for (Notification n : found) {
            ins.setLong(1, n.time().toEpochMilli());
            ins.setString(2, page.value());
            ins.setLong(3, n.version());
            ins.setBytes(4, n.author().map(Author::publicKey).orElse(null));
            ins.setInt(5, n.claimed() ? 1 : 0);
            ins.setString(6, n.snippet());
            try (ResultSet rs = ins.executeQuery()) {
              rs.next();
              out.add(
                  new Notification(
                      rs.getLong(1),
                      n.time(),
                      page,
                      n.title(),
                      n.version(),
                      n.author(),
                      n.claimed(),
                      n.snippet(),
                      false));
            }
          }
          return out;
        });
  }

  /** Notifications, newest first. */
  public List<Notification> list(int offset, int limit) {
    return docs.read(
        d -> {
          PreparedStatement ps =
              d.statement(
                  "SELECT n.id, n.time, n.page_id, COALESCE(p.title, ''), n.seq, n.author,"
                      + " n.claimed, n.snippet, n.read FROM notifications n"
                      + " LEFT JOIN pages p ON p.id = n.page_id"
                      + " ORDER BY n.time DESC, n.id DESC LIMIT ? OFFSET ?");
          ps.setInt(1, limit);
          ps.setInt(2, offset);
          List<Notification> out = new ArrayList<>();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              byte[] a = rs.getBytes(6);
              out.add(
                  new Notification(
                      rs.getLong(1),
                      Instant.ofEpochMilli(rs.getLong(2)),
                      new PageId(rs.getString(3)),
                      rs.getString(4),
                      rs.getLong(5),
                      Optional.ofNullable(a).filter(b -> b.length == 32).map(Author::new),
                      rs.getInt(7) == 1,
                      rs.getString(8),
                      rs.getInt(9) == 1));
            }
          }
          return out;
        });
  }

  /** How many notifications are unread. */
  public int unreadCount() {
    return docs.read(
        d -> {
          try (ResultSet rs =
              d.statement("SELECT COUNT(*) FROM notifications WHERE read = 0").executeQuery()) {
            return rs.next() ? rs.getInt(1) : 0;
          }
        });
  }

  /** Marks every notification read. */
  public void markAllRead() {
    docs.transaction(
        d -> d.statement("UPDATE notifications SET read = 1 WHERE read = 0").executeUpdate());
  }

  /** Marks one notification read. */
  public void markRead(long id) {
    docs.transaction(
        d -> {
          PreparedStatement ps = d.statement("UPDATE notifications SET read = 1 WHERE id = ?");
          ps.setLong(1, id);
          return ps.executeUpdate();
        });
  }
}

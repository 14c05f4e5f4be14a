package org.dure.store.social;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.dure.identity.PeerId;
import org.dure.store.doc.Author;
import org.dure.store.doc.Documents;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.SpaceId;
import org.dure.store.wiki.TextDiff;
import org.dure.store.wiki.Wiki;

/**
 * The activity feed: recent changes to the pages of every space here, newest first. Consecutive
 * versions of a page by the same author, each within {@link #SESSION_GAP} of the one before, are
 * one entry (a typing session makes many commits). Changes received from peers are attributed to
 * the author their signed attestation proves, or for older data the author their actor id claims
 * ({@link Entry#claimed}).
 *
 * <p>Pages are read with keyset pagination ({@link Cursor}); the diff summaries are computed only
 * for the entries returned.
 */
public final class Activity {
  /** Entries per page of the feed. */
  public static final int PAGE_SIZE = 20;

  /** Versions further apart than this are separate entries. */
  public static final Duration SESSION_GAP = Duration.ofMinutes(10);

  /** Versions of one page looked at, at most, to find where a session began. */
  static final int MAX_SESSION_VERSIONS = 1000;

  /** Words of inserted text shown in a summary, at most. */
  static final int SUMMARY_WORDS = 12;

  static final int SUMMARY_CHARS = 120;

  private static final int BATCH = 200;

  /**
   * Where a page of the feed ends: the newest version of its last entry. Pass it back for the next
   * page.
   */
  public record Cursor(long time, String docId, long seq) {}

  /**
   * One entry of the feed.
   *
   * @param author who made the change, if known
   * @param claimed whether {@code author} is only claimed by the change (received from a peer)
   * @param time when the newest version of the entry was made (or received)
   * @param fromVersion the version before the entry's first (0 if the page was created in it)
   * @param toVersion the entry's newest version
   * @param added characters added (in changed words)
   * @param removed characters removed
   * @param inserted the first words of the added text, possibly empty
   */
  public record Entry(
      PageId page,
      String title,
      SpaceId space,
      String spaceName,
      Optional<Author> author,
      boolean claimed,
      Instant time,
      long fromVersion,
      long toVersion,
      int added,
      int removed,
      String inserted) {}

  /** A page of the feed and the cursor for the next one (empty at the end). */
  public record Feed(List<Entry> entries, Optional<Cursor> next) {}

  private final Documents docs;
  private final Wiki wiki;
  private volatile Predicate<PeerId> hideAuthor = peer -> false;

  public Activity(Documents docs, Wiki wiki) {
    this.docs = docs;
    this.wiki = wiki;
  }

  /**
   * Sets which authors (by peer ID) the feed leaves out by default: the hook for moderation (muted
   * or hidden authors).
   */
  public void setHideAuthor(Predicate<PeerId> hideAuthor) {
    this.hideAuthor = hideAuthor;
  }

  /** Up to {@code limit} entries older than {@code after}, without the hidden authors' entries. */
  public Feed recent(Optional<Cursor> after, int limit) {
    return recent(after, limit, hideAuthor);
  }

  /** The newest {@code limit} entries. */
  public Feed recent(int limit, Predicate<PeerId> hideAuthor) {
    return recent(Optional.empty(), limit, hideAuthor);
  }

  /**
   * Up to {@code limit} entries older than {@code after} (from the newest if empty), leaving out
   * entries whose author's peer ID {@code hideAuthor} accepts (muted or hidden authors).
   */
  public Feed recent(Optional<Cursor> after, int limit, Predicate<PeerId> hideAuthor) {
    if (limit < 1 || limit > 500) {
      throw new IllegalArgumentException("limit must be 1..500");
    }
    List<Head> heads = new ArrayList<>();
    Optional<Cursor> pos = after;
    boolean more = true;
    while (heads.size() < limit && more) {
      List<Head> batch = heads(pos, BATCH);
      more = batch.size() == BATCH;
      for (Head h : batch) {
        pos = Optional.of(new Cursor(h.time, h.docId, h.seq));
        if (!h.head) {
          continue;
        }
        if (h.who != null && hideAuthor.test(new Author(h.who).peerId())) {
          continue;
        }
        heads.add(h);
        if (heads.size() == limit) {
          break;
        }
      }
    }
    List<Entry> out = new ArrayList<>();
    for (Head h : heads) {
      out.add(entry(h));
    }
    Optional<Cursor> next =
        heads.size() == limit && !heads.isEmpty()
            ? Optional.of(
                new Cursor(heads.getLast().time, heads.getLast().docId, heads.getLast().seq))
            : Optional.empty();
    if (next.isPresent() && heads(next, 1).isEmpty()) {
      next = Optional.empty();
    }
    return new Feed(out, next);
  }

  /** A version of a page, and whether it ends a session. */
  private record Head(
      String docId, long seq, long time, byte[] who, boolean claimed, boolean head) {}

  /**
   * Who made a version: its local author, else a verified author of its changes (see {@link
   * Attestations}), else the (smallest) author it claims.
   */
  static final String WHO =
      "COALESCE(%1$s.author, (SELECT cc.claimed_author FROM change_claims cc"
          + " WHERE cc.doc_id = %1$s.doc_id AND cc.seq = %1$s.seq"
          + " ORDER BY cc.verified DESC, cc.claimed_author LIMIT 1))";

  /** Whether a version's author is only claimed: from a peer, and no attestation verified it. */
  static final String CLAIMED =
      "(%1$s.author IS NULL AND NOT EXISTS (SELECT 1 FROM change_claims cv"
          + " WHERE cv.doc_id = %1$s.doc_id AND cv.seq = %1$s.seq AND cv.verified = 1))";

  private List<Head> heads(Optional<Cursor> after, int limit) {
    return docs.read(
        d -> {
          String sql =
              "SELECT c.doc_id, c.seq, c.time, "
                  + WHO.formatted("c")
                  + ", "
                  + CLAIMED.formatted("c")
                  + ", n.seq IS NULL OR n.time - c.time > ? OR "
                  + WHO.formatted("n")
                  + " IS NOT "
                  + WHO.formatted("c")
                  + " FROM changes c JOIN pages p ON p.id = c.doc_id"
                  + " LEFT JOIN changes n ON n.doc_id = c.doc_id AND n.seq = c.seq + 1"
                  + (after.isPresent()
                      ? " WHERE c.time < ? OR (c.time = ? AND (c.doc_id < ?"
                          + " OR (c.doc_id = ? AND c.seq < ?)))"
                      : "")
                  + " ORDER BY c.time DESC, c.doc_id DESC, c.seq DESC LIMIT ?";
          PreparedStatement ps = d.statement(sql);
          int i = 1;
          ps.setLong(i++, SESSION_GAP.toMillis());
          if (after.isPresent()) {
            Cursor a = after.get();
            ps.setLong(i++, a.time());
            ps.setLong(i++, a.time());
            ps.setString(i++, a.docId());
            ps.setString(i++, a.docId());
            ps.setLong(i++, a.seq());
          }
          ps.setInt(i, limit);
          List<Head> out = new ArrayList<>();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              byte[] who = rs.getBytes(4);
              out.add(
                  new Head(
                      rs.getString(1),
                      rs.getLong(2),
                      rs.getLong(3),
                      who != null && who.length == 32 ? who : null,
                      rs.getInt(5) == 1,
                      rs.getInt(6) == 1));
            }
          }
          return out;
        });
  }

  /** The version before the first of the session that ends at {@code h}. */
  private long sessionStart(Head h) {
    return docs.read(
        d -> {
          PreparedStatement ps =
              d.statement(
                  "SELECT c.seq, c.time, "
                      + WHO.formatted("c")
                      + " FROM changes c WHERE c.doc_id = ? AND c.seq <= ?"
                      + " ORDER BY c.seq DESC LIMIT ?");
          ps.setString(1, h.docId);
          ps.setLong(2, h.seq);
          ps.setInt(3, MAX_SESSION_VERSIONS);
          long start = h.seq;
          long laterTime = h.time;
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              long seq = rs.getLong(1);
              long time = rs.getLong(2);
              byte[] who = rs.getBytes(3);
              if (seq != start - 1 && seq != h.seq) {
                break;
              }
              if (seq != h.seq) {
                if (!java.util.Arrays.equals(who, h.who)
                    || laterTime - time > SESSION_GAP.toMillis()) {
                  break;
                }
              }
              start = seq;
              laterTime = time;
            }
          }
          return start - 1;
        });
  }

  private Entry entry(Head h) {
    long from = sessionStart(h);
    PageId page = new PageId(h.docId);
    PageSummary summary = wiki.pages().summary(page);
    String spaceName;
    try {
      spaceName = wiki.spaces().get(summary.spaceId()).name();
    } catch (java.util.NoSuchElementException e) {
      spaceName = "";
    }
    String before = from < 1 ? "" : wiki.history().pageAt(page, from).body();
    String after = wiki.history().pageAt(page, h.seq).body();
    Summary s = summarize(TextDiff.between(before, after));
    return new Entry(
        page,
        summary.title(),
        summary.spaceId(),
        spaceName,
        Optional.ofNullable(h.who).map(Author::new),
        h.claimed,
        Instant.ofEpochMilli(h.time),
        from,
        h.seq,
        s.added,
        s.removed,
        s.inserted);
  }

  /** Characters added and removed, and the first words added. */
  record Summary(int added, int removed, String inserted) {}

  static Summary summarize(TextDiff diff) {
    int added = 0;
    int removed = 0;
    StringBuilder inserted = new StringBuilder();
    for (TextDiff.Line line : diff.lines()) {
      if (line.kind() == TextDiff.Kind.SAME) {
        continue;
      }
      boolean add = line.kind() == TextDiff.Kind.ADDED;
      boolean gap = true;
      for (TextDiff.Segment seg : line.segments()) {
        if (!seg.changed()) {
          gap = true;
          continue;
        }
        int n = seg.text().codePointCount(0, seg.text().length());
        if (add) {
          added += n;
          if (inserted.length() < SUMMARY_CHARS * 2) {
            if (gap && !inserted.isEmpty()) {
              inserted.append(' ');
            }
            inserted.append(seg.text());
          }
        } else {
          removed += n;
        }
        gap = false;
      }
    }
    return new Summary(added, removed, firstWords(inserted.toString()));
  }

  static String firstWords(String text) {
    String[] words = text.strip().split("\\s+");
    StringBuilder sb = new StringBuilder();
    int n = 0;
    for (String w : words) {
      if (w.isEmpty()) {
        continue;
      }
      if (n == SUMMARY_WORDS || sb.length() + w.length() + 1 > SUMMARY_CHARS) {
        sb.append(" …");
        break;
      }
      if (!sb.isEmpty()) {
        sb.append(' ');
      }
      sb.append(w);
      n++;
    }
    return sb.toString();
  }
}

package org.dure.store.moderation;

import com.github.difflib.DiffUtils;
import com.github.difflib.patch.AbstractDelta;
import com.github.difflib.patch.ChangeDelta;
import com.github.difflib.patch.Chunk;
import com.github.difflib.patch.Patch;
import com.github.difflib.patch.PatchFailedException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.dure.identity.PeerId;
import org.dure.store.doc.Author;
import org.dure.store.doc.DamagedDocumentException;
import org.dure.store.doc.Documents;
import org.dure.store.social.Profiles;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.SpaceId;
import org.dure.store.wiki.Wiki;

/**
 * "Revert every edit by X since T" across a space, as new changes, like {@code git revert}: for
 * each page, each version by X since T, newest first, has the inverse of the line diff it made
 * applied to the current text. A hunk is applied only where its lines and one line of context on
 * each side are still found (one side may differ if the hunk's own lines match); a hunk whose lines
 * someone else changed since is skipped and reported, so nobody's later edits are overwritten. The
 * result is saved as character splices on the version it was computed from, so edits made meanwhile
 * merge. Pages X created since T are hidden space-wide, not deleted.
 *
 * <p>A version is X's when this node made it as X, or when it came from a peer and every author its
 * changes claim is X (claims are not proven until changes are signed). A version received from a
 * peer with changes by X and by others at once cannot be split: it is left and reported ({@link
 * PageOutcome#mixed}). The time of a version from a peer is when it arrived here.
 *
 * <p>A damaged (quarantined) page is not touched; it is reported with all of X's edits left.
 *
 * <p>Who may do this is not decided here: the moderation layer checks the role and logs it.
 */
public final class EditReverts {
  /** Lines of context on each side of a hunk that must still be there to apply it. */
  static final int CONTEXT = 1;

  private static final Pattern HEX_KEY = Pattern.compile("[0-9a-fA-F]{64}");

  /** Called after each page looked at, for a progress bar. */
  @FunctionalInterface
  public interface Progress {
    void pagesDone(int done, int total);

    Progress NONE = (done, total) -> {};
  }

  /**
   * What happened to one page.
   *
   * @param versions X's versions since the time looked at
   * @param reverted hunks undone
   * @param skipped hunks left because the lines were changed since by someone else
   * @param mixed versions from a peer with changes by X and others, left as they are
   * @param newVersion the page's version after the revert, 0 if its text did not change
   */
  public record PageOutcome(
      PageId page,
      String title,
      int versions,
      int reverted,
      int skipped,
      int mixed,
      long newVersion) {
    /** Whether some of X's edits remain on the page. */
    public boolean partly() {
      return skipped > 0 || mixed > 0;
    }
  }

  /**
   * The outcome of a revert.
   *
   * @param author the peer ID whose edits were reverted
   * @param changed pages whose text changed
   * @param partly pages where some of the edits could not be reverted (overlapping later edits by
   *     others, or mixed versions); may also be in {@code changed}
   * @param created pages X created since then, now hidden
   * @param pagesLookedAt pages of the space looked at
   */
  public record Report(
      PeerId author,
      Instant since,
      List<PageOutcome> changed,
      List<PageOutcome> partly,
      List<PageSummary> created,
      int pagesLookedAt) {
    /** Whether X had made no edit since then in the space. */
    public boolean nothingToDo() {
      return changed.isEmpty() && partly.isEmpty() && created.isEmpty();
    }
  }

  private final Documents docs;
  private final Wiki wiki;
  private final Profiles profiles;
  private final ModerationRecords moderation;

  public EditReverts(Documents docs, Wiki wiki, Profiles profiles, ModerationRecords moderation) {
    this.docs = docs;
    this.wiki = wiki;
    this.profiles = profiles;
    this.moderation = moderation;
  }

  /**
   * The peer ID of {@code peerOrKey}: a peer ID ({@code 12D3KooW…}) or an Ed25519 public key in hex
   * (64 digits).
   *
   * @throws IllegalArgumentException for anything else
   */
  public static PeerId peerIdOf(String peerOrKey) {
    String s = peerOrKey == null ? "" : peerOrKey.strip();
    if (HEX_KEY.matcher(s).matches()) {
      return new Author(HexFormat.of().parseHex(s)).peerId();
    }
    return PeerId.parseBase58(s);
  }

  /**
   * Reverts every edit {@code peer} made to the pages of {@code space} at or after {@code since},
   * and hides the pages it created since then. (A peer ID or key typed by a user becomes a {@code
   * PeerId} with {@link #peerIdOf}.)
   *
   * @param reason why, kept with the hidden pages
   */
  public Report revertEditsBy(
      SpaceId space, PeerId peer, Instant since, String reason, Progress progress) {
    wiki.spaces().get(space); // NoSuchElementException for an unknown space
    String name = profiles.displayName(peer);
    String message = "Revert edits by " + name + " since " + since;
    String hideReason =
        reason == null || reason.isBlank() ? message : message + ": " + reason.strip();
    if (hideReason.length() > ModerationRecords.MAX_REASON) {
      hideReason = hideReason.substring(0, ModerationRecords.MAX_REASON);
    }
    List<PageId> pages = pagesOf(space);
    List<PageOutcome> changed = new ArrayList<>();
    List<PageOutcome> partly = new ArrayList<>();
    List<PageSummary> created = new ArrayList<>();
    int done = 0;
    for (PageId page : pages) {
      List<Mark> marks = versionsSince(page, since, peer);
      if (!marks.isEmpty()) {
        Mark first = marks.getLast();
        if (first.seq == 1 && first.byPeer) {
          if (!moderation.isHidden(page)) {
            moderation.hide(page, hideReason);
          }
          created.add(wiki.pages().summary(page));
        } else {
          PageOutcome o;
          try {
            o = revertPage(page, marks, message);
          } catch (DamagedDocumentException e) {
            // A quarantined page is left untouched: every edit on it is reported as left.
            String title = wiki.pages().summary(page).title();
            o = new PageOutcome(page, title, marks.size(), 0, marks.size(), 0, 0);
          }
          if (o.newVersion() > 0) {
            changed.add(o);
          }
          if (o.partly()) {
            partly.add(o);
          }
        }
      }
      progress.pagesDone(++done, pages.size());
    }
    return new Report(
        peer, since, List.copyOf(changed), List.copyOf(partly), List.copyOf(created), pages.size());
  }

  /** A version since the time looked at: whether it is the peer's alone, or mixed with others. */
  private record Mark(long seq, boolean byPeer, boolean mixed) {}

  private PageOutcome revertPage(PageId page, List<Mark> marks, String message) {
    String title = wiki.pages().summary(page).title();
    long base = wiki.history().of(page, 0, 1).getFirst().number();
    String text = wiki.history().pageAt(page, base).body();
    String start = text;
    int versions = 0;
    int reverted = 0;
    int skipped = 0;
    int mixed = 0;
    for (Mark m : marks) { // newest first
      if (m.mixed) {
        mixed++;
        continue;
      }
      if (!m.byPeer) {
        continue;
      }
      versions++;
      String before = m.seq <= 1 ? "" : wiki.history().pageAt(page, m.seq - 1).body();
      String after = wiki.history().pageAt(page, m.seq).body();
      Undo u = undo(before, after, text);
      text = u.text;
      reverted += u.applied;
      skipped += u.skipped;
    }
    long v = 0;
    if (!text.equals(start)) {
      v = wiki.pages().replaceText(page, base, text, Optional.of(message));
    }
    return new PageOutcome(page, title, versions, reverted, skipped, mixed, v);
  }

  /** The result of undoing one version's diff: the text, and how many hunks were (not) undone. */
  record Undo(String text, int applied, int skipped) {}

  /**
   * Undoes in {@code current} what the change from {@code before} to {@code after} did, hunk by
   * hunk, bottom up; hunks whose lines (with their context) are no longer in {@code current} are
   * skipped.
   */
  static Undo undo(String before, String after, String current) {
    List<String> was = lines(before);
    List<String> is = lines(after);
    List<String> now = new ArrayList<>(lines(current));
    List<AbstractDelta<String>> deltas = new ArrayList<>(DiffUtils.diff(is, was).getDeltas());
    int applied = 0;
    int skipped = 0;
    for (int i = deltas.size() - 1; i >= 0; i--) {
      AbstractDelta<String> d = deltas.get(i);
      int pos = d.getSource().getPosition();
      int size = d.getSource().size();
      List<String> ctxBefore = is.subList(Math.max(0, pos - CONTEXT), pos);
      List<String> ctxAfter = is.subList(pos + size, Math.min(is.size(), pos + size + CONTEXT));
      List<String> source = new ArrayList<>(ctxBefore);
      source.addAll(d.getSource().getLines());
      source.addAll(ctxAfter);
      List<String> target = new ArrayList<>(ctxBefore);
      target.addAll(d.getTarget().getLines());
      target.addAll(ctxAfter);
      Patch<String> p = new Patch<>();
      p.addDelta(
          new ChangeDelta<>(
              new Chunk<>(pos - ctxBefore.size(), source),
              new Chunk<>(pos - ctxBefore.size(), target)));
      Optional<List<String>> out = apply(p, now, 0);
      // A hunk that removes or changes lines may lose one side's context (someone edited the
      // neighbouring line): its own lines still have to match. One that only inserts needs both.
      if (out.isEmpty()
          && size > 0
          && !ctxBefore.isEmpty()
          && !ctxAfter.isEmpty()
          && !allBlank(d.getSource().getLines())) {
        out = apply(p, now, 1);
      }
      if (out.isPresent()) {
        now = new ArrayList<>(out.get());
        applied++;
      } else {
        skipped++;
      }
    }
    return new Undo(String.join("\n", now), applied, skipped);
  }

  private static Optional<List<String>> apply(Patch<String> p, List<String> text, int fuzz) {
    try {
      return Optional.of(p.applyFuzzy(text, fuzz));
    } catch (PatchFailedException | IndexOutOfBoundsException e) {
      return Optional.empty();
    }
  }

  private static boolean allBlank(List<String> lines) {
    return lines.stream().allMatch(String::isBlank);
  }

  /** The lines of {@code text} without their ends; joined with "\n" they give it back. */
  static List<String> lines(String text) {
    return Arrays.asList(text.split("\n", -1));
  }

  /** Every page of the space, hidden ones too. */
  private List<PageId> pagesOf(SpaceId space) {
    return docs.read(
        d -> {
          PreparedStatement ps =
              d.statement("SELECT id FROM pages WHERE space_id = ? ORDER BY num");
          ps.setString(1, space.value());
          List<PageId> out = new ArrayList<>();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(new PageId(rs.getString(1)));
            }
          }
          return out;
        });
  }

  /**
   * The versions of {@code page} made at or after {@code since}, newest first, with whether each is
   * by {@code peer} alone or mixes its changes with others'; versions by others only are left out.
   */
  private List<Mark> versionsSince(PageId page, Instant since, PeerId peer) {
    record Row(long seq, byte[] author, List<byte[]> claims) {}
    List<Row> rows =
        docs.read(
            d -> {
              PreparedStatement ps =
                  d.statement(
                      "SELECT seq, author FROM changes WHERE doc_id = ? AND time >= ?"
                          + " ORDER BY seq DESC");
              ps.setString(1, page.value());
              ps.setLong(2, since.toEpochMilli());
              List<Row> out = new ArrayList<>();
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  out.add(new Row(rs.getLong(1), rs.getBytes(2), new ArrayList<>()));
                }
              }
              PreparedStatement claims =
                  d.statement(
                      "SELECT claimed_author FROM change_claims WHERE doc_id = ? AND seq = ?");
              for (Row r : out) {
                if (r.author != null) {
                  continue;
                }
                claims.setString(1, page.value());
                claims.setLong(2, r.seq);
                try (ResultSet rs = claims.executeQuery()) {
                  while (rs.next()) {
                    r.claims.add(rs.getBytes(1));
                  }
                }
              }
              return out;
            });
    List<Mark> marks = new ArrayList<>();
    for (Row r : rows) {
      if (r.author != null) {
        if (isPeer(r.author, peer)) {
          marks.add(new Mark(r.seq, true, false));
        }
        continue;
      }
      long mine = r.claims.stream().filter(c -> isPeer(c, peer)).count();
      if (mine == 0) {
        continue;
      }
      marks.add(new Mark(r.seq, mine == r.claims.size(), mine < r.claims.size()));
    }
    return marks;
  }

  private static boolean isPeer(byte[] key, PeerId peer) {
    return key.length == 32 && new Author(key).peerId().equals(peer);
  }
}

package org.dure.store.wiki;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.automerge.ChangeHash;
import org.automerge.Document;
import org.automerge.ObjectId;
import org.automerge.Patch;
import org.automerge.PatchAction;
import org.dure.store.doc.Documents;

/**
 * A page's text edited live: an open editor remembers which version of the text it shows ({@link
 * Seen}), sends its keystrokes as splices of that version ({@link #splice}), taken only while the
 * page is still at that version (else the editor first takes in what changed and moves its splices
 * over it), and asks what changed since ({@link #since}) to show a friend's edits as Automerge
 * patches, not as a new text. Positions are Unicode code points, as in Automerge.
 */
public final class LiveEdits {
  private final Documents docs;
  private final SearchIndex index;
  private final int maxPageLength;

  LiveEdits(Documents docs, SearchIndex index, int maxPageLength) {
    this.docs = docs;
    this.index = index;
    this.maxPageLength = maxPageLength;
  }

  /** The version of a page's text an editor shows; opaque. */
  public static final class Seen {
    private final ChangeHash[] heads;

    private Seen(ChangeHash[] heads) {
      this.heads = heads.clone();
    }

    /** Whether both name the same version. */
    @Override
    public boolean equals(Object o) {
      return o instanceof Seen s
          && new HashSet<>(Arrays.asList(heads)).equals(new HashSet<>(Arrays.asList(s.heads)));
    }

    @Override
    public int hashCode() {
      return new HashSet<>(Arrays.asList(heads)).hashCode();
    }

    @Override
    public String toString() {
      return "Seen(" + heads.length + " heads)";
    }
  }

  /** Replace {@code delete} code points at {@code pos} with {@code insert}. */
  public record Splice(long pos, long delete, String insert) {
    public Splice {
      if (pos < 0 || delete < 0) {
        throw new IllegalArgumentException("Negative splice " + pos + "+" + delete);
      }
    }
  }

  /** A page's text and the version it is. */
  public record Opened(String text, Seen seen) {}

  /**
   * What changed in a page's text since an editor's version: splices to apply one after another,
   * the version they lead to and the text's length there (in code points).
   */
  public record Changes(List<Splice> splices, Seen seen, long length) {}

  /**
   * The page's text now.
   *
   * @throws java.util.NoSuchElementException if there is no such page
   * @throws org.dure.store.doc.DamagedDocumentException if its document cannot be loaded
   */
  public Opened open(PageId id) {
    return docs.withDocument(
        id.value(),
        live -> {
          PageKind.require(live);
          Document doc = live.doc();
          String text = doc.text(PageKind.body(live)).orElse("");
          return new Opened(text, new Seen(doc.getHeads()));
        });
  }

  /**
   * Applies {@code splices}, one after another, to the page's text if it is still at {@code seen},
   * as one change persisted through the journal like a keystroke ({@link Pages#splice}). If the
   * page has changed since (a friend's edit merged, another tab), nothing is changed: the editor
   * first takes in what changed ({@link #since}), moves its splices over it and sends them again.
   *
   * <p>A splice is never made on an older version: when this node's own actor has changes past
   * those heads (another tab typing), Automerge-Java 0.0.7's transaction at old heads ({@code
   * Document.startTransactionAt}) writes under a derived actor id, which peers refuse as naming no
   * author, and may count text positions in the current text rather than at those heads.
   *
   * @return the version the editor shows afterwards ({@code seen} plus this change), or empty if
   *     the page is no longer at {@code seen}
   * @throws IllegalArgumentException if a splice lies outside the text or the page would grow past
   *     its limit (nothing is changed then)
   */
  public Optional<Seen> splice(PageId id, Seen seen, List<Splice> splices) {
    var meta = docs.meta(Optional.empty());
    String[] space = new String[1];
    Optional<Seen> after =
        docs.withDocument(
            id.value(),
            live -> {
              PageKind.require(live);
              ObjectId body = PageKind.body(live);
              Document doc = live.doc();
              ChangeHash[] before = doc.getHeads();
              if (!new Seen(before).equals(seen)) {
                return Optional.empty();
              }
              if (splices.isEmpty()) {
                return Optional.of(seen);
              }
              long len = PageKind.bodyLength(live, body);
              long growth = 0;
              for (Splice s : splices) {
                if (s.pos() + s.delete() > len) {
                  throw new IllegalArgumentException(
                      "Splice "
                          + s.pos()
                          + "+"
                          + s.delete()
                          + " is outside the text ("
                          + len
                          + ")");
                }
                long added = s.insert().codePointCount(0, s.insert().length());
                len += added - s.delete();
                growth += added - s.delete();
              }
              if (growth > 0 && len > maxPageLength) {
                throw new IllegalArgumentException(
                    "A page can have at most " + maxPageLength + " characters.");
              }
              OptionalLong seq =
                  docs.commitJournalled(
                      live,
                      null,
                      tx -> {
                        for (Splice s : splices) {
                          tx.spliceText(body, s.pos(), s.delete(), s.insert());
                        }
                      },
                      meta);
              if (seq.isEmpty()) {
                return Optional.of(seen);
              }
              PageKind.bodyLengthIs(live, len);
              for (Splice s : splices) {
                live.addOps(s.delete() + s.insert().length());
              }
              space[0] = live.spaceId();
              return Optional.of(new Seen(newHeads(before, doc.getHeads())));
            });
    if (space[0] != null) {
      index.markDirty(id.value());
      docs.fire(id.value(), PageKind.KIND, space[0], Optional.empty());
    }
    return after;
  }

  /** The change just committed: the heads after that were not heads before. */
  private static ChangeHash[] newHeads(ChangeHash[] before, ChangeHash[] after) {
    Set<ChangeHash> old = new HashSet<>(Arrays.asList(before));
    List<ChangeHash> fresh = new ArrayList<>();
    for (ChangeHash h : after) {
      if (!old.contains(h)) {
        fresh.add(h);
      }
    }
    return fresh.toArray(ChangeHash[]::new);
  }

  /**
   * What changed in the page's text from {@code seen} to now, as Automerge's patches of the text (a
   * change elsewhere in the page is no splice).
   */
  public Changes since(PageId id, Seen seen) {
    return docs.withDocument(
        id.value(),
        live -> {
          PageKind.require(live);
          ObjectId body = PageKind.body(live);
          Document doc = live.doc();
          ChangeHash[] now = doc.getHeads();
          Seen current = new Seen(now);
          if (current.equals(seen)) {
            return new Changes(List.of(), seen, -1);
          }
          List<Splice> out = new ArrayList<>();
          for (Patch p : doc.diff(seen.heads, now)) {
            if (!p.getObj().equals(body)) {
              continue;
            }
            switch (p.getAction()) {
              case PatchAction.SpliceText t -> out.add(new Splice(t.getIndex(), 0, t.getText()));
              case PatchAction.DeleteList d -> out.add(new Splice(d.getIndex(), d.getLength(), ""));
              default -> {
                // marks and conflicts do not change the characters
              }
            }
          }
          return new Changes(out, current, doc.length(body));
        });
  }
}

package org.dure.ui.coedit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.dure.store.wiki.LiveEdits;
import org.dure.store.wiki.PageId;

/**
 * The authority for one open editor, without Vaadin: it numbers the updates of the editor's text
 * (the version CodeMirror's collab extension counts), turns the editor's updates into splices of
 * the page's Automerge text, and what changed in the page since into updates for the editor. The
 * browser counts in UTF-16 code units, Automerge in code points; this converts.
 *
 * <p>An update the editor made on an older version than the page's (a friend's edit reached the
 * page first) is moved over what changed since, here, when no edit of it touches an edit it is
 * moved over: then where it lands is not a matter of tie-breaking, and the editor, which moves its
 * own unconfirmed updates over the same changes when it takes them in, ends with the same text. An
 * update that touches one is refused, and the editor moves it itself (one more round trip).
 *
 * <p>Not thread-safe: the owner calls it under one lock (the Vaadin session's).
 */
final class CoeditEngine {
  /** The client ID of updates that come from the page rather than from this editor. */
  static final String PAGE = "page";

  /** The most updates kept to move a push on an older version over; an older one is refused. */
  static final int MAX_HISTORY = 1_000;

  /**
   * The most pairs of edits one move may compare (edits pushed times edits moved over); a push that
   * would take more is refused, and the browser moves it itself.
   */
  static final long MAX_MOVE_WORK = 1_000_000;

  /** How often one push takes in a change that reached the page meanwhile before it gives up. */
  private static final int MAX_CATCH_UPS = 8;

  /** Replace {@code from..to} (UTF-16, in the text before it) with {@code insert}. */
  record Edit(int from, int to, String insert) {}

  /**
   * One update of the text: splices applied one after another to a text of {@code length} UTF-16
   * units, by client {@code clientId}.
   */
  record Update(String clientId, int length, List<Edit> edits) {}

  private final LiveEdits live;
  private final PageId page;
  private final StringBuilder shadow = new StringBuilder();
  private LiveEdits.Seen seen;
  private int version;
  private final List<Update> unsent = new ArrayList<>();
  // the updates from version historyStart on, in order (a push is moved over those since its own)
  private final List<Update> history = new ArrayList<>();
  private int historyStart;
  private boolean lost;

  /** Opens the page's text now; the editor starts at version 0 with {@link #text()}. */
  CoeditEngine(LiveEdits live, PageId page) {
    this.live = live;
    this.page = page;
    LiveEdits.Opened opened = live.open(page);
    shadow.append(opened.text());
    seen = opened.seen();
  }

  /** The text at {@link #version()}. */
  String text() {
    return shadow.toString();
  }

  /** How many updates the text has had since the editor opened. */
  int version() {
    return version;
  }

  /**
   * The editor's updates, made on {@code clientVersion}: moved over what changed since (see the
   * class comment), stored as changes of the page and queued for the editor (which takes them as
   * confirmations). A change that reaches the page meanwhile is {@linkplain #catchUp taken in} and
   * the updates moved over it. The updates taken are one change of the page (one write to the
   * journal, one change to sync). Refused (false) from the first update that touches a change it
   * would be moved over, or when {@code clientVersion} is not one this engine can move from: the
   * editor then gets what changed, moves its unconfirmed edits over it (CodeMirror's collab) and
   * sends them again. So every splice is made on the page's current text, where the editor had it.
   *
   * @throws IllegalArgumentException if an update does not fit the text it was made on, splits a
   *     character or the page would grow past its limit (then nothing of the push is applied)
   */
  boolean push(int clientVersion, List<Update> updates) {
    if (clientVersion > version || clientVersion < historyStart || lost) {
      return false;
    }
    List<Update> since = history.subList(clientVersion - historyStart, history.size());
    List<Edit> over = new ArrayList<>();
    for (Update u : since) {
      if (!u.clientId().equals(PAGE)) {
        // an update of this editor it has not had the answer to: it sent again too early
        return false;
      }
      over.addAll(u.edits());
    }
    int length = since.isEmpty() ? shadow.length() : since.getFirst().length();
    // the editor has every update before its version: those are not needed any more
    history.subList(0, clientVersion - historyStart).clear();
    historyStart = clientVersion;
    Moved todo = moveOver(updates, over, length);
    int catchUps = 0;
    while (!todo.updates().isEmpty()) {
      // All of them as one change of the page: one commit to the journal, one change to sync.
      List<LiveEdits.Splice> splices = new ArrayList<>();
      StringBuilder next = new StringBuilder(shadow);
      for (Update u : todo.updates()) {
        if (u.length() != next.length()) {
          throw new IllegalStateException("A moved update does not fit: " + u);
        }
        for (Edit e : u.edits()) {
          checkRange(next, e.from(), e.to());
          int pos = next.codePointCount(0, e.from());
          int del = next.codePointCount(e.from(), e.to());
          splices.add(new LiveEdits.Splice(pos, del, e.insert()));
          next.replace(e.from(), e.to(), e.insert());
        }
      }
      Optional<LiveEdits.Seen> after = live.splice(page, seen, splices);
      if (after.isEmpty()) {
        // The page changed since this engine's version: take that in, move them over it.
        int before = history.size();
        if (++catchUps > MAX_CATCH_UPS || !catchUp()) {
          return false;
        }
        List<Edit> page = new ArrayList<>();
        for (Update p : history.subList(before, history.size())) {
          page.addAll(p.edits());
        }
        todo =
            moveOver(todo.updates(), page, todo.updates().getFirst().length()).and(todo.touched());
        continue;
      }
      seen = after.get();
      shadow.setLength(0);
      shadow.append(next);
      for (Update u : todo.updates()) {
        record(u);
      }
      break;
    }
    return !todo.touched();
  }

  /**
   * Updates moved over edits; {@code touched} if moving stopped before one that touched an edit
   * (that one and all after it are left out).
   */
  record Moved(List<Update> updates, boolean touched) {
    Moved and(boolean alsoTouched) {
      return new Moved(updates, touched || alsoTouched);
    }
  }

  /**
   * {@code updates}, made one after another on a text of {@code length} UTF-16 units, moved over
   * {@code over} (edits applied one after another to the same text), as far as no edit touches one
   * of {@code over}: an insertion at the start or end of another edit, or ranges that meet or
   * overlap, would land by tie-breaking, which is left to the editor. None is moved when that would
   * compare more than {@link #MAX_MOVE_WORK} pairs of edits.
   *
   * @throws IllegalArgumentException if an update does not fit the text it was made on
   */
  static Moved moveOver(List<Update> updates, List<Edit> over, int length) {
    long pushed = 0;
    for (Update u : updates) {
      pushed += u.edits().size();
    }
    if (!over.isEmpty() && pushed * over.size() > MAX_MOVE_WORK) {
      return new Moved(List.of(), true);
    }
    List<Edit> theirs = new ArrayList<>(over);
    int mine = length;
    int moved = length;
    for (Edit o : theirs) {
      moved += o.insert().length() - (o.to() - o.from());
    }
    List<Update> out = new ArrayList<>();
    for (Update u : updates) {
      if (u.length() != mine) {
        throw new IllegalArgumentException(
            "An update of a text of " + u.length() + " units, not " + mine);
      }
      int uLength = mine;
      for (Edit e : u.edits()) {
        if (e.from() < 0 || e.to() < e.from() || e.to() > uLength) {
          throw new IllegalArgumentException(
              "Edit " + e.from() + ".." + e.to() + " is outside the text (" + uLength + ")");
        }
        uLength += e.insert().length() - (e.to() - e.from());
      }
      mine = uLength;
    }
    for (Update u : updates) {
      List<Edit> edits = new ArrayList<>();
      for (Edit e : u.edits()) {
        Edit m = e;
        for (int i = 0; i < theirs.size(); i++) {
          Edit o = theirs.get(i);
          if (!(m.to() < o.from() || m.from() > o.to())) {
            return new Moved(out, true);
          }
          Edit m2 = shift(m, o);
          theirs.set(i, shift(o, m));
          m = m2;
        }
        edits.add(m);
      }
      out.add(new Update(u.clientId(), moved, List.copyOf(edits)));
      for (Edit m : edits) {
        moved += m.insert().length() - (m.to() - m.from());
      }
    }
    return new Moved(out, false);
  }

  /** {@code e} on the text after {@code o}; both made on one text and apart. */
  private static Edit shift(Edit e, Edit o) {
    if (e.to() < o.from()) {
      return e;
    }
    int d = o.insert().length() - (o.to() - o.from());
    return new Edit(e.from() + d, e.to() + d, e.insert());
  }

  private void record(Update u) {
    version++;
    unsent.add(u);
    history.add(u);
    if (history.size() > MAX_HISTORY) {
      history.subList(0, history.size() - MAX_HISTORY).clear();
      historyStart = version - MAX_HISTORY;
    }
  }

  private static void checkRange(CharSequence text, int from, int to) {
    if (from < 0 || to < from || to > text.length()) {
      throw new IllegalArgumentException(
          "Edit " + from + ".." + to + " is outside the text (" + text.length() + ")");
    }
    if (splitsPair(text, from) || splitsPair(text, to)) {
      throw new IllegalArgumentException("Edit " + from + ".." + to + " splits a character");
    }
  }

  private static boolean splitsPair(CharSequence text, int at) {
    return at > 0
        && at < text.length()
        && Character.isHighSurrogate(text.charAt(at - 1))
        && Character.isLowSurrogate(text.charAt(at));
  }

  /**
   * Takes in what changed in the page since the editor's version (a friend's edit, another tab), as
   * one update queued for the editor.
   *
   * @return false if the page's text no longer matches what the editor was told (it must start
   *     again from {@link #text()} after {@link #reopen}; until then this stays false and every
   *     push is refused)
   */
  boolean catchUp() {
    if (lost) {
      return false;
    }
    LiveEdits.Changes changes = live.since(page, seen);
    if (changes.seen().equals(seen)) {
      return true;
    }
    int before = shadow.length();
    List<Edit> edits = new ArrayList<>();
    for (LiveEdits.Splice s : changes.splices()) {
      int cps = shadow.codePointCount(0, shadow.length());
      if (s.pos() + s.delete() > cps) {
        lost = true;
        return false;
      }
      int from = shadow.offsetByCodePoints(0, (int) s.pos());
      int to = shadow.offsetByCodePoints(from, (int) s.delete());
      edits.add(new Edit(from, to, s.insert()));
      shadow.replace(from, to, s.insert());
    }
    seen = changes.seen();
    if (shadow.codePointCount(0, shadow.length()) != changes.length()) {
      lost = true;
      return false;
    }
    if (!edits.isEmpty()) {
      record(new Update(PAGE, before, List.copyOf(edits)));
    }
    return true;
  }

  /** Starts again from the page's text now, at version 0 (the editor must be started again). */
  void reopen() {
    LiveEdits.Opened opened = live.open(page);
    shadow.setLength(0);
    shadow.append(opened.text());
    seen = opened.seen();
    version = 0;
    unsent.clear();
    history.clear();
    historyStart = 0;
    lost = false;
  }

  /** The updates the editor has not been sent yet, in order; they count as sent now. */
  List<Update> takeUnsent() {
    List<Update> out = List.copyOf(unsent);
    unsent.clear();
    return out;
  }
}

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
 * <p>Not thread-safe: the owner calls it under one lock (the Vaadin session's).
 */
final class CoeditEngine {
  /** The client ID of updates that come from the page rather than from this editor. */
  static final String PAGE = "page";

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
   * The editor's updates, made on {@code clientVersion}: stored as changes of the page and queued
   * for the editor (which takes them as confirmations). Refused (false) when the editor has not yet
   * seen every update, or when the page changed since this engine's version (from the first update
   * that met such a change on): the caller then {@linkplain #catchUp catches up}, the editor gets
   * what changed, moves its unconfirmed edits over it (CodeMirror's collab) and sends them again.
   * So every splice is made on the page's current text, on exactly the text the editor had.
   *
   * @throws IllegalArgumentException if an update does not fit the text (then none after it is
   *     applied) or the page would grow past its limit
   */
  boolean push(int clientVersion, List<Update> updates) {
    if (clientVersion != version) {
      return false;
    }
    for (Update u : updates) {
      if (u.length() != shadow.length()) {
        throw new IllegalArgumentException(
            "An update of a text of " + u.length() + " units, not " + shadow.length());
      }
      List<LiveEdits.Splice> splices = new ArrayList<>();
      StringBuilder next = new StringBuilder(shadow);
      for (Edit e : u.edits()) {
        checkRange(next, e.from(), e.to());
        int pos = next.codePointCount(0, e.from());
        int del = next.codePointCount(e.from(), e.to());
        splices.add(new LiveEdits.Splice(pos, del, e.insert()));
        next.replace(e.from(), e.to(), e.insert());
      }
      Optional<LiveEdits.Seen> after = live.splice(page, seen, splices);
      if (after.isEmpty()) {
        return false;
      }
      seen = after.get();
      shadow.setLength(0);
      shadow.append(next);
      version++;
      unsent.add(u);
    }
    return true;
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
   *     again from {@link #text()} after {@link #reopen})
   */
  boolean catchUp() {
    LiveEdits.Changes changes = live.since(page, seen);
    if (changes.seen().equals(seen)) {
      return true;
    }
    int before = shadow.length();
    List<Edit> edits = new ArrayList<>();
    for (LiveEdits.Splice s : changes.splices()) {
      int cps = shadow.codePointCount(0, shadow.length());
      if (s.pos() + s.delete() > cps) {
        return false;
      }
      int from = shadow.offsetByCodePoints(0, (int) s.pos());
      int to = shadow.offsetByCodePoints(from, (int) s.delete());
      edits.add(new Edit(from, to, s.insert()));
      shadow.replace(from, to, s.insert());
    }
    seen = changes.seen();
    if (shadow.codePointCount(0, shadow.length()) != changes.length()) {
      return false;
    }
    if (!edits.isEmpty()) {
      version++;
      unsent.add(new Update(PAGE, before, List.copyOf(edits)));
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
  }

  /** The updates the editor has not been sent yet, in order; they count as sent now. */
  List<Update> takeUnsent() {
    List<Update> out = List.copyOf(unsent);
    unsent.clear();
    return out;
  }
}

package org.dure.ui.coedit;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * What {@code dure-live-editor.js} with CodeMirror's collab extension does, for tests without a
 * browser: the text at the version it has synced, its unconfirmed updates on top (one edit each, as
 * a keystroke makes), one push at a time, and messages from the server taken in order: its own
 * updates confirm the first unconfirmed, anyone else's move the unconfirmed ones and the cursor.
 *
 * <p>Edits whose ranges touch are not moved over each other (the tests keep typists apart and this
 * throws), so where the text ends is never a matter of tie-breaking.
 */
final class CollabClient {
  /** One message of {@code receive}: updates in order, and whether it answers a push. */
  record Message(List<CoeditEngine.Update> updates, boolean answer) {}

  private final String clientId;
  private final StringBuilder synced;
  private int version;
  private final List<CoeditEngine.Edit> unconfirmed = new ArrayList<>();
  private final Deque<Message> inbox = new ArrayDeque<>();
  private boolean inFlight;
  private int cursor;
  private int refused;

  CollabClient(String clientId, String text, int version) {
    this.clientId = clientId;
    this.synced = new StringBuilder(text);
    this.version = version;
  }

  /** The text on screen: the synced text with the unconfirmed edits. */
  String text() {
    StringBuilder t = new StringBuilder(synced);
    for (CoeditEngine.Edit e : unconfirmed) {
      t.replace(e.from(), e.to(), e.insert());
    }
    return t.toString();
  }

  /** How many pushes the engine refused (each costs the browser one more round trip). */
  int refused() {
    return refused;
  }

  int cursor() {
    return cursor;
  }

  void moveCursor(int to) {
    cursor = to;
  }

  /** Types {@code s} at the cursor, as one keystroke (one update). */
  void type(String s) {
    unconfirmed.add(new CoeditEngine.Edit(cursor, cursor, s));
    cursor += s.length();
  }

  /** Deletes the character before the cursor (Backspace). */
  void backspace() {
    unconfirmed.add(new CoeditEngine.Edit(cursor - 1, cursor, ""));
    cursor--;
  }

  /** Whether every local edit is confirmed and nothing waits to be taken in. */
  boolean settled() {
    return unconfirmed.isEmpty() && !inFlight && inbox.isEmpty();
  }

  /**
   * Sends the unconfirmed updates unless a push is under way, as {@code LiveEditor.push} takes
   * them: the engine's answer (its confirmations, and if it refused them whatever changed in the
   * page) is queued. A change taken meanwhile comes with {@link #changedElsewhere}.
   */
  void push(CoeditEngine engine) {
    if (inFlight || unconfirmed.isEmpty()) {
      return;
    }
    inFlight = true;
    List<CoeditEngine.Update> updates = new ArrayList<>();
    String t = synced.toString();
    StringBuilder b = new StringBuilder(t);
    for (CoeditEngine.Edit e : unconfirmed) {
      updates.add(new CoeditEngine.Update(clientId, b.length(), List.of(e)));
      b.replace(e.from(), e.to(), e.insert());
    }
    if (!engine.push(version, updates)) {
      refused++;
      if (!engine.catchUp()) {
        throw new AssertionError("the engine lost track of the page");
      }
    }
    inbox.add(new Message(engine.takeUnsent(), true));
  }

  /** What {@code LiveEditor.catchUp} sends after a change reached the page from elsewhere. */
  void changedElsewhere(CoeditEngine engine) {
    if (!engine.catchUp()) {
      throw new AssertionError("the engine lost track of the page");
    }
    List<CoeditEngine.Update> updates = engine.takeUnsent();
    if (!updates.isEmpty()) {
      inbox.add(new Message(updates, false));
    }
  }

  /** Takes in every queued message, in order. */
  void deliver() {
    while (!inbox.isEmpty()) {
      Message m = inbox.poll();
      for (CoeditEngine.Update u : m.updates()) {
        receive(u);
      }
      if (m.answer()) {
        inFlight = false;
      }
    }
  }

  private void receive(CoeditEngine.Update u) {
    if (u.length() != synced.length()) {
      throw new AssertionError("update of a text of " + u.length() + ", have " + synced.length());
    }
    version++;
    if (!unconfirmed.isEmpty() && u.clientId().equals(clientId)) {
      // the echo of the first unconfirmed edit
      CoeditEngine.Edit mine = unconfirmed.remove(0);
      if (!u.edits().equals(List.of(mine))) {
        throw new AssertionError("echo " + u.edits() + " is not " + mine);
      }
      synced.replace(mine.from(), mine.to(), mine.insert());
      return;
    }
    for (CoeditEngine.Edit f : u.edits()) {
      synced.replace(f.from(), f.to(), f.insert());
      CoeditEngine.Edit theirs = f;
      for (int i = 0; i < unconfirmed.size(); i++) {
        CoeditEngine.Edit mine = unconfirmed.get(i);
        unconfirmed.set(i, over(mine, theirs));
        theirs = over(theirs, mine);
      }
      // theirs now applies to the text on screen
      cursor = map(cursor, theirs);
    }
  }

  /** {@code e} moved over {@code other}, both made on the same text. */
  private static CoeditEngine.Edit over(CoeditEngine.Edit e, CoeditEngine.Edit other) {
    if (e.to() < other.from()) {
      return e;
    }
    if (e.from() > other.to()) {
      int d = other.insert().length() - (other.to() - other.from());
      return new CoeditEngine.Edit(e.from() + d, e.to() + d, e.insert());
    }
    throw new AssertionError("edits " + e + " and " + other + " touch");
  }

  private static int map(int pos, CoeditEngine.Edit e) {
    if (pos < e.from()) {
      return pos;
    }
    if (pos > e.to()) {
      return pos + e.insert().length() - (e.to() - e.from());
    }
    throw new AssertionError("an edit " + e + " at the cursor " + pos);
  }
}

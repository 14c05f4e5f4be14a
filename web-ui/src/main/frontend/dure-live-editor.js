// <dure-live-editor>: the page editor shared live with friends (CodeMirror 6 and its collab
// extension). The server side (org.dure.ui.coedit.LiveEditor) is the authority: it numbers the
// updates of the text, turns each of this editor's updates into an Automerge splice of the page,
// and turns every change that reaches the page from elsewhere into an update for this editor.
//
// Wire format (JSON strings both ways; positions are UTF-16 code units, as in the browser):
//   update  = {"c": clientID, "l": length of the text before it, "s": [[from, to, insert], ...]}
//             the splices apply one after another (each to the result of the one before)
//   push    = $server.push(version, JSON of [update, ...])   this editor's unconfirmed updates
//   receive = {"u": [update, ...], "a": true when it answers a push}   new updates, in order
import { ChangeSet, EditorState } from '@codemirror/state';
import { EditorView, keymap, placeholder } from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { collab, getSyncedVersion, receiveUpdates, sendableUpdates } from '@codemirror/collab';

// Lumo's colours and fonts, so the editor follows the light or dark theme.
const lumoTheme = EditorView.theme({
  '&': {
    height: '100%',
    color: 'var(--lumo-body-text-color)',
    backgroundColor: 'var(--lumo-contrast-5pct)',
    borderRadius: 'var(--lumo-border-radius-m)',
    fontSize: 'var(--lumo-font-size-m)',
  },
  '&.cm-focused': { outline: '2px solid var(--lumo-primary-color-50pct)' },
  '.cm-scroller': { fontFamily: 'var(--lumo-font-family)', lineHeight: '1.6' },
  '.cm-content': { caretColor: 'var(--lumo-body-text-color)', padding: 'var(--lumo-space-s) 0' },
  '.cm-line': { padding: '0 var(--lumo-space-s)' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--lumo-body-text-color)' },
  '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground':
    { backgroundColor: 'var(--lumo-primary-color-10pct)' },
  '.cm-placeholder': { color: 'var(--lumo-tertiary-text-color)' },
});

/** The splices of a change set, to be applied one after another (last position first). */
function splicesOf(changes) {
  const out = [];
  changes.iterChanges((fromA, toA, _fromB, _toB, inserted) => {
    out.push([fromA, toA, inserted.toString()]);
  });
  return out.reverse();
}

/** A change set of a text of {@code length} from splices applied one after another. */
function changeSetOf(length, splices) {
  let set = ChangeSet.empty(length);
  for (const [from, to, insert] of splices) {
    set = set.compose(ChangeSet.of({ from, to, insert }, set.newLength));
  }
  return set;
}

class DureLiveEditor extends HTMLElement {
  constructor() {
    super();
    this._view = null;
    this._inFlight = false;
    this._waiters = [];
  }

  connectedCallback() {
    this.style.display = 'block';
    // The server sends the text once the element is defined and bound to its server side.
    const ready = () => {
      if (!this.isConnected) {
        return;
      }
      if (this.$server) {
        this.$server.ready();
      } else {
        setTimeout(ready, 20);
      }
    };
    ready();
  }

  disconnectedCallback() {
    if (this._view) {
      this._view.destroy();
      this._view = null;
    }
  }

  /** Called by the server with the text at {@code version}; (re)creates the editor. */
  start(text, version, readOnly, label, placeholderText) {
    if (this._view) {
      this._view.destroy();
    }
    this._inFlight = false;
    this._focused = false;
    const clientID = Math.random().toString(36).slice(2, 12);
    const extensions = [
      collab({ startVersion: version, clientID }),
      history(),
      keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
      EditorView.lineWrapping,
      lumoTheme,
      EditorState.readOnly.of(readOnly),
      EditorView.editable.of(!readOnly),
      // tabindex: the text is the one tab stop of the editor, and accessibility checkers (axe's
      // scrollable-region-focusable) see that its scrolling box holds focusable content.
      EditorView.contentAttributes.of({ 'aria-label': label, tabindex: '0' }),
      EditorView.domEventHandlers({ paste: (event) => this._pasteFiles(event, readOnly) }),
      EditorView.updateListener.of((u) => {
        if (u.focusChanged && u.view.hasFocus) {
          this._focused = true;
        }
        if (u.docChanged) {
          this._sendSoon();
        }
      }),
    ];
    if (placeholderText) {
      extensions.push(placeholder(placeholderText));
    }
    this._view = new EditorView({
      state: EditorState.create({ doc: text, extensions }),
      parent: this,
      // This element lives in the page's light DOM, only slotted into a layout's shadow root (the
      // split layout): without this, CodeMirror takes that shadow root for its root, never sees
      // the focus in it, and so neither puts its cursor into the DOM nor reads it back, and a
      // keystroke lands where the browser's caret was left after a friend's edit redrew the line.
      root: this.getRootNode(),
    });
    this._notifyIfSynced();
  }

  /** Called by the server with updates of the text in order (see the wire format above). */
  receive(json) {
    const view = this._view;
    if (!view) {
      return;
    }
    const msg = JSON.parse(json);
    if (msg.u.length > 0) {
      const updates = msg.u.map((u) => ({ clientID: u.c, changes: changeSetOf(u.l, u.s) }));
      view.dispatch(receiveUpdates(view.state, updates));
    }
    if (msg.a) {
      this._inFlight = false;
    }
    this._sendSoon();
    this._notifyIfSynced();
  }

  /**
   * Inserts {@code text} on a line of its own at the cursor (at the end if the editor was never
   * focused), as a local edit that is sent like typing.
   */
  insertBlock(text) {
    const view = this._view;
    if (!view || view.state.readOnly) {
      return;
    }
    const doc = view.state.doc;
    const sel = this._focused ? view.state.selection.main : { from: doc.length, to: doc.length };
    const before = sel.from > 0 && doc.sliceString(sel.from - 1, sel.from) !== '\n' ? '\n' : '';
    const after = doc.sliceString(sel.to, sel.to + 1) === '\n' ? '' : '\n';
    const insert = before + text + after;
    view.dispatch({
      changes: { from: sel.from, to: sel.to, insert },
      selection: { anchor: sel.from + insert.length },
      userEvent: 'input',
    });
  }

  /** The text as shown (for the server's tests and the preview). */
  get text() {
    return this._view ? this._view.state.doc.toString() : '';
  }

  /** Resolves once every local edit has been confirmed by the server. */
  flush() {
    return new Promise((resolve) => {
      this._waiters.push(resolve);
      this._notifyIfSynced();
    });
  }

  focus() {
    if (this._view) {
      this._view.focus();
    }
  }

  /**
   * Files pasted from the clipboard (an image, a copied file) are uploaded as attachments to the
   * server's upload handler ({@code paste-target}), which inserts their Markdown at the cursor.
   */
  _pasteFiles(event, readOnly) {
    const target = this.getAttribute('paste-target');
    const files = event.clipboardData ? Array.from(event.clipboardData.files) : [];
    if (readOnly || !target || files.length === 0) {
      return false;
    }
    event.preventDefault();
    for (const file of files) {
      fetch(target, {
        method: 'POST',
        credentials: 'same-origin',
        headers: {
          'X-Filename': encodeURIComponent(file.name || 'pasted'),
          'Content-Type': file.type || 'application/octet-stream',
        },
        body: file,
      }).catch((e) => console.warn('Pasted file not uploaded', e));
    }
    return true;
  }

  _sendSoon() {
    if (this._inFlight || !this._view) {
      return;
    }
    const pending = sendableUpdates(this._view.state);
    if (pending.length === 0) {
      return;
    }
    // One push at a time: what is typed meanwhile goes with the next one.
    this._inFlight = true;
    const version = getSyncedVersion(this._view.state);
    const updates = pending.map((u) => ({
      c: u.clientID,
      l: u.changes.length,
      s: splicesOf(u.changes),
    }));
    this.$server.push(version, JSON.stringify(updates));
  }

  _notifyIfSynced() {
    if (!this._view || this._waiters.length === 0) {
      return;
    }
    if (!this._inFlight && sendableUpdates(this._view.state).length === 0) {
      const waiters = this._waiters;
      this._waiters = [];
      for (const w of waiters) {
        w(true);
      }
    }
  }
}

customElements.define('dure-live-editor', DureLiveEditor);

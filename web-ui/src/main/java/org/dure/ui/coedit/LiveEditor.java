package org.dure.ui.coedit;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.ClientCallable;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.HasSize;
import com.vaadin.flow.component.HasStyle;
import com.vaadin.flow.component.Tag;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.dependency.JsModule;
import com.vaadin.flow.component.dependency.NpmPackage;
import com.vaadin.flow.function.SerializableConsumer;
import com.vaadin.flow.server.streams.UploadHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.dure.store.WikiStore;
import org.dure.store.doc.DamagedDocumentException;
import org.dure.store.doc.StoreException;
import org.dure.store.wiki.PageId;
import org.dure.ui.base.Notices;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A page's text in a CodeMirror 6 editor that shows a friend's edits as they arrive, merged with
 * local typing: each batch of keystrokes becomes a splice of the page's Automerge text at once
 * (persisted and synced like any edit), each change from elsewhere reaches the browser as patches
 * that CodeMirror maps the cursor through. There is nothing to save. Read-only for a reader: the
 * browser refuses typing and this side ignores any update it would still send.
 */
@Tag("dure-live-editor")
@JsModule("./dure-live-editor.js")
@NpmPackage(value = "@codemirror/state", version = "6.7.6")
@NpmPackage(value = "@codemirror/view", version = "6.44.2")
@NpmPackage(value = "@codemirror/commands", version = "6.11.2")
@NpmPackage(value = "@codemirror/collab", version = "6.1.1")
public class LiveEditor extends Component implements HasSize, HasStyle {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(LiveEditor.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** The most updates or edits one push may carry; a browser sends a few. */
  static final int MAX_PUSH = 1_000;

  private final transient WikiStore store;
  private final PageId page;
  private final boolean readOnly;
  private transient CoeditEngine engine;
  private transient AutoCloseable listener;
  // whether a catch-up is queued for the session's lock (cleared before it reads the page)
  private final AtomicBoolean catchUpDue = new AtomicBoolean();
  private final List<SerializableConsumer<String>> textListeners = new ArrayList<>();

  /**
   * An editor of {@code page}'s text; {@code readOnly} for someone who may not edit it. The text is
   * read when the editor is attached.
   */
  public LiveEditor(WikiStore store, PageId page, boolean readOnly) {
    this.store = store;
    this.page = page;
    this.readOnly = readOnly;
    getElement().setAttribute("role", "group");
  }

  /** Whether this editor refuses edits. */
  public boolean isReadOnly() {
    return readOnly;
  }

  /** The text as this side knows it (every update confirmed so far). */
  public String text() {
    return engine == null ? "" : engine.text();
  }

  /** Calls {@code l} with the text after each change, local or from elsewhere. */
  public void addTextListener(SerializableConsumer<String> l) {
    textListeners.add(l);
  }

  /**
   * Inserts {@code markdown} on a line of its own where the cursor is (at the end if the editor was
   * never focused), as if typed: it goes the way of every keystroke. Nothing for a reader.
   */
  public void insert(String markdown) {
    if (!readOnly) {
      getElement().callJsFunction("insertBlock", markdown);
    }
  }

  /**
   * Where files pasted into the editor go: each is posted to {@code handler}, which stores it and
   * {@linkplain #insert inserts} its Markdown. Without one (and always for a reader) a paste of
   * files does nothing.
   */
  public void setPasteHandler(UploadHandler handler) {
    if (!readOnly) {
      getElement().setAttribute("paste-target", handler);
    }
  }

  /** Runs {@code then} once every keystroke typed so far is stored. */
  public void flush(Runnable then) {
    getElement().callJsFunction("flush").then(v -> then.run(), err -> then.run());
  }

  @Override
  protected void onAttach(AttachEvent event) {
    UI ui = event.getUI();
    engine = new CoeditEngine(store.wiki().liveEdits(), page);
    catchUpDue.set(false);
    start();
    listener =
        store
            .sync()
            .addListener(
                (doc, from) -> {
                  // One catch-up at a time is enough: it takes in every change made before it.
                  if (doc.id().equals(page.value()) && catchUpDue.compareAndSet(false, true)) {
                    long heard = System.nanoTime();
                    ui.access(() -> catchUp(heard));
                  }
                });
  }

  @Override
  protected void onDetach(DetachEvent event) {
    if (listener != null) {
      try {
        listener.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      listener = null;
    }
    engine = null;
  }

  /**
   * The browser's element says it is connected. It was sent the text when attached (once its module
   * is loaded); after that, nothing to do.
   */
  @ClientCallable
  void ready() {
    // the text went with the attach
  }

  /** Starts the browser's editor at the engine's text and version, once its element is defined. */
  private void start() {
    getElement()
        .executeJs(
            "customElements.whenDefined('dure-live-editor').then(() =>"
                + " this.start($0, $1, $2, $3, $4))",
            engine.text(),
            engine.version(),
            readOnly,
            getTranslation("coedit.editor.label"),
            readOnly ? "" : getTranslation("coedit.editor.placeholder"));
    textChanged();
  }

  /** The browser's updates made on {@code version} (see {@code dure-live-editor.js}). */
  @ClientCallable
  void push(int version, String json) {
    if (engine == null) {
      return;
    }
    if (readOnly) {
      // The browser does not let a reader type; whatever still comes is not stored.
      send(true);
      return;
    }
    long start = System.nanoTime();
    boolean taken;
    long stored;
    try {
      taken = engine.push(version, parse(json));
      stored = System.nanoTime();
    } catch (IllegalArgumentException e) {
      LOG.info("An editor's update of page {} was refused: {}", page, e.getMessage());
      Notices.notifyError(getTranslation("coedit.error.refused", e.getMessage()));
      engine.reopen();
      start();
      return;
    } catch (NoSuchElementException | DamagedDocumentException e) {
      Notices.notifyError(getTranslation("coedit.error.store", e.getMessage()));
      return;
    }
    if (!taken) {
      // what the browser moves its updates over (a change taken meanwhile is sent by catchUp,
      // which the store's listener queues for after this)
      catchUpQuietly();
    }
    send(true);
    textChanged();
    if (LOG.isDebugEnabled()) {
      LOG.debug(
          "coedit push to page {} on version {}: {} in {} us (stored in {} us)",
          page,
          version,
          taken ? "taken" : "refused",
          (System.nanoTime() - start) / 1_000,
          (stored - start) / 1_000);
    }
  }

  /** Sends what changed in the page since; {@code heard} is when the store told of a change. */
  private void catchUp(long heard) {
    if (engine == null) {
      return;
    }
    catchUpDue.set(false);
    long start = System.nanoTime();
    catchUpQuietly();
    send(false);
    textChanged();
    if (LOG.isDebugEnabled()) {
      LOG.debug(
          "coedit catch-up of page {}: waited {} us for the session, took {} us",
          page,
          (start - heard) / 1_000,
          (System.nanoTime() - start) / 1_000);
    }
  }

  private void catchUpQuietly() {
    try {
      if (!engine.catchUp()) {
        LOG.warn("Page {} no longer matched its open editor; starting it again", page);
        engine.reopen();
        start();
      }
    } catch (NoSuchElementException | StoreException e) {
      // gone, damaged, or the store is closing: the editor keeps what it shows
      LOG.info("Page {} cannot be read: {}", page, e.getMessage());
    }
  }

  private void send(boolean answer) {
    List<CoeditEngine.Update> updates = engine.takeUnsent();
    if (updates.isEmpty() && !answer) {
      return;
    }
    ObjectNode msg = JSON.createObjectNode();
    ArrayNode u = msg.putArray("u");
    for (CoeditEngine.Update up : updates) {
      ObjectNode o = u.addObject();
      o.put("c", up.clientId());
      o.put("l", up.length());
      ArrayNode s = o.putArray("s");
      for (CoeditEngine.Edit e : up.edits()) {
        s.addArray().add(e.from()).add(e.to()).add(e.insert());
      }
    }
    msg.put("a", answer);
    getElement().callJsFunction("receive", msg.toString());
  }

  private void textChanged() {
    String text = engine.text();
    for (SerializableConsumer<String> l : List.copyOf(textListeners)) {
      l.accept(text);
    }
  }

  /**
   * The updates of a push, checked: a list of at most {@link #MAX_PUSH} updates, each with a client
   * ID, the text's length and at most {@link #MAX_PUSH} edits {@code [from, to, insert]}.
   *
   * @throws IllegalArgumentException if it is not that
   */
  static List<CoeditEngine.Update> parse(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("Not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isArray() || root.size() > MAX_PUSH) {
      throw new IllegalArgumentException("Expected a list of at most " + MAX_PUSH + " updates");
    }
    List<CoeditEngine.Update> out = new ArrayList<>();
    for (JsonNode u : root) {
      JsonNode c = u.get("c");
      JsonNode l = u.get("l");
      JsonNode s = u.get("s");
      if (c == null
          || !c.isString()
          || c.asString().length() > 64
          || l == null
          || !l.canConvertToInt()
          || s == null
          || !s.isArray()
          || s.size() > MAX_PUSH) {
        throw new IllegalArgumentException("An update is not {c, l, s}");
      }
      List<CoeditEngine.Edit> edits = new ArrayList<>();
      for (JsonNode e : s) {
        if (!e.isArray()
            || e.size() != 3
            || !e.get(0).canConvertToInt()
            || !e.get(1).canConvertToInt()
            || !e.get(2).isString()) {
          throw new IllegalArgumentException("An edit is not [from, to, insert]");
        }
        edits.add(new CoeditEngine.Edit(e.get(0).asInt(), e.get(1).asInt(), e.get(2).asString()));
      }
      out.add(new CoeditEngine.Update(c.asString(), l.asInt(), edits));
    }
    return out;
  }
}

package org.dure.ui.wiki;

import com.vaadin.flow.component.Html;
import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.KeyModifier;
import com.vaadin.flow.component.Shortcuts;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.UIDetachedException;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.splitlayout.SplitLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.dure.moderation.SpaceModerator;
import org.dure.node.Attachments;
import org.dure.node.PeerNode;
import org.dure.store.WikiStore;
import org.dure.store.doc.DamagedDocumentException;
import org.dure.store.wiki.Page;
import org.dure.store.wiki.PageId;
import org.dure.ui.attach.AttachmentUpload;
import org.dure.ui.base.Links;
import org.dure.ui.base.Notices;
import org.dure.ui.coedit.LiveEditor;
import org.dure.ui.coedit.PresenceBar;
import org.dure.ui.render.MarkdownRenderer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Markdown editor with a live preview, shared live: a friend's edits appear as they type and
 * every keystroke is stored as it is typed ({@link LiveEditor}), merged with edits from elsewhere.
 * "Done" (or Ctrl+S) returns to the page once every keystroke is stored. Who else has the page open
 * shows above the editor. Images and files are attached by upload, drop or paste into the editor. A
 * reader sees the editor read-only. The preview follows the text a little behind ({@link
 * #PREVIEW_DELAY}), rendered off the session's lock: on every keystroke it would hold up the
 * keystroke's way to the store and a friend's edits on their way to the screen.
 */
@Route("page/:pageId/edit")
public class EditView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(EditView.class);

  /** How long the preview waits for more typing before it renders the text. */
  static final Duration PREVIEW_DELAY = Duration.ofMillis(300);

  private final transient WikiStore store;
  private final transient MarkdownRenderer renderer;
  private final transient SpaceModerator moderator;
  private final transient PeerNode node;
  private final transient Attachments attachments;
  private final Div editorSlot = new Div();
  private final Div preview = new Div();
  private final H2 heading = new H2();
  private final Span status = new Span();
  private final Div presenceSlot = new Div();
  private final Button save = new Button(getTranslation("coedit.done"));
  private PageId pageId;
  private Page base;
  private LiveEditor editor;
  private String title = getTranslation("core.title.page", getTranslation("core.edit.title"));
  // the text the preview is to show next (null once taken), whether a render is on its way, and
  // the number of the render shown last (a render never replaces a later one)
  private final AtomicReference<String> previewText = new AtomicReference<>();
  private final AtomicBoolean previewDue = new AtomicBoolean();
  private final AtomicLong previewRenders = new AtomicLong();
  private long previewShown;

  public EditView(
      WikiStore store, MarkdownRenderer renderer, PeerNode node, Attachments attachments) {
    this.store = store;
    this.renderer = renderer;
    this.node = node;
    this.attachments = attachments;
    this.moderator = node.moderator();
    setId("edit-view");
    setSizeFull();

    editorSlot.addClassName("dure-editor");
    editorSlot.setSizeFull();
    preview.setId("preview");
    preview.addClassName("dure-preview");
    SplitLayout split = new SplitLayout(editorSlot, preview);
    split.setSizeFull();
    split.setSplitterPosition(50);

    save.setId("save-page");
    save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    save.addClickListener(e -> save());
    status.setId("edit-status");
    status.addClassName("dure-muted");
    HorizontalLayout actions = new HorizontalLayout(save, status);
    actions.setWidthFull();
    actions.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);

    Shortcuts.addShortcutListener(this, this::save, Key.KEY_S, KeyModifier.CONTROL).listenOn(this);
    Shortcuts.addShortcutListener(this, this::save, Key.KEY_S, KeyModifier.META).listenOn(this);

    AttachmentUpload upload =
        new AttachmentUpload(
            attachments,
            () -> base.spaceId(),
            md -> {
              if (editor != null) {
                editor.insert(md);
              }
            });
    add(heading, presenceSlot, split, upload, actions);
    expand(split);
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    String raw = event.getRouteParameters().get("pageId").orElse("");
    Optional<PageId> id = Links.pageId(raw);
    try {
      pageId = id.orElseThrow();
      base = store.page(pageId);
    } catch (NoSuchElementException | DamagedDocumentException e) {
      removeAll();
      add(
          e instanceof DamagedDocumentException
              ? Notices.damaged()
              : Notices.problem(
                  getTranslation("core.page.missing.title"),
                  getTranslation("core.edit.missing", raw),
                  getTranslation("core.page.missing.todo")));
      return;
    }
    heading.setText(getTranslation("core.edit.heading", base.title()));
    title = getTranslation("core.title.page", getTranslation("core.edit.title.of", base.title()));
    boolean readOnly = !moderator.mayEditPages(base.spaceId());
    editor = new LiveEditor(store, pageId, readOnly);
    editor.setId("editor");
    editor.setSizeFull();
    editor.addTextListener(this::previewSoon);
    editor.setPasteHandler(
        AttachmentUpload.handler(attachments, () -> base.spaceId(), editor::insert));
    editorSlot.removeAll();
    editorSlot.add(editor);
    status.setText(getTranslation(readOnly ? "coedit.status.readonly" : "coedit.status.live"));
    presenceSlot.removeAll();
    presenceSlot.add(new PresenceBar(store, node.presence(), base.spaceId(), pageId));
    updatePreview(base.body());
  }

  private void updatePreview(String text) {
    if (base == null) {
      return;
    }
    showPreview(render(text), previewRenders.incrementAndGet());
  }

  private String render(String text) {
    Page draft = new Page(base.id(), base.spaceId(), base.title(), text, base.version());
    return PageView.renderPage(store, renderer, draft, false);
  }

  private void showPreview(String html, long render) {
    if (render < previewShown) {
      return;
    }
    previewShown = render;
    preview.removeAll();
    preview.add(new Html(html));
  }

  /**
   * Renders {@code text} into the preview after {@link #PREVIEW_DELAY} (with whatever text is
   * newest then), on a thread of its own; called under the session's lock.
   */
  private void previewSoon(String text) {
    UI ui = UI.getCurrent();
    if (base == null || ui == null) {
      return;
    }
    previewText.set(text);
    if (!previewDue.compareAndSet(false, true)) {
      return;
    }
    Thread.ofVirtual()
        .name("dure-preview")
        .start(
            () -> {
              try {
                Thread.sleep(PREVIEW_DELAY);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
              } finally {
                // cleared before the text is taken: a text set after this schedules another
                previewDue.set(false);
              }
              String newest = previewText.getAndSet(null);
              if (newest == null) {
                return;
              }
              long render = previewRenders.incrementAndGet();
              String html;
              try {
                html = render(newest);
              } catch (RuntimeException e) {
                // the store is closing or the page went away; the editor says what it can
                LOG.info("The preview of page {} was not rendered: {}", pageId, e.toString());
                return;
              }
              try {
                ui.access(() -> showPreview(html, render));
              } catch (UIDetachedException e) {
                // the editor was closed meanwhile
              }
            });
  }

  /** Returns to the page once every keystroke is stored. */
  void save() {
    if (editor == null) {
      return;
    }
    editor.flush(
        () -> {
          Notices.notifySuccess(getTranslation("core.edit.saved"));
          getUI().ifPresent(ui -> ui.navigate(Links.pageHref(pageId)));
        });
  }

  /** The live editor (for tests); null until a page is open. */
  LiveEditor editor() {
    return editor;
  }

  @Override
  public String getPageTitle() {
    return title;
  }
}

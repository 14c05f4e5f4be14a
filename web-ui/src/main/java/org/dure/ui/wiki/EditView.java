package org.dure.ui.wiki;

import com.vaadin.flow.component.Html;
import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.KeyModifier;
import com.vaadin.flow.component.Shortcuts;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.splitlayout.SplitLayout;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.dure.node.Attachments;
import org.dure.store.WikiStore;
import org.dure.store.doc.DamagedDocumentException;
import org.dure.store.wiki.Page;
import org.dure.store.wiki.PageId;
import org.dure.ui.attach.AttachmentUpload;
import org.dure.ui.base.Links;
import org.dure.ui.base.Notices;
import org.dure.ui.render.MarkdownRenderer;

/**
 * The Markdown editor with a live preview. Saving (button or Ctrl+S) stores only the differences
 * from the version the editor was opened at, so edits made meanwhile are merged, not overwritten.
 */
@Route("page/:pageId/edit")
public class EditView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {
  private static final long serialVersionUID = 1L;

  private final transient WikiStore store;
  private final transient MarkdownRenderer renderer;
  private final TextArea text = new TextArea();
  private final TextField message = new TextField();
  private final Div preview = new Div();
  private final H2 heading = new H2();
  private final Button save = new Button(getTranslation("core.edit.save"));
  private final Anchor cancel = new Anchor("", getTranslation("core.edit.cancel"));
  private PageId pageId;
  private Page base;
  private String title = getTranslation("core.title.page", getTranslation("core.edit.title"));

  public EditView(WikiStore store, MarkdownRenderer renderer, Attachments attachments) {
    this.store = store;
    this.renderer = renderer;
    setId("edit-view");
    setSizeFull();

    text.setId("editor");
    text.setAriaLabel(getTranslation("core.edit.text"));
    text.addClassName("dure-editor");
    text.setSizeFull();
    text.setValueChangeMode(ValueChangeMode.TIMEOUT);
    text.setValueChangeTimeout(250);
    text.addValueChangeListener(e -> updatePreview());

    preview.setId("preview");
    preview.addClassName("dure-preview");
    SplitLayout split = new SplitLayout(text, preview);
    split.setSizeFull();
    split.setSplitterPosition(50);

    message.setId("edit-message");
    message.setPlaceholder(getTranslation("core.edit.message.placeholder"));
    message.setAriaLabel(getTranslation("core.edit.message"));
    message.setMaxLength(500);
    message.setWidthFull();

    save.setId("save-page");
    save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    save.addClickListener(e -> save());
    Span hint = new Span(getTranslation("core.edit.hint"));
    hint.addClassName("dure-muted");
    cancel.setId("cancel-edit");
    HorizontalLayout actions = new HorizontalLayout(message, save, cancel, hint);
    actions.setWidthFull();
    actions.expand(message);
    actions.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);

    Shortcuts.addShortcutListener(this, this::save, Key.KEY_S, KeyModifier.CONTROL).listenOn(this);
    Shortcuts.addShortcutListener(this, this::save, Key.KEY_S, KeyModifier.META).listenOn(this);

    AttachmentUpload upload =
        new AttachmentUpload(
            attachments,
            () -> base.spaceId(),
            md -> {
              String t = text.getValue();
              text.setValue(t + (t.isEmpty() || t.endsWith("\n") ? "" : "\n") + md + "\n");
            });
    add(heading, split, upload, actions);
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
    text.setValue(base.body());
    cancel.setHref(Links.pageHref(pageId));
    updatePreview();
  }

  private void updatePreview() {
    if (base == null) {
      return;
    }
    Page draft = new Page(base.id(), base.spaceId(), base.title(), text.getValue(), base.version());
    preview.removeAll();
    preview.add(new Html(PageView.renderPage(store, renderer, draft, false)));
  }

  /** Saves the text; stays in the editor with an explanation if it cannot. */
  void save() {
    if (base == null) {
      return;
    }
    try {
      store.replaceText(pageId, base.version(), text.getValue(), Optional.of(message.getValue()));
    } catch (IllegalArgumentException e) {
      Notices.notifyError(getTranslation("core.edit.error.invalid", e.getMessage()));
      return;
    } catch (RuntimeException e) {
      Notices.notifyError(getTranslation("core.edit.error.store", e.getMessage()));
      return;
    }
    Notices.notifySuccess(getTranslation("core.edit.saved"));
    getUI().ifPresent(ui -> ui.navigate(Links.pageHref(pageId)));
  }

  /** The editor's text area (for tests). */
  TextArea editor() {
    return text;
  }

  @Override
  public String getPageTitle() {
    return title;
  }
}

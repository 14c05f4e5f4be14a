package org.dure.ui.wiki;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import java.util.List;
import org.dure.moderation.PageRules;
import org.dure.store.WikiStore;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.Space;
import org.dure.ui.base.Links;
import org.dure.ui.base.Notices;

/**
 * The page view's Rename, Move and Delete buttons (shown only to members who may use them, as
 * {@link PageRules} says): Rename and Move ask for the title or space in place of the buttons,
 * Delete asks there for confirmation.
 */
final class PageActions extends HorizontalLayout {
  private static final long serialVersionUID = 1L;

  private final transient WikiStore store;
  private final transient PageRules rules;
  private final PageSummary page;
  private final Runnable renamed;

  /**
   * @param renamed what to do after a rename (show the page again)
   */
  PageActions(WikiStore store, PageSummary page, Runnable renamed) {
    this.store = store;
    this.rules = new PageRules(store);
    this.page = page;
    this.renamed = renamed;
    setPadding(false);
    setSpacing(true);
    if (!rules.canChangePages(page.spaceId())) {
      setVisible(false);
      return;
    }
    Button rename = new Button(getTranslation("pages.rename"), VaadinIcon.PENCIL.create());
    rename.setId("rename-page");
    rename.addClickListener(e -> openRename());
    Button move = new Button(getTranslation("pages.move"), VaadinIcon.EXCHANGE.create());
    move.setId("move-page");
    move.addClickListener(e -> openMove());
    Button delete = new Button(getTranslation("pages.delete"), VaadinIcon.TRASH.create());
    delete.setId("delete-page");
    delete.addThemeVariants(ButtonVariant.LUMO_ERROR);
    delete.addClickListener(e -> confirmDelete());
    add(rename, move, delete);
  }

  // Rename, Move and Delete ask inline, in place of the buttons: the confirmation dialogs did not
  // open from this row in the committed frontend bundle (see the report of this change).

  /** Shows {@code form} in place of the buttons; Cancel brings them back. */
  private void ask(Component... form) {
    List<Component> buttons = getChildren().toList();
    removeAll();
    Button cancel = new Button(getTranslation("core.dialog.cancel"));
    cancel.setId("page-action-cancel");
    cancel.addClickListener(
        e -> {
          removeAll();
          buttons.forEach(this::add);
        });
    add(form);
    add(cancel);
  }

  private void openRename() {
    TextField title = new TextField();
    title.setId("rename-title");
    title.setAriaLabel(getTranslation("pages.rename.field"));
    title.setValue(page.title());
    title.setHelperText(getTranslation("pages.rename.help"));
    Button ok = new Button(getTranslation("pages.rename.confirm"));
    ok.setId("rename-confirm");
    ok.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    ok.addClickShortcut(Key.ENTER);
    ok.addClickListener(
        e -> {
          try {
            rules.rename(page.id(), title.getValue());
            Notices.notifySuccess(getTranslation("pages.renamed", title.getValue().strip()));
            renamed.run();
          } catch (RuntimeException ex) {
            title.setInvalid(true);
            title.setErrorMessage(ex.getMessage());
          }
        });
    ask(title, ok);
    title.focus();
  }

  private void openMove() {
    List<Space> targets = rules.moveTargets(page.id());
    if (targets.isEmpty()) {
      Notices.notifyError(getTranslation("pages.move.none"));
      return;
    }
    Select<Space> target = new Select<>();
    target.setId("move-target");
    target.setAriaLabel(getTranslation("pages.move.field"));
    target.setItems(targets);
    target.setItemLabelGenerator(Space::name);
    target.setValue(targets.get(0));
    target.setHelperText(getTranslation("pages.move.help", store.space(page.spaceId()).name()));
    Button ok = new Button(getTranslation("pages.move.confirm"));
    ok.setId("move-confirm");
    ok.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    ok.addClickListener(
        e -> {
          try {
            PageSummary moved = rules.move(page.id(), target.getValue().id());
            Notices.notifySuccess(getTranslation("pages.moved", target.getValue().name()));
            UI.getCurrent().navigate(Links.pageHref(moved.id()));
          } catch (RuntimeException ex) {
            Notices.notifyError(getTranslation("pages.error", ex.getMessage()));
          }
        });
    ask(target, ok);
  }

  private void confirmDelete() {
    Span question = new Span(getTranslation("pages.delete.header", page.title()));
    question.setId("delete-question");
    question.setTitle(getTranslation("pages.delete.text"));
    Span text = new Span(getTranslation("pages.delete.text"));
    text.addClassName("dure-muted");
    Button ok = new Button(getTranslation("pages.delete.confirm"), VaadinIcon.TRASH.create());
    ok.setId("delete-confirm");
    ok.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_PRIMARY);
    ok.addClickListener(
        e -> {
          try {
            rules.delete(page.id());
            Notices.notifySuccess(getTranslation("pages.deleted", page.title()));
            UI.getCurrent().navigate(Links.spaceHref(page.spaceId()));
          } catch (RuntimeException ex) {
            Notices.notifyError(getTranslation("pages.error", ex.getMessage()));
          }
        });
    ask(new Div(question, new Div(text)), ok);
  }
}

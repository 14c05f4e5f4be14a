package org.dure.ui.wiki;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
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
 * {@link PageRules} says), each with its dialog; Delete asks for confirmation.
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

  private void openRename() {
    Dialog dialog = new Dialog();
    dialog.setHeaderTitle(getTranslation("pages.rename.header"));
    TextField title = new TextField(getTranslation("pages.rename.field"));
    title.setId("rename-title");
    title.setValue(page.title());
    title.setWidthFull();
    title.setHelperText(getTranslation("pages.rename.help"));
    dialog.add(title);
    Button ok = new Button(getTranslation("pages.rename.confirm"));
    ok.setId("rename-confirm");
    ok.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    ok.addClickListener(
        e -> {
          try {
            rules.rename(page.id(), title.getValue());
            dialog.close();
            Notices.notifySuccess(getTranslation("pages.renamed", title.getValue().strip()));
            renamed.run();
          } catch (RuntimeException ex) {
            title.setInvalid(true);
            title.setErrorMessage(ex.getMessage());
          }
        });
    Button cancel = new Button(getTranslation("core.dialog.cancel"), e -> dialog.close());
    dialog.getFooter().add(cancel, ok);
    add(dialog);
    dialog.open();
    title.focus();
  }

  private void openMove() {
    List<Space> targets = rules.moveTargets(page.id());
    Dialog dialog = new Dialog();
    dialog.setHeaderTitle(getTranslation("pages.move.header"));
    Button cancel = new Button(getTranslation("core.dialog.cancel"), e -> dialog.close());
    if (targets.isEmpty()) {
      dialog.add(new Paragraph(getTranslation("pages.move.none")));
      dialog.getFooter().add(cancel);
      add(dialog);
      dialog.open();
      return;
    }
    Select<Space> target = new Select<>();
    target.setId("move-target");
    target.setLabel(getTranslation("pages.move.field"));
    target.setItems(targets);
    target.setItemLabelGenerator(Space::name);
    target.setValue(targets.get(0));
    target.setWidthFull();
    String from = store.space(page.spaceId()).name();
    dialog.add(target, new Paragraph(getTranslation("pages.move.help", from)));
    Button ok = new Button(getTranslation("pages.move.confirm"));
    ok.setId("move-confirm");
    ok.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    ok.addClickListener(
        e -> {
          try {
            PageSummary moved = rules.move(page.id(), target.getValue().id());
            dialog.close();
            Notices.notifySuccess(getTranslation("pages.moved", target.getValue().name()));
            UI.getCurrent().navigate(Links.pageHref(moved.id()));
          } catch (RuntimeException ex) {
            Notices.notifyError(getTranslation("pages.error", ex.getMessage()));
          }
        });
    dialog.getFooter().add(cancel, ok);
    add(dialog);
    dialog.open();
  }

  private void confirmDelete() {
    ConfirmDialog dialog = new ConfirmDialog();
    dialog.setId("delete-dialog");
    dialog.setHeader(getTranslation("pages.delete.header", page.title()));
    dialog.setText(getTranslation("pages.delete.text"));
    dialog.setCancelable(true);
    dialog.setCancelText(getTranslation("core.dialog.cancel"));
    dialog.setConfirmText(getTranslation("pages.delete.confirm"));
    dialog.setConfirmButtonTheme("error primary");
    dialog.addConfirmListener(
        e -> {
          try {
            rules.delete(page.id());
            Notices.notifySuccess(getTranslation("pages.deleted", page.title()));
            UI.getCurrent().navigate(Links.spaceHref(page.spaceId()));
          } catch (RuntimeException ex) {
            Notices.notifyError(getTranslation("pages.error", ex.getMessage()));
          }
        });
    dialog.open();
  }
}

package org.dure.ui.vault;

import com.vaadin.flow.component.details.Details;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.UnorderedList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dure.store.WikiStore;
import org.dure.store.vault.ImportReport;
import org.dure.store.wiki.SpaceId;
import org.dure.ui.base.Links;
import org.dure.ui.base.Notices;

/** What an import did: pages made (linked), files skipped or renamed, and what else to know. */
final class VaultReport extends Div {
  private static final long serialVersionUID = 1L;

  VaultReport() {
    setId("vault-report");
  }

  void clear() {
    removeAll();
  }

  void failed(String message) {
    removeAll();
    add(
        Notices.problem(
            getTranslation("vault.import.failedTitle"),
            message,
            getTranslation("vault.import.failedTodo")));
  }

  void show(ImportReport r, WikiStore store, SpaceId space) {
    removeAll();
    Paragraph summary =
        new Paragraph(
            getTranslation(
                "vault.report.summary",
                r.created().size(),
                r.skipped().size(),
                r.renamed().size()));
    summary.setId("vault-report-summary");
    add(summary);
    if (!r.created().isEmpty()) {
      UnorderedList list = new UnorderedList();
      for (ImportReport.Created c : r.created()) {
        ListItem item = new ListItem();
        store
            .findPage(space, c.title())
            .ifPresentOrElse(
                p -> item.add(new Anchor(Links.pageHref(p.id()), c.title())),
                () -> item.setText(c.title()));
        list.add(item);
      }
      section("vault.report.created", list, r.created().size() <= 20);
    }
    if (!r.skipped().isEmpty()) {
      section(
          "vault.report.skipped",
          items(r.skipped().stream().map(c -> c.path() + " (" + c.title() + ")").toList()),
          true);
    }
    if (!r.renamed().isEmpty()) {
      section(
          "vault.report.renamed",
          items(
              r.renamed().stream()
                  .map(c -> c.path() + ": " + c.title() + " → " + c.newTitle())
                  .toList()),
          true);
    }
    Map<ImportReport.Kind, List<String>> byKind = new LinkedHashMap<>();
    for (ImportReport.Note n : r.notes()) {
      byKind
          .computeIfAbsent(n.kind(), k -> new java.util.ArrayList<>())
          .add(n.path() + (n.detail().isEmpty() ? "" : ": " + n.detail()));
    }
    byKind.forEach(
        (kind, lines) -> section("vault.report.note." + kind.name(), items(lines), true));
    if (r.otherFiles() > 0) {
      add(new Paragraph(getTranslation("vault.report.otherFiles", r.otherFiles())));
    }
  }

  private void section(String key, com.vaadin.flow.component.Component content, boolean open) {
    Details d = new Details(getTranslation(key), content);
    d.setOpened(open);
    add(d);
  }

  private static UnorderedList items(List<String> lines) {
    UnorderedList list = new UnorderedList();
    lines.forEach(l -> list.add(new ListItem(l)));
    return list;
  }
}

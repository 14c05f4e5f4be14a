package org.dure.ui.wiki;

import com.vaadin.flow.component.html.Div;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.dure.moderation.Permissions;
import org.dure.store.WikiStore;
import org.dure.store.doc.DamagedDocumentException;
import org.dure.store.sync.DocumentRef;
import org.dure.store.wiki.Page;
import org.dure.store.wiki.SpaceId;
import org.dure.ui.base.Notices;
import org.dure.ui.render.TaskLists;
import tools.jackson.databind.JsonNode;

/**
 * Ticking a task's checkbox in a page's view: an ordinary edit of the page, signed and synced like
 * any other, that turns exactly that task's {@code [ ]} into {@code [x]} (or back) in the source.
 * Only a member who may edit the space's pages gets enabled checkboxes ({@link #mayTick}).
 */
final class TaskTicks {
  private TaskTicks() {}

  /** Whether this node's user may edit pages of {@code space} (and so tick their tasks). */
  static boolean mayTick(WikiStore store, SpaceId space) {
    try {
      return store
          .membership(space)
          .roleOf(store.identity().peerId())
          .map(r -> Permissions.mayWrite(r, DocumentRef.Kind.PAGE))
          .orElse(false);
    } catch (NoSuchElementException | DamagedDocumentException e) {
      return false;
    }
  }

  /**
   * Saves a tick in {@code body} (the rendered {@code page}) as an edit of {@code page}'s version;
   * runs {@code refresh} when the tick could not be saved, so the box shows the page as it is.
   */
  static void listen(Div body, WikiStore store, Page page, Runnable refresh) {
    body.getElement()
        .addEventListener(
            "change",
            e -> {
              JsonNode data = e.getEventData();
              int index = data.path("event.target.dataset.task").asInt(-1);
              boolean checked = data.path("event.target.checked").asBoolean(false);
              Optional<String> next = TaskLists.setChecked(page.body(), index, checked);
              if (next.isEmpty()) {
                Notices.notifyError(body.getTranslation("markdown.task.stale"));
                refresh.run();
                return;
              }
              try {
                store.replaceText(
                    page.id(),
                    page.version(),
                    next.get(),
                    Optional.of(
                        body.getTranslation(
                            checked ? "markdown.task.ticked" : "markdown.task.unticked")));
              } catch (RuntimeException ex) {
                Notices.notifyError(body.getTranslation("core.edit.error.store", ex.getMessage()));
                refresh.run();
              }
            })
        .setFilter("event.target.classList.contains('task-box')")
        .addEventData("event.target.dataset.task")
        .addEventData("event.target.checked");
  }
}

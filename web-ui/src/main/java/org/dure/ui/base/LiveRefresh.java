package org.dure.ui.base;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import java.util.function.Predicate;
import org.dure.store.WikiStore;
import org.dure.store.sync.DocumentRef;

/** Keeps a view up to date while it is shown, with server push. */
public final class LiveRefresh {
  private LiveRefresh() {}

  /**
   * While {@code view} is attached, runs {@code update} (with server push) after every change of a
   * document {@code which} accepts: a local save elsewhere or a change arriving by sync.
   */
  public static void onChange(
      Component view, WikiStore store, Predicate<DocumentRef> which, Runnable update) {
    AutoCloseable[] registration = new AutoCloseable[1];
    view.addAttachListener(
        e -> {
          UI ui = e.getUI();
          registration[0] =
              store
                  .sync()
                  .addListener(
                      (doc, from) -> {
                        if (which.test(doc)) {
                          ui.access(update::run);
                        }
                      });
        });
    view.addDetachListener(
        e -> {
          if (registration[0] != null) {
            try {
              registration[0].close();
            } catch (Exception ex) {
              throw new IllegalStateException(ex);
            }
            registration[0] = null;
          }
        });
  }
}

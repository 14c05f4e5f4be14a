package org.dure.ui.base;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import org.dure.ui.i18n.Texts;

/** How views tell the user what happened: problem panels in the page, and notifications. */
public final class Notices {
  private Notices() {}

  /** What a page for a space shows when the address names no space here. */
  public static Component noSuchSpace(String raw) {
    return problem(
        Texts.t("core.space.missing.title"),
        Texts.t("core.space.missing.text", raw),
        Texts.t("core.space.missing.todo"));
  }

  /** What a page shows for a page whose stored data is damaged (quarantined). */
  public static Component damaged() {
    return problem(
        Texts.t("core.damaged.title"), Texts.t("core.damaged.text"), Texts.t("core.damaged.todo"));
  }

  /** A panel that says what went wrong and what the user can do about it. */
  public static Component problem(String title, String whatHappened, String whatToDo) {
    Div box = new Div();
    box.addClassName("dure-problem");
    box.add(new H2(title), new Paragraph(whatHappened), new Paragraph(whatToDo));
    return box;
  }

  public static void notifyError(String message) {
    Notification n = Notification.show(message, 8000, Notification.Position.BOTTOM_START);
    n.addThemeVariants(NotificationVariant.LUMO_ERROR);
  }

  public static void notifySuccess(String message) {
    Notification n = Notification.show(message, 3000, Notification.Position.BOTTOM_START);
    n.addThemeVariants(NotificationVariant.LUMO_SUCCESS);
  }
}

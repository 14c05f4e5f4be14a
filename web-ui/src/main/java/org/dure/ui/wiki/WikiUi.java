package org.dure.ui.wiki;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.router.QueryParameters;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.dure.store.WikiStore;
import org.dure.store.doc.Author;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.Space;
import org.dure.store.wiki.SpaceId;
import org.dure.ui.i18n.Dates;
import org.dure.ui.i18n.Texts;

/** Small shared pieces of the wiki views: links, times, error panels. */
public final class WikiUi {
  private WikiUi() {}

  public static String pageHref(PageId id) {
    return "page/" + id.value();
  }

  public static String editHref(PageId id) {
    return "page/" + id.value() + "/edit";
  }

  public static String historyHref(PageId id) {
    return "page/" + id.value() + "/history";
  }

  public static String spaceHref(SpaceId id) {
    return "space/" + id.value();
  }

  public static String newPageHref(SpaceId space, String title) {
    return "new?space="
        + space.value()
        + "&title="
        + URLEncoder.encode(title, StandardCharsets.UTF_8).replace("+", "%20");
  }

  public static QueryParameters newPageQuery(SpaceId space, String title) {
    return QueryParameters.simple(Map.of("space", space.value(), "title", title));
  }

  /** Parses an id from a URL, empty if it is not one. */
  public static Optional<PageId> pageId(String raw) {
    try {
      return Optional.of(new PageId(raw));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  public static Optional<SpaceId> spaceId(String raw) {
    try {
      return Optional.of(new SpaceId(raw));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** "3 minutes ago" style text for recent times, a date for older ones. */
  public static String relative(Instant time, Instant now, Locale locale) {
    Duration d = Duration.between(time, now);
    if (d.isNegative() || d.toSeconds() < 45) {
      return Texts.t(locale, "core.time.now");
    }
    if (d.toMinutes() < 60) {
      return Texts.t(locale, "core.time.minutes", Math.max(1, d.toMinutes()));
    }
    if (d.toHours() < 24) {
      return Texts.t(locale, "core.time.hours", d.toHours());
    }
    return absolute(time, locale);
  }

  /** Date and time in the user's locale ({@link Dates#dateTime}). */
  public static String absolute(Instant time, Locale locale) {
    return Dates.dateTime(time, locale);
  }

  /** How an author is shown: "you" for this node's own identity, else a short peer ID. */
  public static String authorName(Optional<Author> author, Author me) {
    return author
        .map(a -> a.equals(me) ? Texts.t("core.author.you") : a.shortId())
        .orElseGet(() -> Texts.t("core.author.merged"));
  }

  /**
   * While {@code view} is attached, runs {@code update} (with server push) after every change of a
   * document {@code which} accepts: a local save elsewhere or a change arriving by sync.
   */
  public static void refreshOnChange(
      Component view,
      WikiStore store,
      java.util.function.Predicate<org.dure.store.sync.DocumentRef> which,
      Runnable update) {
    AutoCloseable[] registration = new AutoCloseable[1];
    view.addAttachListener(
        e -> {
          com.vaadin.flow.component.UI ui = e.getUI();
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

  /** The space with the id in the address {@code raw}, if it is one and exists here. */
  public static Optional<Space> findSpace(WikiStore store, String raw) {
    return spaceId(raw)
        .flatMap(
            id -> {
              try {
                return Optional.of(store.space(id));
              } catch (java.util.NoSuchElementException e) {
                return Optional.empty();
              }
            });
  }

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

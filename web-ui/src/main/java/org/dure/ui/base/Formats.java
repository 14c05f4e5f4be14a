package org.dure.ui.base;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.dure.store.doc.Author;
import org.dure.ui.i18n.Dates;
import org.dure.ui.i18n.Texts;

/** How times and authors are written in the views, in the user's language. */
public final class Formats {
  private Formats() {}

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
}

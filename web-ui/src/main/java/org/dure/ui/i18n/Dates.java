package org.dure.ui.i18n;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.page.ExtendedClientDetails;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Locale;

/**
 * Dates and times as the user reads them: in the UI's language ({@code 2026. 1. 5. 오후 3:04:05} in
 * Korean, {@code Jan 5, 2026, 3:04:05 PM} in English) and the browser's time zone when the browser
 * has told it, else this computer's (Dure's server runs on the user's own computer).
 */
public final class Dates {
  private Dates() {}

  /** Date and time, medium length, e.g. {@code Jan 5, 2026, 3:04:05 PM}. */
  public static String dateTime(Instant time, Locale locale) {
    return DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM)
        .withLocale(DureI18N.supported(locale))
        .withZone(zone())
        .format(time);
  }

  /** The date only, medium length, e.g. {@code Jan 5, 2026}. */
  public static String date(Instant time, Locale locale) {
    return DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM)
        .withLocale(DureI18N.supported(locale))
        .withZone(zone())
        .format(time);
  }

  /** The browser's time zone if the current UI knows it, else the system's. */
  public static ZoneId zone() {
    UI ui = UI.getCurrent();
    if (ui != null) {
      ExtendedClientDetails details = ui.getPage().getExtendedClientDetails();
      String id = details == null ? null : details.getTimeZoneId();
      if (id != null && !id.isBlank()) {
        try {
          return ZoneId.of(id);
        } catch (DateTimeException e) {
          // an unknown zone name from the browser: use the system's
        }
      }
    }
    return ZoneId.systemDefault();
  }
}

package org.dure.ui.i18n;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Dates read the way the user's language writes them (outside a UI: this computer's zone). */
class DatesTest {
  private static final Instant NOON_UTC = Instant.parse("2026-03-05T12:34:56Z");

  @Test
  void koreanAndEnglishDatesAreWrittenTheirOwnWay() {
    ZonedDateTime local = NOON_UTC.atZone(ZoneId.systemDefault());
    String ko = Dates.dateTime(NOON_UTC, Locale.KOREAN);
    String en = Dates.dateTime(NOON_UTC, Locale.ENGLISH);
    assertTrue(ko.startsWith(local.getYear() + ". " + local.getMonthValue() + ". "), ko);
    assertTrue(ko.contains("오전") || ko.contains("오후"), ko);
    assertTrue(en.contains("Mar") && en.contains(", " + local.getYear()), en);
    assertEquals(
        local.getYear() + ". " + local.getMonthValue() + ". " + local.getDayOfMonth() + ".",
        Dates.date(NOON_UTC, Locale.KOREAN));
    assertTrue(Dates.date(NOON_UTC, Locale.ENGLISH).startsWith("Mar " + local.getDayOfMonth()));
  }

  @Test
  void anUnsupportedLocaleGetsEnglishDates() {
    assertEquals(Dates.date(NOON_UTC, Locale.ENGLISH), Dates.date(NOON_UTC, Locale.GERMAN));
  }

  @Test
  void outsideAUiTheSystemZoneIsUsed() {
    assertEquals(ZoneId.systemDefault(), Dates.zone());
  }
}

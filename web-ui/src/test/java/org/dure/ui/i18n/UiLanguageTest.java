package org.dure.ui.i18n;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which language a browser gets (the browser test shows it end to end). */
class UiLanguageTest {

  @Test
  void koreanBrowsersGetKoreanAndOthersEnglish() {
    assertEquals(Locale.KOREAN, UiLanguage.resolve(Optional.empty(), Optional.of(Locale.KOREA)));
    assertEquals(
        Locale.KOREAN,
        UiLanguage.resolve(Optional.empty(), Optional.of(Locale.forLanguageTag("ko"))));
    assertEquals(Locale.ENGLISH, UiLanguage.resolve(Optional.empty(), Optional.of(Locale.US)));
    assertEquals(Locale.ENGLISH, UiLanguage.resolve(Optional.empty(), Optional.of(Locale.GERMAN)));
    assertEquals(Locale.ENGLISH, UiLanguage.resolve(Optional.empty(), Optional.empty()));
  }

  @Test
  void theChosenLanguageWinsOverTheBrowsers() {
    assertEquals(Locale.ENGLISH, UiLanguage.resolve(Optional.of("en"), Optional.of(Locale.KOREA)));
    assertEquals(Locale.KOREAN, UiLanguage.resolve(Optional.of("ko"), Optional.of(Locale.US)));
    assertEquals(Locale.KOREAN, UiLanguage.resolve(Optional.of("ko-KR"), Optional.empty()));
  }

  @Test
  void aBadOrUnsupportedCookieIsIgnored() {
    assertEquals(Locale.KOREAN, UiLanguage.resolve(Optional.of("fr"), Optional.of(Locale.KOREA)));
    assertEquals(Locale.KOREAN, UiLanguage.resolve(Optional.of(""), Optional.of(Locale.KOREA)));
    assertEquals(
        Locale.ENGLISH, UiLanguage.resolve(Optional.of("x".repeat(5000)), Optional.of(Locale.US)));
    assertEquals(Optional.empty(), UiLanguage.parse("%%%"));
  }
}

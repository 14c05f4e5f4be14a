package org.dure.ui.i18n;

import com.vaadin.flow.component.UI;
import java.util.Locale;

/**
 * Translations for code that has no component at hand (static helpers, grid value providers): the
 * same texts {@code getTranslation} gives, from {@link DureI18N}.
 */
public final class Texts {
  private static final DureI18N PROVIDER = new DureI18N();

  private Texts() {}

  /** The text of {@code key} in the current UI's language (English outside a UI). */
  public static String t(String key, Object... params) {
    return t(locale(), key, params);
  }

  /** The text of {@code key} in {@code locale}'s language. */
  public static String t(Locale locale, String key, Object... params) {
    return PROVIDER.getTranslation(key, locale, params);
  }

  /** The current UI's locale, English outside a UI. */
  public static Locale locale() {
    UI ui = UI.getCurrent();
    return DureI18N.supported(ui == null ? null : ui.getLocale());
  }
}

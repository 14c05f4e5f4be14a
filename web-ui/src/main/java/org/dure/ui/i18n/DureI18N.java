package org.dure.ui.i18n;

import com.vaadin.flow.i18n.I18NProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Every string the UI shows, in English and Korean.
 *
 * <p>The texts live in several files under {@code src/main/resources/i18n/} ({@link #BUNDLES}: one
 * per area of the app, so areas can be worked on apart): {@code NAME.properties} in English and
 * {@code NAME_ko.properties} in Korean, both UTF-8. A key is looked up in every bundle of the
 * language. Values are {@link MessageFormat} patterns when parameters are given (so a literal
 * apostrophe is written {@code ''} in those).
 *
 * <p>A key missing in Korean falls back to English, a key missing everywhere shows as {@code
 * !key!}; both are logged. {@code I18nBundlesTest} fails on either, and on a key defined twice.
 */
@Component
public class DureI18N implements I18NProvider {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(DureI18N.class);

  /** The bundles, by base name under {@code i18n/}. */
  public static final List<String> BUNDLES =
      List.of("core", "social", "feed", "moderation", "vault", "attachments", "markdown", "pages");

  /** The languages the UI is complete in; the first is the fallback. */
  public static final List<Locale> LOCALES = List.of(Locale.ENGLISH, Locale.KOREAN);

  private static final Map<Locale, Map<String, String>> TEXTS = new ConcurrentHashMap<>();

  @Override
  public List<Locale> getProvidedLocales() {
    return LOCALES;
  }

  @Override
  public String getTranslation(String key, Locale locale, Object... params) {
    Locale lang = supported(locale);
    String pattern = texts(lang).get(key);
    if (pattern == null) {
      pattern = texts(LOCALES.get(0)).get(key);
      if (pattern == null) {
        LOG.warn("No text for the key {}", key);
        return "!" + key + "!";
      }
      LOG.warn("No {} text for the key {}", lang, key);
    }
    if (params == null || params.length == 0) {
      return pattern;
    }
    return new MessageFormat(pattern, lang).format(params);
  }

  /** The supported locale closest to {@code locale}: the same language, else English. */
  public static Locale supported(Locale locale) {
    if (locale != null) {
      for (Locale l : LOCALES) {
        if (l.getLanguage().equals(locale.getLanguage())) {
          return l;
        }
      }
    }
    return LOCALES.get(0);
  }

  /** Every key of every bundle of the language, with its text. */
  public static Map<String, String> texts(Locale locale) {
    return TEXTS.computeIfAbsent(supported(locale), DureI18N::load);
  }

  /** The keys and texts of one bundle file ({@code i18n/NAME[_ko].properties}); empty if absent. */
  public static Map<String, String> bundle(String name, Locale locale) {
    String suffix = locale.equals(LOCALES.get(0)) ? "" : "_" + locale.getLanguage();
    String resource = "i18n/" + name + suffix + ".properties";
    Properties p = new Properties();
    try (InputStream in = DureI18N.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        return Map.of();
      }
      p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + resource, e);
    }
    Map<String, String> out = new HashMap<>();
    p.forEach((k, v) -> out.put((String) k, (String) v));
    return out;
  }

  private static Map<String, String> load(Locale locale) {
    Map<String, String> out = new HashMap<>();
    for (String name : BUNDLES) {
      out.putAll(bundle(name, locale));
    }
    return Map.copyOf(out);
  }
}

package org.dure.ui.i18n;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.dure.store.wiki.Role;
import org.junit.jupiter.api.Test;

/**
 * The text bundles ({@link DureI18N#BUNDLES}) are complete and consistent, and every key the code
 * names exists: a missing or untranslated key fails here rather than showing as {@code !key!}. The
 * checks are plain functions that return the problems they find; the last tests feed them broken
 * input, to show they do find them.
 */
class I18nBundlesTest {
  private static final Locale EN = DureI18N.LOCALES.get(0);

  @Test
  void everyBundleIsCompleteInEveryLanguageAndConsistent() {
    List<String> problems = new ArrayList<>();
    for (Locale l : DureI18N.LOCALES) {
      problems.addAll(check(bundles(EN), bundles(l), l));
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void everyKeyNamedInTheCodeExists() throws IOException {
    Set<String> known = DureI18N.texts(EN).keySet();
    List<String> missing = new ArrayList<>();
    Path sources = Path.of(System.getProperty("basedir", "."), "src", "main", "java");
    try (Stream<Path> files = Files.walk(sources)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        for (String key : missingKeys(Files.readString(f), known)) {
          missing.add(sources.relativize(f) + ": " + key);
        }
      }
    }
    assertEquals(List.of(), missing);
    assertTrue(
        keysIn(Files.readString(sources.resolve("org/dure/ui/MainLayout.java"))).size() > 3,
        "the scan finds the keys MainLayout uses");
  }

  @Test
  void everyRoleHasANameInEveryLanguage() {
    for (Locale l : DureI18N.LOCALES) {
      for (Role r : Role.values()) {
        assertTrue(DureI18N.texts(l).containsKey("core.role." + r.key()), r + " in " + l);
      }
    }
  }

  @Test
  void koreanIsMatchedByLanguageAndAnythingElseGetsEnglish() {
    assertEquals(Locale.KOREAN, DureI18N.supported(Locale.forLanguageTag("ko-KR")));
    assertEquals(Locale.KOREAN, DureI18N.supported(Locale.KOREAN));
    assertEquals(Locale.ENGLISH, DureI18N.supported(Locale.forLanguageTag("en-GB")));
    assertEquals(Locale.ENGLISH, DureI18N.supported(Locale.FRENCH));
    assertEquals(Locale.ENGLISH, DureI18N.supported(null));
  }

  // --- the checks catch what they are for ---

  @Test
  void theScanReportsAKeyThatNoBundleHas() {
    String source =
        "add(new H2(getTranslation(\"core.page.edit\")));\n"
            + "x = Texts.t(locale, \"core.no.such.key\", n);\n"
            + "y = Texts.t(\"feed.also.missing\");\n"
            + "z = Texts.t(\"core.role.\" + r.key());";
    assertEquals(
        List.of("core.no.such.key", "feed.also.missing"),
        missingKeys(source, DureI18N.texts(EN).keySet()));
  }

  @Test
  void theChecksReportMissingEmptyMisplacedDuplicatedAndMismatchedTexts() {
    Map<String, Map<String, String>> en =
        Map.of(
            "core",
            Map.of(
                "core.a", "A",
                "core.b", "B {0}",
                "core.c", "it''s {0}",
                "core.d", "D",
                "feed.wrong", "prefix"),
            "feed",
            Map.of("core.a", "twice"));
    Map<String, Map<String, String>> ko =
        Map.of(
            "core",
            Map.of(
                "core.a", " ",
                "core.b", "비 {1}",
                "core.c", "it's {0}",
                "core.x", "only here",
                "feed.wrong", "접두어"),
            "feed",
            Map.of("core.a", "두 번"));
    String all = String.join("\n", check(en, ko, Locale.KOREAN));
    assertTrue(all.contains("core.d missing in ko"), all);
    assertTrue(all.contains("core.x only in ko"), all);
    assertTrue(all.contains("core.a is empty"), all);
    assertTrue(all.contains("core.b uses arguments [1] in ko but [0] in en"), all);
    assertTrue(all.contains("core.c has a single apostrophe"), all);
    assertTrue(all.contains("feed.wrong does not start with core."), all);
    assertTrue(all.contains("core.a is defined in core and feed"), all);
    assertTrue(check(en, en, EN).stream().noneMatch(p -> p.contains("missing")));
  }

  @Test
  void aPatternThatDoesNotParseIsReported() {
    Map<String, Map<String, String>> broken =
        Map.of("core", Map.of("core.p", "broken {0,number,#"));
    String all = String.join("\n", check(broken, broken, EN));
    assertTrue(all.contains("core.p does not parse"), all);
  }

  // --- the checks ---

  /** Each bundle's texts in {@code locale}, by bundle name. */
  static Map<String, Map<String, String>> bundles(Locale locale) {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    for (String b : DureI18N.BUNDLES) {
      out.put(b, DureI18N.bundle(b, locale));
    }
    return out;
  }

  /** What is wrong with the bundles {@code other} (in {@code lang}) measured against English. */
  static List<String> check(
      Map<String, Map<String, String>> english,
      Map<String, Map<String, String>> other,
      Locale lang) {
    List<String> problems = new ArrayList<>();
    Map<String, String> definedIn = new HashMap<>();
    for (String bundle : new TreeSet<>(english.keySet())) {
      Map<String, String> en = english.get(bundle);
      Map<String, String> tr = other.getOrDefault(bundle, Map.of());
      for (String key : new TreeSet<>(en.keySet())) {
        if (!tr.containsKey(key)) {
          problems.add(bundle + ": " + key + " missing in " + lang);
        }
      }
      for (String key : new TreeSet<>(tr.keySet())) {
        if (!en.containsKey(key)) {
          problems.add(bundle + ": " + key + " only in " + lang);
        }
      }
      for (Map<String, String> texts : List.of(en, tr)) {
        for (String key : new TreeSet<>(texts.keySet())) {
          String value = texts.get(key);
          if (!key.startsWith(bundle + ".")) {
            problems.add(bundle + ": " + key + " does not start with " + bundle + ".");
          }
          if (value.isBlank()) {
            problems.add(bundle + ": " + key + " is empty");
          }
          if (value.indexOf('\uFFFD') >= 0) {
            problems.add(bundle + ": " + key + " is not valid UTF-8");
          }
          problems.addAll(patternProblems(bundle, key, value));
        }
      }
      for (String key : new TreeSet<>(tr.keySet())) {
        String previous = definedIn.putIfAbsent(key, bundle);
        if (previous != null) {
          problems.add(key + " is defined in " + previous + " and " + bundle);
        }
        if (en.containsKey(key)) {
          Set<Integer> a = arguments(en.get(key));
          Set<Integer> b = arguments(tr.get(key));
          if (!a.equals(b)) {
            problems.add(
                bundle
                    + ": "
                    + key
                    + " uses arguments "
                    + b
                    + " in "
                    + lang
                    + " but "
                    + a
                    + " in "
                    + EN);
          }
        }
      }
    }
    return problems.stream().distinct().toList();
  }

  private static List<String> patternProblems(String bundle, String key, String value) {
    List<String> problems = new ArrayList<>();
    if (arguments(value).isEmpty()) {
      // shown as it is: a doubled apostrophe would show twice
      if (value.contains("''")) {
        problems.add(bundle + ": " + key + " has '' but no arguments (write ' there)");
      }
      return problems;
    }
    try {
      new MessageFormat(value, Locale.ROOT);
    } catch (IllegalArgumentException e) {
      problems.add(bundle + ": " + key + " does not parse: " + e.getMessage());
    }
    // MessageFormat would drop a single apostrophe (it starts a quote); we do not quote.
    if (value.replace("''", "").indexOf('\'') >= 0) {
      problems.add(bundle + ": " + key + " has a single apostrophe (write '' in a pattern)");
    }
    return problems;
  }

  private static final Pattern ARGUMENT = Pattern.compile("\\{\\s*(\\d+)\\s*[,}]");

  /** The argument indices a pattern uses, nested choice patterns included. */
  static Set<Integer> arguments(String pattern) {
    Set<Integer> out = new TreeSet<>();
    Matcher m = ARGUMENT.matcher(pattern);
    while (m.find()) {
      out.add(Integer.parseInt(m.group(1)));
    }
    return out;
  }

  /**
   * Every string literal in {@code source} that looks like a key of one of the bundles ({@code
   * "core.page.edit"}): whatever method it is passed to. A literal ending in a dot is a prefix that
   * the code completes, not a key.
   */
  static List<String> keysIn(String source) {
    String bundles = DureI18N.BUNDLES.stream().map(Pattern::quote).collect(Collectors.joining("|"));
    Matcher m =
        Pattern.compile("\"((?:" + bundles + ")\\.[A-Za-z0-9_.-]*[A-Za-z0-9_-])\"").matcher(source);
    List<String> out = new ArrayList<>();
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /** The keys {@code source} names that are not in {@code known}, in order, each once. */
  static List<String> missingKeys(String source, Set<String> known) {
    return keysIn(source).stream().filter(k -> !known.contains(k)).distinct().toList();
  }
}

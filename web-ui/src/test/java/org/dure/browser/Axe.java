package org.dure.browser;

import com.microsoft.playwright.Page;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * axe-core (the pinned npm package in {@code web-ui/src/test/js}, installed by {@code
 * .ci/install-axe.sh}) run inside a page: the accessibility rules of WCAG 2.x A/AA and axe's best
 * practices, through the page's open shadow roots (Vaadin's components).
 */
final class Axe {
  private static String source;

  private Axe() {}

  /** {@code <module>/src/test/js/node_modules/axe-core/axe.min.js}. */
  static Path script() {
    return Path.of(
        System.getProperty("basedir", "."), "src/test/js/node_modules/axe-core/axe.min.js");
  }

  private static synchronized String source() {
    if (source == null) {
      Path p = script();
      if (!Files.isRegularFile(p)) {
        throw new IllegalStateException(p + " is missing: run .ci/install-axe.sh (npm ci there)");
      }
      try {
        source = Files.readString(p);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return source;
  }

  /**
   * The serious and critical violations on the page as it is now, one line each (rule, help, the
   * first elements and what fails there); empty when there are none.
   */
  @SuppressWarnings("unchecked")
  static List<String> seriousViolations(Page page) {
    if (!(Boolean) page.evaluate("() => typeof window.axe !== 'undefined'")) {
      page.addScriptTag(new Page.AddScriptTagOptions().setContent(source()));
    }
    return (List<String>)
        page.evaluate(
            "async () => {"
                + " const r = await axe.run(document, {resultTypes: ['violations']});"
                + " return r.violations"
                + "  .filter(v => v.impact === 'serious' || v.impact === 'critical')"
                + "  .map(v => v.impact + ' ' + v.id + ': ' + v.help + ' @ ' + v.nodes.slice(0, 4)"
                + "   .map(n => JSON.stringify(n.target) + ' ['"
                + "     + (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 240) + ']')"
                + "   .join(' | '));"
                + "}");
  }
}

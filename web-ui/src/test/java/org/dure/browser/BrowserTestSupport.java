package org.dure.browser;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.TimeoutError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.dure.app.DureApplication;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit extension behind {@link BrowserTest}: starts the real application once per test JVM (in
 * process, {@link DureApplication#start} on a free port with a temporary data directory, in Vaadin
 * production mode with the committed bundle) and Debian's Chromium through Playwright, and gives
 * each test a fresh {@link Page}.
 *
 * <p>Nothing is downloaded: Playwright's driver ships in its jar, browsers are never installed
 * ({@code PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1}), and Chromium is {@code /usr/bin/chromium} (override
 * with {@code -Ddure.chromium=PATH}; install with {@code .ci/install-chromium.sh}). Without
 * Chromium the tests are skipped, except under CI ({@code CI} set), where they fail.
 *
 * <p>After every test a full-page screenshot goes to {@code web-ui/target/screenshots/
 * <TestClass>.<method>.png}; {@link Dure#screenshot(String)} saves more.
 */
public final class BrowserTestSupport
    implements BeforeAllCallback, AfterEachCallback, ParameterResolver {

  /** Chromium flags for this closed network; see the machine notes. */
  static final List<String> CHROMIUM_ARGS =
      List.of(
          "--no-sandbox",
          "--disable-gpu",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--no-first-run",
          // Tests drive two pages at once: neither may be throttled or left unpainted as a
          // background page (its screenshot would wait for a frame until the timeout).
          "--disable-renderer-backgrounding",
          "--disable-background-timer-throttling",
          "--disable-backgrounding-occluded-windows");

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(BrowserTestSupport.class);

  /** What a browser test can use besides its page. */
  public static final class Dure {
    private final Shared shared;
    private final String testName;
    private Page page;
    private final List<BrowserContext> windows = new ArrayList<>();

    private Dure(Shared shared, String testName) {
      this.shared = shared;
      this.testName = testName;
    }

    /** The base URL of the running app, ending in a slash. */
    public String baseUrl() {
      return shared.app.url();
    }

    /** The URL of {@code path} (no leading slash needed) on the running app. */
    public String url(String path) {
      return baseUrl() + (path.startsWith("/") ? path.substring(1) : path);
    }

    /** The running app's data directory (shared by all browser tests of this JVM). */
    public Path dataDir() {
      return shared.app.dataDir();
    }

    /** The running application (its Spring context, port, data directory). */
    public DureApplication.Running app() {
      return shared.app;
    }

    /**
     * A page in a browser context of its own, as a second person's browser: its own window, so it
     * is never a background tab of the test's page (a background tab in headless Chromium may paint
     * no frame, and a screenshot of it waits until the timeout). Closed after the test.
     */
    public Page secondWindow() {
      BrowserContext window =
          shared.browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800));
      windows.add(window);
      Page second = window.newPage();
      second.setDefaultTimeout(15_000);
      return second;
    }

    /** Saves a full-page screenshot of the test's page as {@code <test>.<name>.png}. */
    public Path screenshot(String name) {
      if (page == null) {
        throw new IllegalStateException("the test has no Page parameter");
      }
      return BrowserTestSupport.screenshot(page, testName + "." + name);
    }
  }

  /** The app, Playwright and the browser, started once and closed when the test JVM's run ends. */
  private static final class Shared implements AutoCloseable {
    final DureApplication.Running app;
    final Playwright playwright;
    final Browser browser;
    final Path dataDir;

    Shared(Path chromium) throws IOException {
      dataDir = Files.createTempDirectory("dure-browser-test");
      app = DureApplication.start(dataDir, 0);
      Playwright pw = null;
      try {
        pw =
            Playwright.create(
                new Playwright.CreateOptions()
                    .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser =
            pw.chromium()
                .launch(
                    new BrowserType.LaunchOptions()
                        .setExecutablePath(chromium)
                        .setHeadless(true)
                        .setArgs(CHROMIUM_ARGS));
        playwright = pw;
      } catch (RuntimeException e) {
        if (pw != null) {
          pw.close();
        }
        app.close();
        throw e;
      }
    }

    @Override
    public void close() {
      try {
        browser.close();
        playwright.close();
      } finally {
        app.close();
        deleteTree(dataDir);
      }
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    // Assertions wait as long as actions do: on a loaded 2-core machine a view (the component
    // catalog, a page after a reload) can take more than Playwright's default 5 s to appear.
    com.microsoft.playwright.assertions.PlaywrightAssertions.setDefaultAssertionTimeout(15_000);
    shared(context);
  }

  private static Shared shared(ExtensionContext context) {
    Path chromium = Path.of(System.getProperty("dure.chromium", "/usr/bin/chromium"));
    if (!Files.isExecutable(chromium)) {
      String message = chromium + " is missing: run .ci/install-chromium.sh";
      if (System.getenv("CI") != null) {
        throw new IllegalStateException(message);
      }
      Assumptions.abort(message);
    }
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .computeIfAbsent(
            Shared.class,
            key -> {
              try {
                return new Shared(chromium);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            },
            Shared.class);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == Page.class || type == Dure.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    ExtensionContext.Store store = context.getStore(NAMESPACE);
    Dure dure =
        store.computeIfAbsent(
            Dure.class, key -> new Dure(shared(context), testName(context)), Dure.class);
    if (parameter.getParameter().getType() == Dure.class) {
      return dure;
    }
    if (dure.page == null) {
      Browser.NewContextOptions options =
          new Browser.NewContextOptions().setViewportSize(1280, 800);
      // The browser's language (Accept-Language, navigator.language): @BrowserLocale, else en-US.
      options.setLocale(
          context
              .getTestMethod()
              .map(m -> m.getAnnotation(BrowserLocale.class))
              .map(BrowserLocale::value)
              .orElse("en-US"));
      BrowserContext browserContext = shared(context).browser.newContext(options);
      store.put(BrowserContext.class, browserContext);
      dure.page = browserContext.newPage();
      dure.page.setDefaultTimeout(15_000);
    }
    return dure.page;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    ExtensionContext.Store store = context.getStore(NAMESPACE);
    Dure dure = store.get(Dure.class, Dure.class);
    BrowserContext browserContext = store.remove(BrowserContext.class, BrowserContext.class);
    try {
      if (dure != null && dure.page != null && !dure.page.isClosed()) {
        screenshot(dure.page, testName(context));
      }
    } finally {
      if (dure != null) {
        dure.windows.forEach(BrowserContext::close);
        dure.windows.clear();
      }
      if (browserContext != null) {
        browserContext.close();
      }
    }
  }

  /** Where screenshots go: {@code <module>/target/screenshots}. */
  public static Path screenshotDir() {
    return Path.of(System.getProperty("basedir", "."), "target", "screenshots");
  }

  static Path screenshot(Page page, String name) {
    Path file = screenshotDir().resolve(name.replaceAll("[^A-Za-z0-9._-]", "_") + ".png");
    try {
      Files.createDirectories(file.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // A tab in the background renders no frames in headless Chromium, so its screenshot would wait
    // for one until the timeout: bring the page to the front first.
    // Even then the first frame after bringing it forward can be missed under load: one retry.
    Page.ScreenshotOptions options =
        new Page.ScreenshotOptions().setPath(file).setFullPage(true).setTimeout(30_000);
    page.bringToFront();
    try {
      page.screenshot(options);
    } catch (TimeoutError e) {
      page.bringToFront();
      page.screenshot(options);
    }
    return file;
  }

  private static String testName(ExtensionContext context) {
    String method = context.getTestMethod().map(m -> m.getName()).orElse("all");
    return context.getRequiredTestClass().getSimpleName() + "." + method;
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  // best effort: a temp directory
                }
              });
    } catch (IOException e) {
      // best effort
    }
  }
}

package org.dure.ui;

import com.vaadin.browserless.BrowserlessTest;
import com.vaadin.browserless.ViewPackages;
import com.vaadin.browserless.internal.ShortcutsKt;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.KeyModifier;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.router.QueryParameters;
import com.vaadin.flow.server.VaadinSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.dure.identity.Identity;
import org.dure.node.DureNode;
import org.dure.node.PeerNode;
import org.dure.store.StoreOptions;
import org.dure.store.WikiStore;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.Space;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the fast view tests: a mocked Vaadin (no browser, no server, no Spring) whose views get a
 * fresh in-memory {@link WikiStore} per test. Its clock moves one second per reading, so "most
 * recently changed" is well defined however fast a test runs.
 */
@ViewPackages(packages = "org.dure.ui")
public abstract class ViewTestSupport extends BrowserlessTest {
  private static volatile WikiStore current;

  protected WikiStore store;
  protected Space space;

  /**
   * Opens the store when the test instance is made, before the inherited {@code @BeforeEach} that
   * starts the mocked Vaadin asks {@link WikiStoreInstantiatorFactory} for an instantiator.
   */
  protected ViewTestSupport() {
    store =
        WikiStore.inMemory(
            Identity.ephemeral(),
            StoreOptions.defaults()
                .withClock(new SteppingClock(Instant.parse("2026-01-01T00:00:00Z"))));
    current = store;
    space = store.defaultSpace();
  }

  /** Stores replaced by {@link #useStore}: the layout Vaadin keeps may still hold one. */
  private final List<WikiStore> replaced = new ArrayList<>();

  /**
   * The mocked browser asks for English, as the app gives a browser without {@code Accept-Language}
   * (the test JVM's default locale is Korean, see the parent POM); a test may switch to another
   * language with {@link #useLanguage}.
   */
  @BeforeEach
  void englishBrowser() {
    useLanguage(Locale.ENGLISH);
  }

  /** Shows the UI in {@code locale}'s language: the current page and layout are built again. */
  protected static void useLanguage(Locale locale) {
    VaadinSession.getCurrent().setLocale(locale);
    UI.getCurrent().refreshCurrentRoute(true);
  }

  @AfterEach
  void closeStore() {
    closeNode(); // first: stopping a node flushes its traffic ledger into the store
    current = null;
    store.close();
    replaced.forEach(WikiStore::close);
  }

  /**
   * Makes the views use {@code other} (for example one opened from a directory); the old one is
   * closed after the test (the layout Vaadin keeps across navigations may still read from it).
   */
  protected void useStore(WikiStore other) {
    replaced.add(store);
    store = other;
    current = other;
    space = other.defaultSpace();
  }

  @Override
  protected Set<Class<?>> lookupServices() {
    return Set.of(WikiStoreInstantiatorFactory.class);
  }

  /**
   * A node on the test's store that is never started (offline, nobody connected), made on first
   * use, for views that show the network's state.
   */
  private static volatile DureNode node;

  private static volatile Path nodeDir;

  static synchronized PeerNode currentNode() {
    if (node == null) {
      try {
        nodeDir = Files.createTempDirectory("dure-view-node");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      node = DureNode.on(current, nodeDir).p2pPort(0).build();
    }
    return node.peer();
  }

  /** The attachments of the node of {@link #currentNode()}. */
  static synchronized org.dure.node.Attachments currentAttachments() {
    currentNode();
    return node.attachments();
  }

  /**
   * Makes the views use {@code n} (for example one started with a fake router) instead of the
   * never-started node; it is closed, and {@code dir} deleted, after the test.
   */
  protected static synchronized void useNode(DureNode n, Path dir) {
    if (node != null) {
      node.close();
    }
    node = n;
    nodeDir = dir;
  }

  @AfterEach
  void closeNode() {
    synchronized (ViewTestSupport.class) {
      if (node != null) {
        node.close();
        node = null;
        try (var files = Files.walk(nodeDir)) {
          files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
          // a temporary directory left behind
        }
      }
    }
  }

  /** The store of the running view test; empty outside one (for example in the browser tests). */
  static Optional<WikiStore> currentStore() {
    return Optional.ofNullable(current);
  }

  protected PageSummary createPage(String title, String body) {
    return store.createPage(space.id(), title, body, Optional.empty());
  }

  /**
   * Opens {@code location}, which may have a query ({@code new?space=…}); the inherited {@code
   * navigate(String, Class)} takes a path only.
   */
  protected <T extends Component> T open(String location, Class<T> expected) {
    int q = location.indexOf('?');
    if (q < 0) {
      return navigate(location, expected);
    }
    com.vaadin
        .flow
        .component
        .UI
        .getCurrent()
        .navigate(location.substring(0, q), QueryParameters.fromString(location.substring(q + 1)));
    return expected.cast(getCurrentView());
  }

  /**
   * Presses a key in the browser with {@code target} focused: reaches shortcuts that listen on a
   * component rather than the whole page.
   */
  protected static void pressKeyIn(Component target, Key key, KeyModifier... modifiers) {
    ShortcutsKt._fireShortcut(target, key, modifiers);
  }

  /** The path of the view shown now, e.g. {@code page/ID}. */
  protected static String currentPath() {
    return com.vaadin
        .flow
        .component
        .UI
        .getCurrent()
        .getInternals()
        .getActiveViewLocation()
        .getPathWithQueryParameters();
  }

  protected static String href(PageId id) {
    return "page/" + id.value();
  }

  /** A clock that is one second later at each reading. */
  static final class SteppingClock extends Clock {
    private final AtomicLong seconds;

    SteppingClock(Instant start) {
      seconds = new AtomicLong(start.getEpochSecond());
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochSecond(seconds.getAndIncrement());
    }
  }
}

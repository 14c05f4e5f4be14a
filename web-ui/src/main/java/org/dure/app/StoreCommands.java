package org.dure.app;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.dure.node.OfflineSwitch;
import org.dure.store.PageSummary;
import org.dure.store.Space;
import org.dure.store.StoreLockedException;
import org.dure.store.WikiStore;

/**
 * Commands that work on a data directory while Dure is not running, by opening the store itself
 * (its lock refuses a second process): {@code status}, {@code space}, {@code pages}, {@code page}.
 */
final class StoreCommands {
  private StoreCommands() {}

  static List<Command> all() {
    return List.of(new Status(), new SpaceCmd(), new Pages(), new PageCmd());
  }

  /** A command that opens the store of the data directory. */
  private abstract static class OnStore implements Command {
    @Override
    public final int run(List<String> args, Context context) throws Exception {
      try (WikiStore store = WikiStore.open(context.dataDir())) {
        return run(store, args, context);
      } catch (StoreLockedException e) {
        context
            .err()
            .println(
                "dure: Dure is running with "
                    + context.dataDir()
                    + "; stop it first, or use its web page (a local API for a running Dure is"
                    + " planned).");
        return 1;
      }
    }

    abstract int run(WikiStore store, List<String> args, Context context) throws Exception;

    static int usage(Context context, String usage) {
      context.err().println("usage: dure " + usage);
      return 2;
    }

    /** The space named by id or by name (case-insensitive), or empty with a message. */
    static Optional<Space> space(WikiStore store, String idOrName, Context context) {
      List<Space> found =
          store.spaces().stream()
              .filter(s -> s.id().value().equals(idOrName) || s.name().equalsIgnoreCase(idOrName))
              .toList();
      if (found.size() == 1) {
        return Optional.of(found.get(0));
      }
      context
          .err()
          .println(
              found.isEmpty()
                  ? "dure: no space \"" + idOrName + "\" (see: dure space list)"
                  : "dure: several spaces are called \"" + idOrName + "\"; use its id");
      return Optional.empty();
    }
  }

  static final class Status extends OnStore {
    @Override
    public String name() {
      return "status";
    }

    @Override
    public String summary() {
      return "this computer's peer ID, spaces and pages, online or offline";
    }

    @Override
    int run(WikiStore store, List<String> args, Context context) {
      context.out().println("peer ID: " + store.identity().peerId());
      context
          .out()
          .println(
              "network: "
                  + (new OfflineSwitch(context.dataDir()).isOffline() ? "offline" : "online"));
      for (Space s : store.spaces()) {
        context
            .out()
            .printf("space %s  %s  (%d pages)%n", s.id(), s.name(), store.pageCount(s.id()));
      }
      context.out().println("blocked peers: " + store.blockedPeers().size());
      return 0;
    }
  }

  static final class SpaceCmd extends OnStore {
    @Override
    public String name() {
      return "space";
    }

    @Override
    public String summary() {
      return "space create NAME | space list";
    }

    @Override
    int run(WikiStore store, List<String> args, Context context) {
      if (args.size() == 2 && args.get(0).equals("create")) {
        Space s = store.createSpace(args.get(1));
        context.out().println(s.id());
        return 0;
      }
      if (args.size() == 1 && args.get(0).equals("list")) {
        store.spaces().forEach(s -> context.out().println(s.id() + "  " + s.name()));
        return 0;
      }
      return usage(context, "space create NAME | space list");
    }
  }

  static final class Pages extends OnStore {
    @Override
    public String name() {
      return "pages";
    }

    @Override
    public String summary() {
      return "pages SPACE: the titles of a space's pages, recently changed first";
    }

    @Override
    int run(WikiStore store, List<String> args, Context context) {
      if (args.size() != 1) {
        return usage(context, "pages SPACE");
      }
      Optional<Space> space = space(store, args.get(0), context);
      if (space.isEmpty()) {
        return 1;
      }
      for (int offset = 0; ; offset += 500) {
        List<PageSummary> batch = store.pages(space.get().id(), offset, 500);
        batch.forEach(p -> context.out().println(p.title()));
        if (batch.size() < 500) {
          return 0;
        }
      }
    }
  }

  static final class PageCmd extends OnStore {
    @Override
    public String name() {
      return "page";
    }

    @Override
    public String summary() {
      return "page get SPACE/TITLE (body to stdout) | page put SPACE/TITLE (body from stdin)";
    }

    @Override
    int run(WikiStore store, List<String> args, Context context) throws Exception {
      String usage = "page get SPACE/TITLE | page put SPACE/TITLE";
      if (args.size() != 2 || !(args.get(0).equals("get") || args.get(0).equals("put"))) {
        return usage(context, usage);
      }
      int slash = args.get(1).indexOf('/');
      if (slash <= 0 || slash == args.get(1).length() - 1) {
        return usage(context, usage);
      }
      Optional<Space> space = space(store, args.get(1).substring(0, slash), context);
      if (space.isEmpty()) {
        return 1;
      }
      String title = args.get(1).substring(slash + 1);
      Optional<PageSummary> page = store.findPage(space.get().id(), title);
      if (args.get(0).equals("get")) {
        if (page.isEmpty()) {
          context.err().println("dure: no page \"" + title + "\" in " + space.get().name());
          return 1;
        }
        context.out().print(store.page(page.get().id()).body());
        context.out().flush();
        return 0;
      }
      String body = new String(context.in().readAllBytes(), StandardCharsets.UTF_8);
      if (page.isEmpty()) {
        store.createPage(space.get().id(), title, body, Optional.of("From the command line"));
      } else {
        store.replaceText(page.get().id(), body, Optional.of("From the command line"));
      }
      return 0;
    }
  }
}

package org.dure.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.dure.api.DureApi;

/**
 * The page commands: {@code pages SPACE}, {@code page get|put|rename|move|delete|restore} and
 * {@code trash SPACE}. Like the other commands they go through the running Dure's local API, or
 * open the data directory when Dure is not running.
 */
final class PageCommands {
  /** The most bytes {@code page put} reads from standard input. */
  private static final int MAX_PAGE_BYTES = 16 * 1024 * 1024;

  private PageCommands() {}

  static List<Command> all() {
    return List.of(new Pages(), new PageCmd(), new TrashCmd());
  }

  static final class Pages extends NodeCommands.OnDure {
    @Override
    public String name() {
      return "pages";
    }

    @Override
    public String summary() {
      return "pages SPACE: the titles of a space's pages, recently changed first";
    }

    @Override
    int run(DureApi dure, List<String> args, Context context) {
      if (args.size() != 1) {
        return usage(context, "pages SPACE");
      }
      dure.pageTitles(args.get(0)).forEach(context.out()::println);
      return 0;
    }
  }

  static final class PageCmd extends NodeCommands.OnDure {
    private static final String USAGE =
        "page get SPACE/TITLE | page put SPACE/TITLE | page rename SPACE/TITLE NEW-TITLE"
            + " | page move SPACE/TITLE TARGET-SPACE | page delete SPACE/TITLE"
            + " | page restore SPACE/TITLE";

    @Override
    public String name() {
      return "page";
    }

    @Override
    public String summary() {
      return "page get SPACE/TITLE (body to stdout) | page put SPACE/TITLE (body from stdin)"
          + " | page rename SPACE/TITLE NEW-TITLE | page move SPACE/TITLE TARGET-SPACE"
          + " | page delete SPACE/TITLE (to the space's trash) | page restore SPACE/TITLE";
    }

    @Override
    int run(DureApi dure, List<String> args, Context context) {
      if (!args.isEmpty() && List.of("rename", "move", "delete", "restore").contains(args.get(0))) {
        return lifecycle(dure, args, context);
      }
      if (args.size() != 2 || !(args.get(0).equals("get") || args.get(0).equals("put"))) {
        return usage(context, USAGE);
      }
      int slash = args.get(1).indexOf('/');
      if (slash <= 0 || slash == args.get(1).length() - 1) {
        return usage(context, USAGE);
      }
      String space = args.get(1).substring(0, slash);
      String title = args.get(1).substring(slash + 1);
      if (args.get(0).equals("get")) {
        Optional<String> body = dure.pageBody(space, title);
        if (body.isEmpty()) {
          context.err().println("dure: no page \"" + title + "\" in " + space);
          return 1;
        }
        context.out().print(body.get());
        context.out().flush();
        return 0;
      }
      String body;
      try {
        byte[] bytes = context.in().readNBytes(MAX_PAGE_BYTES + 1);
        if (bytes.length > MAX_PAGE_BYTES) {
          context.err().println("dure: the page is too long (at most 16 MiB)");
          return 1;
        }
        body = new String(bytes, StandardCharsets.UTF_8);
      } catch (IOException e) {
        context.err().println("dure: cannot read the page from standard input: " + e.getMessage());
        return 1;
      }
      dure.putPage(space, title, body);
      return 0;
    }

    /** {@code page rename|move|delete|restore SPACE/TITLE [ARG]}. */
    private static int lifecycle(DureApi dure, List<String> args, Context context) {
      String op = args.get(0);
      boolean takesArg = op.equals("rename") || op.equals("move");
      if (args.size() != (takesArg ? 3 : 2)) {
        return usage(context, USAGE);
      }
      int slash = args.get(1).indexOf('/');
      if (slash <= 0 || slash == args.get(1).length() - 1) {
        return usage(context, USAGE);
      }
      String space = args.get(1).substring(0, slash);
      String title = args.get(1).substring(slash + 1);
      switch (op) {
        case "rename" ->
            context.out().println("renamed to " + dure.renamePage(space, title, args.get(2)));
        case "move" -> {
          dure.movePage(space, title, args.get(2));
          context.out().println("moved to " + args.get(2));
        }
        case "delete" -> {
          dure.deletePage(space, title);
          context.out().println("moved to the trash (restorable for 30 days)");
        }
        default -> {
          dure.restorePage(space, title);
          context.out().println("restored " + title);
        }
      }
      return 0;
    }
  }

  static final class TrashCmd extends NodeCommands.OnDure {
    @Override
    public String name() {
      return "trash";
    }

    @Override
    public String summary() {
      return "trash SPACE: the space's deleted pages (title, deleted by, when, removed for good)";
    }

    @Override
    int run(DureApi dure, List<String> args, Context context) {
      if (args.size() != 1) {
        return usage(context, "trash SPACE");
      }
      for (DureApi.TrashInfo t : dure.trash(args.get(0))) {
        context
            .out()
            .println(t.title() + "\t" + t.deletedBy() + "\t" + t.deleted() + "\t" + t.purgeAt());
      }
      return 0;
    }
  }
}

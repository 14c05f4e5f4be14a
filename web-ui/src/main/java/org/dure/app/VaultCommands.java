package org.dure.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dure.api.DureApi;

/**
 * {@code export SPACE DIR [--html]} and {@code import SPACE DIR [--rename]}: a space to a Markdown
 * folder (an Obsidian vault) or a static HTML site, and a Markdown folder into a space. Like the
 * other commands they go through the running Dure's local API, or open the data directory when Dure
 * is not running; the folder is named to Dure by its absolute path.
 */
final class VaultCommands {
  private VaultCommands() {}

  static List<Command> all() {
    return List.of(new Export(), new Import());
  }

  static final class Export extends NodeCommands.OnDure {
    private static final String USAGE = "export SPACE DIR [--html]";

    @Override
    public String name() {
      return "export";
    }

    @Override
    public String summary() {
      return USAGE
          + ": write a space into a new or empty folder as Markdown files that Obsidian opens as a"
          + " vault, or with --html as a static web site";
    }

    @Override
    int run(DureApi dure, List<String> args, Context context) {
      boolean html = args.size() == 3 && args.get(2).equals("--html");
      if (args.size() != 2 && !html) {
        return usage(context, USAGE);
      }
      Path dir = Path.of(args.get(1)).toAbsolutePath().normalize();
      context
          .err()
          .println("Exporting " + args.get(0) + " to " + dir + (html ? " as HTML" : "") + "…");
      DureApi.ExportInfo r = dure.exportSpace(args.get(0), dir.toString(), html);
      context
          .out()
          .println(
              "Wrote "
                  + r.pages()
                  + (r.pages() == 1 ? " page" : " pages")
                  + (r.attachments() > 0 ? " and " + r.attachments() + " attachments" : "")
                  + " to "
                  + r.folder()
                  + (html ? " (open index.html)" : ""));
      if (!r.damaged().isEmpty()) {
        context
            .out()
            .println(
                "Left out, their stored data is damaged (see the page in Dure): "
                    + String.join(", ", r.damaged()));
      }
      return 0;
    }
  }

  static final class Import extends NodeCommands.OnDure {
    private static final String USAGE = "import SPACE DIR [--rename]";

    @Override
    public String name() {
      return "import";
    }

    @Override
    public String summary() {
      return USAGE
          + ": add the Markdown files of a folder (an Obsidian vault) to a space as pages; a title"
          + " already there is skipped, or with --rename imported as \"Title (2)\"";
    }

    @Override
    int run(DureApi dure, List<String> args, Context context) {
      boolean rename = args.size() == 3 && args.get(2).equals("--rename");
      if (args.size() != 2 && !rename) {
        return usage(context, USAGE);
      }
      Path dir = Path.of(args.get(1)).toAbsolutePath().normalize();
      context.err().println("Importing " + dir + " into " + args.get(0) + "…");
      DureApi.ImportInfo r = dure.importFolder(args.get(0), dir.toString(), rename);
      var out = context.out();
      out.println(
          "Imported "
              + r.created().size()
              + (r.created().size() == 1 ? " page" : " pages")
              + " into "
              + args.get(0)
              + ".");
      if (!r.skipped().isEmpty()) {
        out.println(
            "Skipped, a page of that title is already there (nothing was overwritten; import"
                + " again with --rename to add them under new titles):");
        r.skipped().forEach(c -> out.println("  " + c.path() + "  (" + c.title() + ")"));
      }
      if (!r.renamed().isEmpty()) {
        out.println("Imported under a new title, as the title was taken:");
        r.renamed()
            .forEach(c -> out.println("  " + c.path() + "  " + c.title() + " → " + c.newTitle()));
      }
      Map<String, List<String>> byKind = new LinkedHashMap<>();
      for (DureApi.NoteInfo n : r.notes()) {
        String line = n.path() + (n.detail().isEmpty() ? "" : "  " + n.detail());
        byKind.computeIfAbsent(n.kind(), k -> new ArrayList<>()).add(line);
      }
      byKind.forEach(
          (kind, lines) -> {
            out.println(heading(kind));
            lines.forEach(l -> out.println("  " + l));
          });
      if (r.otherFiles() > 0) {
        out.println(
            r.otherFiles() + " other files (not Markdown, not used by a page) were not read.");
      }
      return 0;
    }

    private static String heading(String kind) {
      return switch (kind) {
        case "NOT_UTF8" -> "Not imported, not UTF-8 text (save them as UTF-8 and import again):";
        case "TOO_LARGE" -> "Not imported, larger than the import allows:";
        case "NOT_CREATED" -> "Not imported:";
        case "TITLE_CHANGED" -> "Titles changed, as a title cannot hold [, ] or |:";
        case "FILE_NOT_IMPORTED" ->
            "Images and files the pages use, not stored as attachments (the links stay as"
                + " written; if over the limit per attachment, raise it in the settings):";
        case "MISSING_FILE" -> "Links to files that are not in the folder (left as written):";
        case "LEFT_OUT" -> "Left out of the folder:";
        default -> kind + ":";
      };
    }
  }
}

package org.dure.store.vault;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.SpaceId;
import org.dure.store.wiki.Wiki;
import org.dure.store.wiki.WikiLinks;

/**
 * Imports a Markdown folder or Obsidian vault into a space: one page per {@code .md} file, titled
 * by its front matter's {@code title} or else its file name; {@code [[links]]} (by file name, path
 * or title) and relative {@code .md} links rewritten to the imported pages; relative images and
 * files stored as attachments, or reported when they cannot be (no attachment store, too large).
 *
 * <p>A title already used in the space, or by an earlier file of the import (files are taken in
 * path order), is a clash: the file is skipped or imported under {@code "Title (2)"}, as the caller
 * chose, and the report says which. Nothing is overwritten. The limits are checked from the listing
 * before any file is read, and again while reading. Pages are created with {@link
 * org.dure.store.wiki.Pages#create}: signed edits like any other; whether this user may create
 * pages in the space is the caller's to check first.
 */
public final class VaultImport {
  /** What to do with a file whose title is taken. */
  public enum OnClash {
    SKIP,
    RENAME
  }

  private final Wiki wiki;
  private final Attachments attachments;
  private final VaultLimits limits;

  public VaultImport(Wiki wiki, Attachments attachments, VaultLimits limits) {
    this.wiki = wiki;
    this.attachments = attachments;
    this.limits = limits;
  }

  /** A Markdown file of the source, read. */
  private static final class File {
    final String path;
    final String wantedTitle;
    final String body;
    String title; // the page it became or names (the existing one when skipped)
    boolean create;

    File(String path, String wantedTitle, String body) {
      this.path = path;
      this.wantedTitle = wantedTitle;
      this.body = body;
    }

    String dir() {
      int slash = path.lastIndexOf('/');
      return slash < 0 ? "" : path.substring(0, slash);
    }

    String stem() {
      String name = path.substring(path.lastIndexOf('/') + 1);
      return name.substring(0, name.length() - 3);
    }
  }

  /**
   * Imports {@code source} into {@code space}.
   *
   * @throws VaultException if the source is over a limit (nothing is imported then)
   */
  public ImportReport run(SpaceId space, VaultSource source, OnClash onClash, Progress progress)
      throws IOException {
    wiki.spaces().get(space);
    List<VaultSource.Entry> markdown =
        source.entries().stream().filter(VaultSource.Entry::isMarkdown).toList();
    checkListing(markdown);
    List<ImportReport.Note> notes = new ArrayList<>();
    source.leftOut().forEach(why -> notes.add(note(why, ImportReport.Kind.LEFT_OUT, why)));
    int total = markdown.size() * 2;
    progress.update(0, total);

    List<File> files = new ArrayList<>();
    int step = 0;
    for (VaultSource.Entry e : markdown) {
      read(source, e, notes).ifPresent(files::add);
      progress.update(++step, total);
    }
    List<ImportReport.Clash> skipped = new ArrayList<>();
    List<ImportReport.Clash> renamed = new ArrayList<>();
    assignTitles(space, files, onClash, skipped, renamed);

    Links links = new Links(space, source, files, notes);
    List<ImportReport.Created> created = new ArrayList<>();
    for (File f : files) {
      if (f.create) {
        String body = VaultLinks.fromVault(f.body, links.of(f));
        try {
          wiki.pages().create(space, f.title, body, Optional.of("Imported from " + f.path));
          created.add(new ImportReport.Created(f.path, f.title));
        } catch (IllegalArgumentException ex) {
          notes.add(new ImportReport.Note(f.path, ImportReport.Kind.NOT_CREATED, ex.getMessage()));
        }
      }
      progress.update(++step, total);
    }
    progress.update(total, total);
    int others = (int) source.entries().stream().filter(e -> !e.isMarkdown()).count();
    return new ImportReport(
        List.copyOf(created),
        List.copyOf(skipped),
        List.copyOf(renamed),
        List.copyOf(notes),
        others - links.attachmentsSeen());
  }

  private static ImportReport.Note note(String path, ImportReport.Kind kind, String detail) {
    int colon = path.indexOf(": ");
    return new ImportReport.Note(colon < 0 ? path : path.substring(0, colon), kind, detail);
  }

  /** The limits, from the listing alone. */
  private void checkListing(List<VaultSource.Entry> markdown) throws VaultException {
    if (markdown.isEmpty()) {
      throw new VaultException(
          "There are no Markdown (.md) files to import; choose the folder of your notes.");
    }
    if (markdown.size() > limits.maxFiles()) {
      throw new VaultException(
          "There are "
              + markdown.size()
              + " Markdown files; at most "
              + limits.maxFiles()
              + " can be imported at once. Import the folder in parts.");
    }
    long sum = 0;
    for (VaultSource.Entry e : markdown) {
      if (e.size() > limits.maxFileBytes()) {
        throw new VaultException(
            e.path()
                + " is larger than "
                + (limits.maxFileBytes() >> 20)
                + " MiB, the most a page may have; split it or leave it out.");
      }
      sum += e.size();
    }
    if (sum > limits.maxTotalBytes()) {
      throw new VaultException(
          "The Markdown files hold "
              + (sum >> 20)
              + " MiB; at most "
              + (limits.maxTotalBytes() >> 20)
              + " MiB can be imported at once. Import the folder in parts.");
    }
  }

  private Optional<File> read(
      VaultSource source, VaultSource.Entry e, List<ImportReport.Note> notes) throws IOException {
    byte[] bytes;
    try (InputStream in = source.open(e)) {
      bytes = in.readNBytes((int) Math.min(limits.maxFileBytes(), Integer.MAX_VALUE - 8) + 1);
    }
    if (bytes.length > limits.maxFileBytes()) {
      notes.add(
          new ImportReport.Note(
              e.path(), ImportReport.Kind.TOO_LARGE, "more than " + limits.maxFileBytes()));
      return Optional.empty();
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException ex) {
      notes.add(new ImportReport.Note(e.path(), ImportReport.Kind.NOT_UTF8, ""));
      return Optional.empty();
    }
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    FrontMatter.Split split = FrontMatter.parse(text);
    String name = e.path().substring(e.path().lastIndexOf('/') + 1);
    String stem = name.substring(0, name.length() - 3);
    String wanted = split.frontMatter().title().orElse(stem);
    String title = cleanTitle(wanted, stem);
    if (!title.equals(wanted.strip())) {
      notes.add(new ImportReport.Note(e.path(), ImportReport.Kind.TITLE_CHANGED, title));
    }
    return Optional.of(new File(e.path(), title, split.body()));
  }

  /** A title a page can have, as close to {@code wanted} as can be. */
  static String cleanTitle(String wanted, String stem) {
    for (String t : List.of(wanted, stem)) {
      String s =
          t.replace('[', '(')
              .replace(']', ')')
              .replace('|', '-')
              .replace('\n', ' ')
              .replace('\r', ' ')
              .strip();
      if (s.codePointCount(0, s.length()) > WikiLinks.MAX_TITLE_LENGTH) {
        s = s.substring(0, s.offsetByCodePoints(0, WikiLinks.MAX_TITLE_LENGTH)).strip();
      }
      try {
        return WikiLinks.checkTitle(s);
      } catch (IllegalArgumentException e) {
        // try the file name, then give up
      }
    }
    return "Untitled";
  }

  private void assignTitles(
      SpaceId space,
      List<File> files,
      OnClash onClash,
      List<ImportReport.Clash> skipped,
      List<ImportReport.Clash> renamed) {
    Map<String, File> imported = new HashMap<>();
    for (File f : files) {
      String key = WikiLinks.key(f.wantedTitle);
      Optional<PageSummary> existing = wiki.pages().find(space, f.wantedTitle);
      File earlier = imported.get(key);
      if (existing.isEmpty() && earlier == null) {
        f.title = f.wantedTitle;
        f.create = true;
        imported.put(key, f);
      } else if (onClash == OnClash.SKIP) {
        f.title = existing.map(PageSummary::title).orElseGet(() -> earlier.title);
        skipped.add(new ImportReport.Clash(f.path, f.wantedTitle, ""));
      } else {
        String base = f.wantedTitle;
        for (int n = 2; ; n++) {
          String suffix = " (" + n + ")";
          int room = WikiLinks.MAX_TITLE_LENGTH - suffix.length();
          String cut =
              base.codePointCount(0, base.length()) > room
                  ? base.substring(0, base.offsetByCodePoints(0, room)).strip()
                  : base;
          String candidate = cut + suffix;
          String k = WikiLinks.key(candidate);
          if (!imported.containsKey(k) && wiki.pages().find(space, candidate).isEmpty()) {
            f.title = candidate;
            f.create = true;
            imported.put(k, f);
            renamed.add(new ImportReport.Clash(f.path, f.wantedTitle, candidate));
            break;
          }
        }
      }
    }
  }

  /** Resolves the links of the imported files. */
  private final class Links {
    private final SpaceId space;
    private final VaultSource source;
    private final List<ImportReport.Note> notes;
    private final Map<String, File> byPath = new HashMap<>();
    private final Map<String, List<File>> byStem = new HashMap<>();
    private final Map<String, File> byTitle = new HashMap<>();
    private final Map<String, VaultSource.Entry> entries = new HashMap<>();
    private final Map<String, Optional<String>> stored = new HashMap<>();
    private final Set<String> seen = new HashSet<>();

    Links(SpaceId space, VaultSource source, List<File> files, List<ImportReport.Note> notes) {
      this.space = space;
      this.source = source;
      this.notes = notes;
      for (File f : files) {
        byPath.put(VaultNames.clashKey(f.path), f);
        byStem.computeIfAbsent(VaultNames.clashKey(f.stem()), k -> new ArrayList<>()).add(f);
        byTitle.putIfAbsent(WikiLinks.key(f.wantedTitle), f);
      }
      // Obsidian: of several files of one name, a link by name means the one nearest the root.
      byStem
          .values()
          .forEach(
              l ->
                  l.sort(
                      Comparator.comparingInt((File f) -> f.path.split("/").length)
                          .thenComparing(f -> f.path)));
      source.entries().forEach(e -> entries.put(VaultNames.clashKey(e.path()), e));
    }

    int attachmentsSeen() {
      return seen.size();
    }

    VaultLinks.Resolver of(File from) {
      return new VaultLinks.Resolver() {
        @Override
        public Optional<String> pageForTarget(String target) {
          List<String> candidates = new ArrayList<>(List.of(target));
          for (char anchor : new char[] {'#', '^'}) {
            int at = target.indexOf(anchor);
            if (at > 0) {
              candidates.add(target.substring(0, at).strip());
            }
          }
          for (String c : candidates) {
            Optional<String> t = byTarget(c);
            if (t.isPresent()) {
              return t;
            }
          }
          return Optional.empty();
        }

        @Override
        public Optional<String> pageForPath(String relativePath) {
          String path = resolve(from.dir(), relativePath);
          File f = path == null ? null : byPath.get(VaultNames.clashKey(path));
          if (f == null) {
            notes.add(
                new ImportReport.Note(from.path, ImportReport.Kind.MISSING_FILE, relativePath));
            return Optional.empty();
          }
          return Optional.ofNullable(f.title);
        }

        @Override
        public Optional<String> attachment(String relativePath, boolean image) {
          String path = resolve(from.dir(), relativePath);
          VaultSource.Entry e = path == null ? null : entries.get(VaultNames.clashKey(path));
          if (e == null && path != null && !relativePath.contains("/")) {
            e = entries.get(VaultNames.clashKey(VaultNames.ATTACHMENTS + "/" + relativePath));
          }
          if (e == null) {
            notes.add(
                new ImportReport.Note(from.path, ImportReport.Kind.MISSING_FILE, relativePath));
            return Optional.empty();
          }
          if (!e.isMarkdown()) {
            seen.add(e.path());
          }
          return store(from, e);
        }
      };
    }

    private Optional<String> byTarget(String target) {
      String t =
          target.toLowerCase(java.util.Locale.ROOT).endsWith(".md")
              ? target.substring(0, target.length() - 3)
              : target;
      String path = VaultSource.normalize(t + ".md");
      File f = path == null ? null : byPath.get(VaultNames.clashKey(path));
      if (f == null) {
        List<File> named = byStem.get(VaultNames.clashKey(t));
        f = named == null ? null : named.get(0);
      }
      if (f == null) {
        f = byTitle.get(WikiLinks.key(t));
      }
      if (f != null) {
        return Optional.ofNullable(f.title);
      }
      return wiki.pages().find(space, t).map(PageSummary::title);
    }

    private Optional<String> store(File from, VaultSource.Entry e) {
      return stored.computeIfAbsent(
          e.path(),
          p -> {
            if (!attachments.canStore()) {
              notes.add(new ImportReport.Note(from.path, ImportReport.Kind.FILE_NOT_IMPORTED, p));
              return Optional.empty();
            }
            if (e.size() > limits.maxAttachmentBytes()) {
              notes.add(new ImportReport.Note(p, ImportReport.Kind.TOO_LARGE, ""));
              return Optional.empty();
            }
            String name = p.substring(p.lastIndexOf('/') + 1);
            try (InputStream in = source.open(e)) {
              return Optional.of(attachments.store(space, name, in, e.size()));
            } catch (IOException ex) {
              notes.add(
                  new ImportReport.Note(p, ImportReport.Kind.FILE_NOT_IMPORTED, ex.getMessage()));
              return Optional.empty();
            }
          });
    }
  }

  /**
   * {@code relative} resolved against the folder {@code dir} ({@code ..} allowed), or null if it
   * leaves the root or names a hidden file.
   */
  static String resolve(String dir, String relative) {
    Deque<String> parts = new ArrayDeque<>();
    String joined = dir.isEmpty() ? relative : dir + "/" + relative;
    for (String seg : joined.replace('\\', '/').split("/")) {
      if (seg.isEmpty() || seg.equals(".")) {
        continue;
      }
      if (seg.equals("..")) {
        if (parts.isEmpty()) {
          return null;
        }
        parts.removeLast();
      } else {
        parts.addLast(seg);
      }
    }
    return parts.isEmpty() ? null : VaultSource.normalize(String.join("/", parts));
  }
}

package org.dure.store.vault;

import java.util.List;

/**
 * What an import did, file by file: pages created, files skipped or renamed because a page of that
 * title was there, and what else the user should know.
 *
 * @param otherFiles files that are neither pages nor referred to by one, not read
 */
public record ImportReport(
    List<Created> created,
    List<Clash> skipped,
    List<Clash> renamed,
    List<Note> notes,
    int otherFiles) {

  /** A page made from a file. */
  public record Created(String path, String title) {}

  /**
   * A file whose title was taken, in the space or by an earlier file of the import.
   *
   * @param newTitle the title it was imported under; empty when it was skipped
   */
  public record Clash(String path, String title, String newTitle) {}

  /** Something about one file (or link in it) worth telling. */
  public record Note(String path, Kind kind, String detail) {}

  /** The kinds of {@link Note}. */
  public enum Kind {
    /** The file is not UTF-8 text; not imported. */
    NOT_UTF8,
    /** The file is larger than its listing said or than the limit; not imported. */
    TOO_LARGE,
    /** The page could not be created (detail: why, e.g. too long). */
    NOT_CREATED,
    /** The title had characters a title cannot hold ({@code [ ] |}); detail: the title used. */
    TITLE_CHANGED,
    /**
     * An image or file a page refers to was not imported; detail: its path (no attachment store) or
     * why the attachment store refused it (e.g. over the limit per attachment).
     */
    FILE_NOT_IMPORTED,
    /** A relative link names a file that is not in the folder; detail: the link. */
    MISSING_FILE,
    /** Left out of the folder: a link out of it, unreadable; detail: why. */
    LEFT_OUT
  }
}

package org.dure.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.dure.store.sync.InflightRecords;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.Space;

/**
 * Run in a child JVM by {@link PrivateFilesTest} under {@code umask 000}: creates a store in {@code
 * args[0]} through the real code paths (space, page, journalled edits, an in-flight record), prints
 * what a file created without care gets in {@code args[1]}, then "READY", and keeps the store open
 * until its standard input closes.
 */
public final class PrivateFilesChild {
  private PrivateFilesChild() {}

  public static void main(String[] args) throws IOException {
    Path probe = Files.createFile(Path.of(args[1]));
    System.out.println(
        "PROBE " + PosixFilePermissions.toString(Files.getPosixFilePermissions(probe)));
    try (WikiStore store = WikiStore.open(Path.of(args[0]))) {
      Space space = store.createSpace("Private");
      PageSummary page = store.createPage(space.id(), "Notes", "hello", Optional.empty());
      store.splice(page.id(), 5, 0, " world");
      store.replaceText(page.id(), "hello there", Optional.empty());
      InflightRecords.beginSnapshot(
          Path.of(args[0]).resolve("inflight"), "12D3KooWpeer", page.id().value());
      System.out.println("READY");
      System.out.flush();
      System.in.read(); // until the test closes our input
    }
  }
}

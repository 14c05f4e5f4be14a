package org.dure.store;

import java.nio.file.Path;
import java.util.Optional;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.Space;

/**
 * Run in a child JVM by {@link DurabilityTest}: makes edits and prints "ACK n" after each call
 * returns, until it is killed.
 */
public final class DurabilityChild {
  private DurabilityChild() {}

  public static void main(String[] args) {
    WikiStore store = WikiStore.open(Path.of(args[0]));
    Space space = store.createSpace("Durable");
    PageSummary page = store.createPage(space.id(), "Log", "", Optional.empty());
    System.out.println("PAGE " + page.id());
    System.out.flush();
    long len = 0;
    for (int i = 0; i < 1_000_000; i++) {
      String text = "e" + i + ";";
      store.splice(page.id(), len, 0, text);
      len += text.length();
      System.out.println("ACK " + i);
      System.out.flush();
    }
  }
}

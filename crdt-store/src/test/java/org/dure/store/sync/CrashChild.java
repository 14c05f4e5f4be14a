package org.dure.store.sync;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.dure.identity.PeerId;
import org.dure.store.StoreInternals;
import org.dure.store.WikiStore;
import org.dure.store.doc.Documents;
import org.dure.store.wiki.PageId;

/**
 * Run in a child JVM by {@link CrashRecoveryTest}: opens a real store and makes Automerge abort the
 * process, as a crafted input or a damaged stored document would.
 *
 * <ul>
 *   <li>{@code queued DIR DOC EVIL CRASHER HONEST MESSAGE}: with the document's lane held, queues a
 *       committed crasher from peer EVIL and then an honest sync message from peer HONEST for DOC
 *       (validation is off, so the crasher reaches native code), prints {@code QUEUED n} with the
 *       number of active in-flight records while both wait, then lets the lane go: the crasher
 *       aborts the process with the honest message still queued.
 *   <li>{@code load DIR PAGE}: reads the page, whose stored data crashes Automerge on load.
 * </ul>
 */
public final class CrashChild {
  private CrashChild() {}

  public static void main(String[] args) throws Exception {
    WikiStore store = WikiStore.open(Path.of(args[1]));
    if (args[0].equals("load")) {
      System.out.println("OPEN");
      System.out.flush();
      store.page(new PageId(args[2]));
      System.out.println("SURVIVED");
      System.exit(0);
    }
    String doc = args[2];
    PeerId evil = PeerId.parse(args[3]);
    byte[] crasher = Files.readAllBytes(Path.of(args[4]));
    PeerId honest = PeerId.parse(args[5]);
    byte[] message = Files.readAllBytes(Path.of(args[6]));
    store.sync().handUnvalidatedSyncMessagesToNativeCodeForCrashTests();
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread holder =
        new Thread(
            () ->
                StoreInternals.documents(store)
                    .withDocument(
                        doc,
                        live -> {
                          held.countDown();
                          try {
                            release.await();
                          } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                          }
                          return null;
                        }));
    holder.start();
    held.await();
    Thread e = receive(store, evil, doc, crasher);
    awaitQueued(e);
    Thread h = receive(store, honest, doc, message);
    awaitQueued(h);
    System.out.println("QUEUED " + CrashRecoveryTest.records(Path.of(args[1])).size());
    System.out.flush();
    release.countDown();
    e.join();
    h.join();
    System.out.println("SURVIVED");
    System.exit(0);
  }

  private static Thread receive(WikiStore store, PeerId peer, String doc, byte[] message) {
    Thread t =
        new Thread(
            () -> {
              try {
                store.sync().receiveMessage(peer, doc, message, List.of(), AuthorPolicy.ANY);
              } catch (PeerDataException | RuntimeException ex) {
                System.out.println("REFUSED " + peer + ": " + ex);
              }
            },
            "receive-from-" + peer);
    t.start();
    return t;
  }

  /** The kernel's lane thread class (package-private there). */
  private static final String LANE_THREAD = Documents.class.getPackageName() + ".LaneThread";

  /** Waits until {@code t} is parked waiting for its task on a lane, i.e. queued there. */
  private static void awaitQueued(Thread t) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (t.getState() == Thread.State.WAITING) {
        for (StackTraceElement f : t.getStackTrace()) {
          if (f.getClassName().startsWith(LANE_THREAD) && f.getMethodName().equals("await")) {
            return;
          }
        }
      }
      Thread.sleep(1);
    }
    System.out.println("NOT QUEUED " + t.getName());
    System.exit(2);
  }
}

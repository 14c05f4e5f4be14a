package org.dure.store.sync;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.automerge.Document;
import org.automerge.ObjectId;
import org.automerge.Transaction;
import org.dure.store.doc.StoreException;
import org.junit.jupiter.api.Test;

class SandboxWorkerTest {

  private static List<String> command() {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(NativeSandbox.jvmOptions());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(SandboxMain.class.getName());
    return cmd;
  }

  private static byte[] snapshot(String text) {
    Document doc = new Document();
    try (Transaction tx = doc.startTransaction()) {
      tx.set(ObjectId.ROOT, "title", text);
      tx.commit();
    }
    byte[] bytes = doc.save();
    doc.free();
    return bytes;
  }

  @Test
  void oneProcessLoadsManySnapshotsAndSurvivesNoneThatKillIt() throws Exception {
    try (SandboxWorker worker =
        new SandboxWorker(command(), Duration.ofSeconds(60), Duration.ofMinutes(1))) {
      for (int i = 0; i < 200; i++) {
        worker.tryLoad(snapshot("page " + i));
      }
      assertTrue(worker.running());
      // Bytes Automerge refuses with an error: refused, the process goes on.
      PeerDataException bad =
          assertThrows(PeerDataException.class, () -> worker.tryLoad(new byte[] {1, 2, 3}));
      assertTrue(bad.getMessage().contains("isolation"), bad.getMessage());
      assertTrue(worker.running());
      // Bytes that abort the JVM: refused; only the sandbox process died.
      byte[] killer = Crashers.bytes(Crashers.LOAD);
      PeerDataException died = assertThrows(PeerDataException.class, () -> worker.tryLoad(killer));
      assertTrue(died.getMessage().contains("died"), died.getMessage());
      assertFalse(worker.running());
      // The next snapshot gets a new process.
      worker.tryLoad(snapshot("after"));
      assertTrue(worker.running());
    }
  }

  @Test
  void anIdleProcessIsStopped() throws Exception {
    try (SandboxWorker worker =
        new SandboxWorker(command(), Duration.ofSeconds(60), Duration.ofMillis(300))) {
      worker.tryLoad(snapshot("x"));
      assertTrue(worker.running());
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (worker.running() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertFalse(worker.running());
      worker.tryLoad(snapshot("y"));
      assertTrue(worker.running());
    }
  }

  @Test
  void aChildThatDoesNotAnswerInTimeIsKilledAndBlamesNobody() throws Exception {
    // Reads nothing and never answers ("--serve" is appended as the script's $1).
    List<String> silent = List.of("/bin/sh", "-c", "exec sleep 60", "sandbox");
    try (SandboxWorker worker =
        new SandboxWorker(silent, Duration.ofMillis(500), Duration.ofMinutes(1))) {
      long start = System.nanoTime();
      StoreException e = assertThrows(StoreException.class, () -> worker.tryLoad(snapshot("x")));
      long took = System.nanoTime() - start;
      assertTrue(e.getMessage().contains("longer than"), e.getMessage());
      assertTrue(took >= Duration.ofMillis(500).toNanos(), "gave up before the timeout");
      assertTrue(took < Duration.ofSeconds(30).toNanos(), "waited for the child to end by itself");
      assertFalse(worker.running());
    }
  }

  @Test
  void aChildThatEndsWithoutACrashBlamesNobody() throws Exception {
    List<String> quits = List.of("/bin/sh", "-c", "exit 7", "sandbox");
    try (SandboxWorker worker =
        new SandboxWorker(quits, Duration.ofSeconds(60), Duration.ofMinutes(1))) {
      StoreException e = assertThrows(StoreException.class, () -> worker.tryLoad(snapshot("x")));
      assertTrue(e.getMessage().contains("exit status 7"), e.getMessage());
    }
  }
}

package org.dure.store.sync;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.dure.store.doc.StoreException;

/**
 * A {@link NativeSandbox} that keeps one child process ({@link SandboxMain} {@code --serve}) and
 * sends it one snapshot after another, so loading a snapshot in isolation costs a pipe transfer and
 * the load, not a JVM start (which made the cold sync of a wiki take minutes). A snapshot that
 * kills the process is refused; the next load starts a new process. An idle process is stopped
 * after a while. One load at a time. A process that cannot start, answers too late or ends other
 * than by a crash in native code is a local fault ({@link StoreException}), not the snapshot's.
 */
final class SandboxWorker implements NativeSandbox, AutoCloseable {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(SandboxWorker.class);
  private static final String END = "\u0000end";
  private static final ScheduledExecutorService IDLE =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "dure-sandbox-idle");
            t.setDaemon(true);
            return t;
          });

  private final List<String> command;
  private final Duration timeout;
  private final Duration idle;
  private Process process;
  private DataOutputStream toChild;
  private InputStream fromChild;
  private long lastUse;
  private boolean idleCheckScheduled;

  SandboxWorker(List<String> command, Duration timeout, Duration idle) {
    this.command = List.copyOf(command);
    this.timeout = timeout;
    this.idle = idle;
  }

  @Override
  public synchronized void tryLoad(byte[] snapshot) throws PeerDataException {
    try {
      load(snapshot);
    } finally {
      lastUse = System.nanoTime(); // idle counts from the end of the last load
    }
  }

  private void load(byte[] snapshot) throws PeerDataException {
    if (snapshot.length > SandboxMain.MAX_BYTES) {
      throw new PeerDataException("The snapshot is too large to load in isolation");
    }
    ensureStarted();
    lastUse = System.nanoTime();
    String answer;
    try {
      toChild.writeInt(snapshot.length);
      toChild.write(snapshot);
      toChild.flush();
      answer = answer(process, fromChild);
    } catch (IOException e) {
      answer = END; // the process is gone: its exit status tells why
    }
    if (answer == null) {
      stop();
      // Slow here is not proof of a bad snapshot (a busy machine, a large document): not blamed.
      throw new StoreException(
          "Loading a snapshot in isolation took longer than " + timeout + " (a local fault)");
    }
    if (answer.equals(END)) {
      Process p = process;
      stop();
      Integer status = exitStatus(p);
      if (status != null && NativeSandbox.isNativeCrash(status)) {
        throw new PeerDataException(
            "The snapshot crashed Automerge in isolation (the process died, exit status "
                + status
                + ")");
      }
      throw new StoreException(
          "The sandbox process ended while loading a snapshot (exit status "
              + (status == null ? "unknown" : status)
              + ", not a crash in native code: a local fault)");
    }
    if (!answer.equals(SandboxMain.OK)) {
      throw new PeerDataException(
          "The snapshot could not be loaded in isolation: "
              + (answer.startsWith("ERR ") ? answer.substring(4) : answer));
    }
  }

  /**
   * Reads the child's answer to a load on this thread (no reader thread to hand it over: under load
   * each thread woken on the way added milliseconds per snapshot): one line, or {@link #END} if the
   * process is gone, or null if it did not answer within the timeout (it is then killed, which ends
   * the read).
   */
  private String answer(Process p, InputStream in) throws IOException {
    AtomicBoolean late = new AtomicBoolean();
    ScheduledFuture<?> kill =
        IDLE.schedule(
            () -> {
              late.set(true);
              // Its children too: one holding the pipe open would keep the read waiting.
              p.descendants().forEach(ProcessHandle::destroyForcibly);
              p.destroyForcibly();
            },
            timeout.toMillis(),
            TimeUnit.MILLISECONDS);
    StringBuilder line = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      if (line.length() < 1000) {
        line.append((char) b);
      }
    }
    if (!kill.cancel(false) || late.get()) {
      return null; // killed as too slow (even if an answer came in the meantime)
    }
    return b < 0
        ? END
        : new String(line.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
  }

  /** The exit status of a process that ended (or should end very soon); null if unknown. */
  private static Integer exitStatus(Process p) {
    try {
      return p.waitFor(5, TimeUnit.SECONDS) ? p.exitValue() : null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /**
   * Replays native work in a process of its own ({@code --replay}, see {@link SandboxMain}), so a
   * crash names the step it happened in.
   */
  @Override
  public NativeSandbox.Replay replay(byte[] document, boolean stored, byte[] syncMessage) {
    List<String> cmd = new ArrayList<>(command);
    cmd.add("--replay");
    Process p;
    try {
      p =
          new ProcessBuilder(cmd)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .redirectOutput(ProcessBuilder.Redirect.PIPE)
              .start();
    } catch (IOException e) {
      LOG.warn("Cannot start a process to replay native work: {}", e.toString());
      return NativeSandbox.Replay.UNKNOWN;
    }
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = readLines(p, lines, "dure-sandbox-replay");
    try (DataOutputStream out =
        new DataOutputStream(new java.io.BufferedOutputStream(p.getOutputStream(), 1 << 16))) {
      out.writeByte(stored ? 1 : 0);
      out.writeInt(document.length);
      out.write(document);
      out.writeInt(syncMessage == null ? -1 : syncMessage.length);
      if (syncMessage != null) {
        out.write(syncMessage);
      }
    } catch (IOException e) {
      // it died reading (or never ran): the lines and the exit status tell
    }
    String last = null;
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (line == null) {
          p.destroyForcibly();
          LOG.warn("Replaying native work took longer than {}", timeout);
          return NativeSandbox.Replay.UNKNOWN;
        }
        if (line.equals(END)) {
          break;
        }
        if (!line.startsWith("ERR ")) {
          last = line;
        }
      }
      reader.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      return NativeSandbox.Replay.UNKNOWN;
    }
    Integer status = exitStatus(p);
    if (SandboxMain.OK.equals(last) && status != null && status == 0) {
      return new NativeSandbox.Replay(NativeSandbox.Outcome.SURVIVED, -1);
    }
    if (status == null || !NativeSandbox.isNativeCrash(status) || SandboxMain.OK.equals(last)) {
      p.destroyForcibly();
      LOG.warn("A replay of native work ended with exit status {} after {}", status, last);
      return NativeSandbox.Replay.UNKNOWN;
    }
    if (last == null) {
      return new NativeSandbox.Replay(NativeSandbox.Outcome.CRASHED_LOADING, -1);
    }
    if (last.startsWith("CHANGE ")) {
      return new NativeSandbox.Replay(
          NativeSandbox.Outcome.CRASHED_APPLYING_CHANGE, Integer.parseInt(last.substring(7)));
    }
    if (last.equals("RECEIVE")) {
      return new NativeSandbox.Replay(NativeSandbox.Outcome.CRASHED_RECEIVING, -1);
    }
    // After LOADED without a message, or after RECEIVE was done: saving crashed it.
    return new NativeSandbox.Replay(
        syncMessage == null
            ? NativeSandbox.Outcome.CRASHED_LOADING
            : NativeSandbox.Outcome.CRASHED_RECEIVING,
        -1);
  }

  /** Reads a process's output lines into {@code queue}, then {@link #END}. */
  private static Thread readLines(Process p, BlockingQueue<String> queue, String name) {
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  queue.add(line.length() > 1000 ? line.substring(0, 1000) : line);
                }
              } catch (IOException e) {
                // ended
              }
              queue.add(END);
            },
            name);
    reader.setDaemon(true);
    reader.start();
    return reader;
  }

  private void ensureStarted() {
    if (process != null && process.isAlive()) {
      return;
    }
    stop();
    List<String> cmd = new ArrayList<>(command);
    cmd.add("--serve");
    Process p;
    try {
      p =
          new ProcessBuilder(cmd)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .redirectOutput(ProcessBuilder.Redirect.PIPE)
              .start();
    } catch (IOException e) {
      throw new StoreException(
          "Cannot start the sandbox process (a local fault): " + e.getMessage(), e);
    }
    process = p;
    fromChild = new BufferedInputStream(p.getInputStream(), 1 << 12);
    toChild = new DataOutputStream(new java.io.BufferedOutputStream(p.getOutputStream(), 1 << 16));
    if (!idleCheckScheduled) {
      idleCheckScheduled = true;
      IDLE.schedule(this::stopIfIdle, idle.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private synchronized void stopIfIdle() {
    idleCheckScheduled = false;
    if (process == null) {
      return;
    }
    long idleFor = System.nanoTime() - lastUse;
    if (idleFor >= idle.toNanos()) {
      stop();
    } else {
      idleCheckScheduled = true;
      IDLE.schedule(
          this::stopIfIdle, (idle.toNanos() - idleFor) / 1_000_000 + 1, TimeUnit.MILLISECONDS);
    }
  }

  private void stop() {
    if (process == null) {
      return;
    }
    try {
      toChild.close(); // the child ends at the end of its input
    } catch (IOException ignored) {
      // already gone
    }
    Process p = process;
    process = null;
    toChild = null;
    fromChild = null;
    try {
      if (!p.waitFor(2, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** Whether a child process is running now (for tests). */
  synchronized boolean running() {
    return process != null && process.isAlive();
  }

  @Override
  public synchronized void close() {
    stop();
  }
}

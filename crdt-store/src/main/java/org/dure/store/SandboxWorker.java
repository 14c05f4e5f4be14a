package org.dure.store;

import java.io.BufferedReader;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A {@link NativeSandbox} that keeps one child process ({@link SandboxMain} {@code --serve}) and
 * sends it one snapshot after another, so loading a snapshot in isolation costs a pipe transfer and
 * the load, not a JVM start (which made the cold sync of a wiki take minutes). A snapshot that
 * kills the process is refused; the next load starts a new process. An idle process is stopped
 * after a while. One load at a time.
 */
final class SandboxWorker implements NativeSandbox, AutoCloseable {
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
  private BlockingQueue<String> answers;
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
      answer = answers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (IOException e) {
      answer = END; // the process is gone: its exit status tells why
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop();
      throw new PeerDataException("Interrupted while loading the snapshot in isolation", e);
    }
    if (answer == null) {
      stop();
      throw new PeerDataException("Loading the snapshot took longer than " + timeout);
    }
    if (answer.equals(END)) {
      Process p = process;
      stop();
      String status;
      try {
        status = p.waitFor(5, TimeUnit.SECONDS) ? String.valueOf(p.exitValue()) : "unknown";
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        status = "unknown";
      }
      throw new PeerDataException(
          "The snapshot could not be loaded in isolation (the process died, exit status "
              + status
              + ")");
    }
    if (!answer.equals(SandboxMain.OK)) {
      throw new PeerDataException(
          "The snapshot could not be loaded in isolation: "
              + (answer.startsWith("ERR ") ? answer.substring(4) : answer));
    }
  }

  private void ensureStarted() throws PeerDataException {
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
      throw new PeerDataException("Cannot start the sandbox process: " + e.getMessage(), e);
    }
    BlockingQueue<String> queue = new LinkedBlockingQueue<>();
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
            "dure-sandbox-answers");
    reader.setDaemon(true);
    reader.start();
    process = p;
    answers = queue;
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
    answers = null;
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

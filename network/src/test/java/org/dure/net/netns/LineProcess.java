package org.dure.net.netns;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A child process of a test (a peer in a network namespace) spoken to by lines: its stdout and
 * stderr lines are kept, lines go to its stdin, and closing stdin asks it to stop.
 */
public class LineProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final List<String> out = new ArrayList<>();
  private final List<String> err = new ArrayList<>();

  public LineProcess(String name, Process process) {
    this.name = name;
    this.process = process;
    pump(process.inputReader(StandardCharsets.UTF_8), out);
    pump(
        new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)),
        err);
  }

  private static void pump(BufferedReader reader, List<String> lines) {
    Thread.ofPlatform()
        .daemon()
        .name("line-process-pump")
        .start(
            () -> {
              try (reader) {
                String line;
                while ((line = reader.readLine()) != null) {
                  synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                  }
                }
              } catch (IOException e) {
                // process gone
              }
            });
  }

  /** Writes one line to the child's stdin. */
  public void send(String line) throws IOException {
    process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().flush();
  }

  /** Number of stdout lines so far. */
  public int lines() {
    synchronized (out) {
      return out.size();
    }
  }

  /** The first stdout line matching {@code p}, waiting up to {@code timeout}. */
  public String await(Predicate<String> p, Duration timeout, String what)
      throws InterruptedException {
    return await(p, timeout, what, 0);
  }

  /** The first stdout line from index {@code from} on matching {@code p}. */
  public String await(Predicate<String> p, Duration timeout, String what, int from)
      throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    synchronized (out) {
      int seen = from;
      while (true) {
        for (; seen < out.size(); seen++) {
          if (p.test(out.get(seen))) {
            return out.get(seen);
          }
        }
        long left = end - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              "timed out waiting for " + what + " from [" + name + "]\n" + describe());
        }
        TimeUnit.NANOSECONDS.timedWait(out, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
      }
    }
  }

  /** Whether some stderr line so far contains {@code text}. */
  public boolean stderrContains(String text) {
    synchronized (err) {
      return err.stream().anyMatch(l -> l.contains(text));
    }
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** Its stdout, the tail of its stderr, and whether it still runs: for failure messages. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    synchronized (out) {
      sb.append("stdout:\n  ").append(String.join("\n  ", out));
    }
    synchronized (err) {
      List<String> tail = err.subList(Math.max(0, err.size() - 40), err.size());
      sb.append("\nstderr (tail):\n  ").append(String.join("\n  ", tail));
    }
    return sb.append("\nalive: ").append(process.isAlive()).toString();
  }

  /** Closes stdin (the peers stop then), and ends the process if it has not after 5 s. */
  @Override
  public void close() {
    try {
      process.getOutputStream().close();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}

package org.dure.store.format;

import java.io.BufferedReader;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Hands inputs to Automerge's native code in child JVMs ({@link NativeFuzzChild}), so that an input
 * that aborts the process is caught and named instead of ending the run: after a child dies on
 * input {@code i}, a new child goes on from {@code i + 1}.
 */
public final class NativeFuzzRunner {
  /** A child that prints nothing for this long is stuck on its current input and is killed. */
  public static final int STALL_SECONDS = 20;

  /**
   * One input: {@code kind} 0 a saved document (loaded), 1 change chunks (applied to {@code base}),
   * 2 a sync message (received by {@code base}); {@code base} empty for a new document.
   */
  public record Case(int kind, byte[] base, byte[] data, String how) {}

  /**
   * What the children did: the cases that killed one (a crash), the cases one was stuck on (killed
   * after {@link #STALL_SECONDS}), and the Rust panic messages the dead ones printed.
   */
  public record Outcome(List<Integer> crashed, List<Integer> stalled, List<String> panics) {}

  private NativeFuzzRunner() {}

  /**
   * Runs {@code cases} through native code, in {@code dir} (for the cases file and the children's
   * standard error); stops after {@code maxFindings} crashes and stalls.
   */
  public static Outcome run(List<Case> cases, Path dir, int maxFindings)
      throws IOException, InterruptedException {
    Path file = dir.resolve("cases.bin");
    try (DataOutputStream out =
        new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file)))) {
      for (Case c : cases) {
        out.writeByte(c.kind());
        out.writeInt(c.base().length);
        out.write(c.base());
        out.writeInt(c.data().length);
        out.write(c.data());
      }
    }
    List<Integer> crashed = new ArrayList<>();
    List<Integer> stalled = new ArrayList<>();
    List<String> panics = new ArrayList<>();
    int from = 0;
    try {
      while (from < cases.size() && crashed.size() + stalled.size() < maxFindings) {
        int[] died = runChild(file, dir, from, panics);
        if (died == null) {
          break;
        }
        (died[1] == 1 ? stalled : crashed).add(died[0]);
        from = died[0] + 1;
      }
    } finally {
      Files.deleteIfExists(file);
    }
    return new Outcome(crashed, stalled, panics);
  }

  /**
   * Runs a child from case {@code from}; null if it finished, else the case it died on and 1 if it
   * was stuck there (0 if it died by itself).
   */
  private static int[] runChild(Path file, Path dir, int from, List<String> panics)
      throws IOException, InterruptedException {
    Path err = dir.resolve("child.err");
    String java = ProcessHandle.current().info().command().orElse("java");
    Process child =
        new ProcessBuilder(
                java,
                "-Xmx512m",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                "--enable-native-access=ALL-UNNAMED",
                NativeFuzzChild.class.getName(),
                file.toString(),
                Integer.toString(from))
            .redirectError(err.toFile())
            .start();
    int started = -1;
    boolean ended = false;
    boolean stuck = false;
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                  lines.add(line);
                }
              } catch (IOException e) {
                // the child died; what it printed before is in the queue
              } finally {
                lines.add("EOF");
              }
            },
            "native-fuzz-reader");
    reader.setDaemon(true);
    reader.start();
    try {
      while (true) {
        String line = lines.poll(STALL_SECONDS, TimeUnit.SECONDS);
        if (line == null) {
          panics.add("case " + started + ": no progress for " + STALL_SECONDS + " s (killed)");
          stuck = true;
          child.destroyForcibly();
          break;
        }
        if (line.equals("EOF")) {
          break;
        }
        if (line.startsWith("START ")) {
          started = Integer.parseInt(line.substring(6));
        } else if (line.equals("END")) {
          ended = true;
        }
      }
    } finally {
      if (!child.waitFor(30, TimeUnit.SECONDS)) {
        child.destroyForcibly();
      }
    }
    if (ended) {
      return null;
    }
    if (started < 0) {
      throw new IOException(
          "The native fuzz child died before its first case: "
              + String.join(" / ", Files.readAllLines(err, StandardCharsets.UTF_8)));
    }
    List<String> errLines = Files.readAllLines(err, StandardCharsets.UTF_8);
    for (int i = 0; i < errLines.size(); i++) {
      if (errLines.get(i).contains("panicked at")) {
        panics.add(
            "case "
                + started
                + ": "
                + errLines.get(i).replaceAll(".*/src/", "")
                + " "
                + (i + 1 < errLines.size() ? errLines.get(i + 1) : ""));
      }
    }
    return new int[] {started, stuck ? 1 : 0};
  }
}

package org.dure.net.netns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Runs the commands that build a test's network namespaces ({@code ip}, {@code iptables}). */
public final class Shell {
  private Shell() {}

  /** What a command printed (stdout and stderr together), and its exit status. */
  public record Result(int exit, String output) {}

  /** Runs {@code command} (at most 30 s). */
  public static Result run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("timed out: " + String.join(" ", command));
    }
    return new Result(p.exitValue(), output);
  }

  /** Runs {@code command} and fails unless it exits with 0. */
  public static void check(String... command) throws IOException, InterruptedException {
    Result r = run(command);
    if (r.exit() != 0) {
      throw new IOException(
          String.join(" ", command) + " failed (" + r.exit() + "): " + r.output());
    }
  }
}

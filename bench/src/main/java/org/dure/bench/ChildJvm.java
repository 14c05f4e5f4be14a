package org.dure.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a benchmark variant in its own JVM, so that its peak RSS is its own and one variant's
 * garbage or native memory cannot slow down the next.
 *
 * <p>The child is a class with a {@code main}; it reports by printing lines {@code RESULT key
 * value} on stdout (see {@link #report}). Every other line of its output is passed through to this
 * process's stderr, as progress.
 */
public final class ChildJvm {
  private static final String PREFIX = "RESULT ";

  private ChildJvm() {}

  /** Prints one result line from inside a child. */
  public static void report(String key, Object value) {
    System.out.println(PREFIX + key + " " + value);
    System.out.flush();
  }

  /** Prints the child's peak RSS as the result {@code peakRss} (bytes), when the OS says it. */
  public static void reportPeakRss() {
    Proc.peakRssBytes().ifPresent(b -> report("peakRss", b));
  }

  /**
   * Runs {@code main} of {@code mainClass} in a child JVM with this JVM's class path, the given JVM
   * options and arguments; returns its results in the order they were reported.
   *
   * @throws IllegalStateException if the child exits with a non-zero status
   */
  public static Map<String, String> run(
      Class<?> mainClass, List<String> jvmOptions, List<String> args)
      throws IOException, InterruptedException {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> command = new ArrayList<>();
    command.add(java);
    command.add("--enable-native-access=ALL-UNNAMED");
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass.getName());
    command.addAll(args);
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    Map<String, String> results = new LinkedHashMap<>();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith(PREFIX)) {
          String rest = line.substring(PREFIX.length());
          int space = rest.indexOf(' ');
          results.put(rest.substring(0, space), rest.substring(space + 1));
        } else {
          System.err.println("  " + line);
        }
      }
    }
    int status = process.waitFor();
    if (status != 0) {
      throw new IllegalStateException(
          mainClass.getSimpleName() + " " + args + " exited with " + status);
    }
    return results;
  }
}

package org.dure.store;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs native work on untrusted bytes where a crash cannot hurt: Automerge-Java aborts the whole
 * JVM (a Rust panic) on some crafted inputs, so a snapshot from a peer is first loaded by a
 * disposable child process, and only if that survives by this one.
 */
public interface NativeSandbox {

  /**
   * Loads {@code snapshot} as an Automerge document in isolation.
   *
   * @throws PeerDataException if the load fails or kills the isolated process
   */
  void tryLoad(byte[] snapshot) throws PeerDataException;

  /**
   * One long-lived child process started with {@code command} (which must run {@link SandboxMain};
   * {@code --serve} is appended) that loads snapshot after snapshot; replaced when a snapshot kills
   * it, stopped when idle for a minute.
   */
  static NativeSandbox worker(List<String> command, Duration timeout) {
    return new SandboxWorker(command, timeout, Duration.ofMinutes(1));
  }

  /**
   * A {@link #worker} JVM with this JVM's class path running {@link SandboxMain}: right when the
   * class path holds crdt-store and Automerge as plain jars or directories (tests, tools); an
   * application packaged as one jar passes its own command to {@link #worker}.
   */
  static NativeSandbox childJvm() {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.addAll(jvmOptions());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(SandboxMain.class.getName());
    return worker(cmd, Duration.ofSeconds(60));
  }

  /** JVM options for a sandbox process: a small heap, quick start. */
  static List<String> jvmOptions() {
    return List.of(
        "-Xmx256m",
        "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1",
        "--enable-native-access=ALL-UNNAMED");
  }
}

package org.dure.store.sync;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.dure.store.doc.StoreException;

/**
 * Runs native work on untrusted bytes where a crash cannot hurt: Automerge-Java aborts the whole
 * JVM (a Rust panic) on some crafted inputs, so a snapshot from a peer is first loaded by a
 * disposable child process, and only if that survives by this one. After a crash with several
 * inputs in native code at once, each is replayed alone here to find the one that crashes ({@link
 * #replay}).
 *
 * <p>Only a child that dies as a process does when native code crashes ({@link #isNativeCrash})
 * counts against the input. A child that cannot be started, takes too long or ends otherwise is a
 * local fault ({@link StoreException}): the input is not blamed.
 */
public interface NativeSandbox {

  /**
   * Loads {@code snapshot} as an Automerge document in isolation.
   *
   * @throws PeerDataException if Automerge refuses the snapshot or crashes the isolated process on
   *     it
   * @throws StoreException if the isolated process cannot run the load (it does not start, takes
   *     too long, or ends other than by a crash in native code): a local fault, not the sender's
   */
  void tryLoad(byte[] snapshot) throws PeerDataException;

  /** How replaying native work alone in isolation ended. */
  enum Outcome {
    /** Native code survived (it may have refused the input with an error). */
    SURVIVED,
    /** The process crashed loading the document. */
    CRASHED_LOADING,
    /** The process crashed applying one of the sync message's changes ({@link Replay#change}). */
    CRASHED_APPLYING_CHANGE,
    /** The process crashed receiving the sync message after its changes applied alone. */
    CRASHED_RECEIVING,
    /** The replay could not tell (it could not run, timed out, or the process ended otherwise). */
    UNKNOWN
  }

  /**
   * What {@link #replay} found.
   *
   * @param change the index (in the message) of the change chunk being applied when the process
   *     crashed, for {@link Outcome#CRASHED_APPLYING_CHANGE}; else -1
   */
  record Replay(Outcome outcome, int change) {
    public static final Replay UNKNOWN = new Replay(Outcome.UNKNOWN, -1);
  }

  /**
   * Replays native work in isolation: loads {@code document} (a snapshot as {@code Document.load}
   * does; or, if {@code stored}, a stored document's snapshot and changes as the store loads them),
   * then, if {@code syncMessage} is not null, applies the message's changes one by one and receives
   * the message. A sandbox that cannot replay answers {@link Replay#UNKNOWN}.
   */
  default Replay replay(byte[] document, boolean stored, byte[] syncMessage) {
    return Replay.UNKNOWN;
  }

  /**
   * Whether a process ended with {@code status} as one does when native code crashes: SIGABRT or
   * SIGSEGV on Linux and macOS (134, 139); {@code abort()} (3), a fail-fast abort (0xC0000409) or
   * an access violation (0xC0000005) on Windows.
   */
  static boolean isNativeCrash(int status) {
    return Set.of(134, 139, 3, 0xC0000409, 0xC0000005).contains(status);
  }

  /**
   * One long-lived child process started with {@code command} (which must run {@link SandboxMain};
   * {@code --serve} is appended) that loads snapshot after snapshot; replaced when a snapshot kills
   * it, stopped when idle for a minute. Replays start a process of their own ({@code --replay}).
   */
  static NativeSandbox worker(List<String> command, Duration timeout) {
    return new SandboxWorker(command, timeout, Duration.ofMinutes(1));
  }

  /**
   * A {@link #worker} JVM with this JVM's class path running {@link SandboxMain}: right when the
   * class path holds crdt-store and Automerge as plain jars or directories (tests, tools); an
   * application packaged as one jar passes its own command ({@code StoreOptions.sandboxCommand}).
   */
  static NativeSandbox childJvm() {
    return worker(childJvmCommand(), Duration.ofSeconds(60));
  }

  /** The command of {@link #childJvm}. */
  static List<String> childJvmCommand() {
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
    return cmd;
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

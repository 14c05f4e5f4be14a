package org.dure.store.sync;

/**
 * What the sync ingest may be told while it runs: the size limits of peers' input, the sandbox
 * snapshots are first loaded in, and (for crash tests only) whether sync messages are validated.
 */
final class IngestSettings {
  private volatile Untrusted.Limits limits = Untrusted.Limits.DEFAULTS;
  private volatile NativeSandbox sandbox;

  /**
   * Off only in tests that make native code crash on purpose (a child JVM that hands a committed
   * crasher to Automerge, to test what a crash leaves behind); the application never turns it off.
   */
  private volatile boolean validateSyncMessages = true;

  IngestSettings(NativeSandbox sandbox) {
    this.sandbox = sandbox;
  }

  Untrusted.Limits limits() {
    return limits;
  }

  void limits(Untrusted.Limits limits) {
    this.limits = limits;
  }

  NativeSandbox sandbox() {
    return sandbox;
  }

  void sandbox(NativeSandbox sandbox) {
    this.sandbox = sandbox;
  }

  boolean validateSyncMessages() {
    return validateSyncMessages;
  }

  /** See {@link #validateSyncMessages}: for crash tests only. */
  void handUnvalidatedSyncMessagesToNativeCode() {
    validateSyncMessages = false;
  }
}

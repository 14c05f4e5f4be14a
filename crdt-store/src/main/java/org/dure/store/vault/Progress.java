package org.dure.store.vault;

/** How far a long export or import is; called from the thread doing it. */
@FunctionalInterface
public interface Progress {
  /** {@code done} of {@code total} steps (pages or files) are done. */
  void update(int done, int total);

  Progress NONE = (done, total) -> {};
}

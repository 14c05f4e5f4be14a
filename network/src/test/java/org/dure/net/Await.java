package org.dure.net;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting in tests for a condition that other threads make true, never for a set time. */
public final class Await {
  private Await() {}

  /**
   * Returns as soon as {@code done} holds, checking every few milliseconds.
   *
   * @throws AssertionError "timed out waiting until {@code what}" if it still does not after {@code
   *     within}
   */
  public static void until(String what, Duration within, BooleanSupplier done)
      throws InterruptedException {
    long end = System.nanoTime() + within.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() - end > 0) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(5);
    }
  }
}

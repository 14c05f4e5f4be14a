package org.dure.net.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class UploadLimiterTest {
  private final AtomicLong now = new AtomicLong();

  @Test
  void unlimitedNeverHoldsBack() {
    UploadLimiter l = new UploadLimiter(0, now::get);
    assertEquals(0, l.take(100L << 20));
  }

  @Test
  void debtIsPaidAtTheRate() {
    UploadLimiter l = new UploadLimiter(1000, now::get);
    // The bucket starts empty: 1000 bytes at 1000 B/s wait a second.
    assertEquals(1_000_000_000L, l.take(1000));
    // Another connection debits too: it waits behind the first.
    assertEquals(1_500_000_000L, l.take(500));
    now.addAndGet(1_500_000_000L);
    assertEquals(0, l.take(0));
  }

  @Test
  void idleTimeFillsOnlyAShortBurst() {
    UploadLimiter l = new UploadLimiter(100_000, now::get);
    now.addAndGet(60_000_000_000L); // a minute idle
    // At most max(4 KiB, rate/5) = 20,000 bytes are free.
    assertEquals(0, l.take(20_000));
    assertTrue(l.take(1000) > 0);
  }

  @Test
  void aWriterThatWakesUpLateLosesNoneOfTheRate() {
    UploadLimiter l = new UploadLimiter(100_000, now::get);
    long first = l.take(100_000);
    assertEquals(1_000_000_000L, first);
    now.addAndGet(first + 150_000_000L); // it sent 150 ms late: the machine was busy
    // The late 150 ms are made up: 200,000 bytes still take 2 s in all.
    assertEquals(850_000_000L, l.take(100_000));
  }

  @Test
  void rateChangesLive() {
    UploadLimiter l = new UploadLimiter(1000, now::get);
    l.setBytesPerSecond(0);
    assertEquals(0, l.take(1 << 20));
    l.setBytesPerSecond(2000);
    assertEquals(500_000_000L, l.take(1000));
    assertThrows(IllegalArgumentException.class, () -> l.setBytesPerSecond(-1));
  }
}

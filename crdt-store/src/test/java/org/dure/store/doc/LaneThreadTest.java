package org.dure.store.doc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LaneThreadTest {

  @Test
  void everyTaskRunsOnTheLaneThreadInSubmissionOrder() throws Exception {
    LaneThread lane = new LaneThread("test-lane");
    AtomicReference<Thread> seen = new AtomicReference<>();
    List<Integer> order = Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < 1000; i++) {
      int n = i;
      lane.call(
          () -> {
            Thread t = Thread.currentThread();
            assertTrue(seen.compareAndSet(null, t) || seen.get() == t, "one thread");
            order.add(n);
            return null;
          });
    }
    assertEquals(1000, order.size());
    for (int i = 0; i < 1000; i++) {
      assertEquals(i, order.get(i));
    }
    assertTrue(lane.stop(() -> {}, 5000));
  }

  @Test
  void manyCallersAreServedAndGetTheirOwnResults() throws Exception {
    LaneThread lane = new LaneThread("test-lane");
    int callers = 8;
    CountDownLatch done = new CountDownLatch(callers);
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    long[] counter = {0}; // touched only on the lane: no synchronisation needed
    for (int c = 0; c < callers; c++) {
      int id = c;
      Thread t =
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < 2000; i++) {
                    int expect = id * 1_000_000 + i;
                    int got =
                        lane.call(
                            () -> {
                              counter[0]++;
                              return expect;
                            });
                    assertEquals(expect, got);
                  }
                } catch (Throwable e) {
                  failures.add(e);
                } finally {
                  done.countDown();
                }
              });
      t.start();
    }
    done.await();
    assertEquals(List.of(), failures);
    assertEquals(callers * 2000L, lane.call(() -> counter[0]));
  }

  @Test
  void exceptionsAndErrorsReachTheCallerUnchanged() {
    LaneThread lane = new LaneThread("test-lane");
    IllegalStateException ise = new IllegalStateException("boom");
    assertSame(
        ise,
        assertThrows(
            IllegalStateException.class,
            () ->
                lane.call(
                    () -> {
                      throw ise;
                    })));
    AssertionError err = new AssertionError("bad");
    assertSame(
        err,
        assertThrows(
            AssertionError.class,
            () ->
                lane.call(
                    () -> {
                      throw err;
                    })));
    StoreException wrapped =
        assertThrows(
            StoreException.class,
            () ->
                lane.call(
                    () -> {
                      throw new java.io.IOException("disk");
                    }));
    assertEquals("disk", wrapped.getMessage());
    // The lane survives its tasks' failures.
    assertEquals(42, lane.call(() -> 42));
  }

  @Test
  void aCallFromTheLaneItselfRunsInlineAndAStoppedLaneRefusesWork() {
    LaneThread lane = new LaneThread("test-lane");
    assertEquals(7, lane.call(() -> lane.call(() -> 7)));
    List<String> last = new ArrayList<>();
    assertTrue(lane.stop(() -> last.add("cleaned up"), 5000));
    assertEquals(List.of("cleaned up"), last);
    assertThrows(StoreException.class, () -> lane.call(() -> 1));
  }
}

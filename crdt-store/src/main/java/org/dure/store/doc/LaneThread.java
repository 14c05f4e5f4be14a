package org.dure.store.doc;

import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One thread that runs submitted tasks in order, handing work over with a short spin before parking
 * on both sides. A document call is a few microseconds of work, and parking and waking a thread
 * costs more than that (17–60 µs measured on a 2-core machine with an executor), so the lane and a
 * waiting caller first spin for {@link #SPIN_NANOS} and only then park.
 */
final class LaneThread {
  /** How long a lane or a caller spins before parking. */
  static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

  private final ConcurrentLinkedQueue<Task<?>> queue = new ConcurrentLinkedQueue<>();
  private final java.util.function.BooleanSupplier idleWork;
  private final Thread thread;
  private volatile boolean parked;
  private volatile boolean stopping;

  LaneThread(String name) {
    this(name, () -> false);
  }

  /**
   * A lane that calls {@code idleWork} on its thread when no task came for {@link #SPIN_NANOS} (and
   * again while it returns true, checking for tasks in between) before it parks.
   */
  LaneThread(String name, java.util.function.BooleanSupplier idleWork) {
    this.idleWork = idleWork;
    thread = new Thread(this::loop, name);
    thread.setDaemon(true);
    thread.start();
  }

  boolean isCurrent() {
    return Thread.currentThread() == thread;
  }

  /**
   * Runs {@code task} on this thread and returns its result; runs it directly when called from this
   * thread.
   *
   * @throws StoreException if the lane has stopped or the caller is interrupted
   */
  <T> T call(Callable<T> task) {
    if (isCurrent()) {
      return Task.unwrap(() -> task.call());
    }
    if (stopping) {
      throw new StoreException("The document store is closed");
    }
    Task<T> t = new Task<>(task, Thread.currentThread());
    queue.add(t);
    if (parked) {
      LockSupport.unpark(thread);
    }
    return t.await();
  }

  /** Runs {@code last} after the queued tasks, then stops; waits up to {@code millis}. */
  boolean stop(Runnable last, long millis) {
    Task<Object> t =
        new Task<>(
            () -> {
              last.run();
              return null;
            },
            null);
    queue.add(t);
    stopping = true;
    LockSupport.unpark(thread);
    try {
      thread.join(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return !thread.isAlive();
  }

  private void loop() {
    while (true) {
      Task<?> t = queue.poll();
      if (t != null) {
        t.run();
        continue;
      }
      if (stopping) {
        return;
      }
      long deadline = System.nanoTime() + SPIN_NANOS;
      while (queue.isEmpty() && System.nanoTime() < deadline) {
        Thread.yield();
      }
      if (queue.isEmpty() && runIdleWork()) {
        continue;
      }
      if (queue.isEmpty()) {
        parked = true;
        if (queue.isEmpty() && !stopping) {
          LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(100));
        }
        parked = false;
      }
    }
  }

  private boolean runIdleWork() {
    try {
      return idleWork.getAsBoolean();
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(LaneThread.class).warn("Idle work failed", e);
      return false;
    }
  }

  private static final class Task<T> {
    private final Callable<T> body;
    private final Thread waiter;
    private volatile boolean done;
    private T result;
    private Throwable failure;

    Task(Callable<T> body, Thread waiter) {
      this.body = body;
      this.waiter = waiter;
    }

    void run() {
      try {
        result = body.call();
      } catch (Throwable e) {
        failure = e;
      }
      done = true;
      if (waiter != null) {
        LockSupport.unpark(waiter);
      }
    }

    T await() {
      long deadline = System.nanoTime() + SPIN_NANOS;
      while (!done && System.nanoTime() < deadline) {
        Thread.yield();
      }
      boolean interrupted = false;
      while (!done) {
        LockSupport.park(this);
        if (Thread.interrupted()) {
          interrupted = true;
        }
      }
      if (interrupted) {
        // The task ran (or will run) anyway; keep the caller's interrupt status for later.
        Thread.currentThread().interrupt();
      }
      if (failure != null) {
        return unwrap(
            () -> {
              throw failure instanceof Exception e ? e : new WrappedError((Error) failure);
            });
      }
      return result;
    }

    static <T> T unwrap(Callable<T> c) {
      try {
        return c.call();
      } catch (WrappedError e) {
        throw e.error;
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new StoreException(String.valueOf(e.getMessage()), e);
      }
    }
  }

  private static final class WrappedError extends Exception {
    final transient Error error;

    WrappedError(Error error) {
      super(error);
      this.error = error;
    }
  }
}

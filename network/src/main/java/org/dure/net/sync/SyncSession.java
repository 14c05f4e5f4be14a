package org.dure.net.sync;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import org.dure.identity.PeerId;
import org.dure.net.ProtocolViolationException;
import org.dure.net.host.Stream;
import org.dure.store.doc.StoreException;
import org.dure.store.sync.DocumentRef;
import org.dure.store.sync.StoreSync;
import org.dure.store.wiki.SpaceId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code /dure/sync/1.0.0} session on one stream: the I/O shell of a {@link SyncEngine}. A
 * reader (the calling thread of {@link #run}) decodes the peer's frames and feeds them to the
 * engine, pausing when a quota throttles the peer; a writer thread, the only one writing to the
 * stream, writes what the engine returns (control frames first, then queued documents round-robin:
 * one sync message or one snapshot chunk per turn) and waits when it has nothing. Resetting,
 * penalising and telling the service are done here.
 */
final class SyncSession {
  private static final Logger LOG = LoggerFactory.getLogger(SyncSession.class);

  final SyncService service;
  final Stream stream;
  final PeerId remote;
  final boolean dialer;
  private final String peer;
  private final StoreSync sync;
  private final SyncEngine engine;

  /** The session's input; the service's watchdog asks it whether a transfer stalled. */
  private volatile WatchedInput input;

  /**
   * This session's token in the store ({@link StoreSync#startSession}): a session that ended while
   * a thread of it was still busy cannot touch the sync state of the session that replaced it.
   * Taken when the service registers the session ({@link #beginInStore}), not when it starts
   * running: a session replaced before its thread ran must not take the token from its successor.
   */
  private volatile long syncSession;

  // Guarded by signal: counts the engine's wake-ups (the writer and a paused reader wait on it).
  private final Object signal = new Object();
  private long signals;

  private volatile boolean reset;
  private volatile Thread writer;

  // Writer thread only: frames written while more are queued, sent together (fewer Yamux and
  // Noise frames: 30 bytes of overhead each) when the queue runs dry or this much is pending.
  private final ByteArrayOutputStream pendingOut = new ByteArrayOutputStream();
  private static final int WRITE_BATCH = 32 * 1024;

  SyncSession(SyncService service, Stream stream, boolean dialer) {
    this.service = service;
    this.stream = stream;
    this.remote = stream.remotePeer();
    this.dialer = dialer;
    this.peer = remote.toString();
    this.sync = service.store().sync();
    this.engine =
        new SyncEngine(
            remote,
            SyncStore.of(sync, remote, () -> syncSession, service.policy()),
            service.policy(),
            service.config(),
            service.transferBudget(),
            service::quota,
            (docId, receiving, done, total) ->
                service.progress(remote, docId, receiving, done, total),
            this::wake,
            service.needs(),
            System::nanoTime);
  }

  /**
   * Starts this session in the store; called by the service when it registers this session as the
   * peer's one, atomically with that registration.
   */
  void beginInStore() {
    syncSession = sync.startSession(remote);
  }

  /** Runs the session until either side ends it; returns when the writer has finished too. */
  void run() {
    if (syncSession == 0) {
      beginInStore(); // not registered by a service (tests that run a session directly)
    }
    writer = Thread.ofVirtual().name("sync-writer " + peer).start(this::writeLoop);
    String reason = "closed";
    try {
      WatchedInput in = new WatchedInput(stream.inputStream());
      input = in;
      reason = readLoop(in);
    } catch (ProtocolViolationException e) {
      // Input read after the session ended (e.g. dropped as stalled meanwhile) is discarded.
      reason = engine.isEnded() ? "closed" : fault(e.getMessage());
    } catch (IOException e) {
      reason = engine.isEnded() ? "closed" : "stream failed: " + e.getMessage();
    } catch (StoreException e) {
      // A local fault (database, disk, the sandbox not running): not the peer's. The session ends
      // unpenalised; what was not applied is sent again in the next one.
      LOG.warn(
          "Sync with {} stopped by a local fault, not blamed on the peer: {}", peer, e.toString());
      reason = "local fault: " + e.getMessage();
      abort(reason);
      service.retryAfterLocalFault(stream.connection());
    } catch (RuntimeException e) {
      LOG.warn("Sync with {} failed", peer, e);
      reason = "internal error: " + e;
      abort(reason);
    }
    finish(reason);
    engine.release();
    try {
      if (!writer.join(Duration.ofSeconds(5))) {
        stream.reset(); // the writer is stuck on a peer that does not read: unblock it
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stream.reset();
    } finally {
      try {
        sync.endSession(remote, syncSession); // frees this session's sync states
      } catch (RuntimeException e) {
        LOG.debug("Sync with {}: ending the session in the store failed", peer, e);
      }
    }
  }

  /** Feeds the peer's frames to the engine until the session ends; returns why it ended. */
  private String readLoop(WatchedInput in) throws IOException {
    while (true) {
      SyncFrame f = SyncFrameCodec.read(in);
      if (f == null) {
        return "the peer closed the stream";
      }
      SyncEngine.Outcome o = engine.receive(f, System.nanoTime());
      while (o instanceof SyncEngine.Outcome.Pause p) {
        pause(p.delay().toMillis());
        o = engine.resume(p);
      }
      switch (o) {
        case SyncEngine.Outcome.Continue c -> {}
        case SyncEngine.Outcome.End end -> {
          LOG.debug("Sync with {}: {}", peer, end.reason());
          return end.reason();
        }
        case SyncEngine.Outcome.Reset r when r.penalise() -> {
          return engine.isEnded() ? "closed" : fault(r.reason());
        }
        case SyncEngine.Outcome.Reset r -> {
          LOG.info("Sync with {}: {}; resetting the stream (no penalty)", peer, r.reason());
          abort(r.reason());
          return r.reason();
        }
        case SyncEngine.Outcome.Pause p -> throw new AssertionError("resumed above");
      }
    }
  }

  /**
   * A throttle: stops reading this peer's stream for {@code millis}, or until the session ends, or
   * earlier if the quota asked every half second says so.
   */
  private void pause(long millis) {
    long deadline = System.currentTimeMillis() + millis;
    long left = millis;
    while (left > 0) {
      synchronized (signal) {
        if (engine.isEnded()) {
          return;
        }
        try {
          signal.wait(Math.min(left, 500));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      long asked = service.quota().throttledFor(remote).toMillis();
      deadline = Math.min(deadline, System.currentTimeMillis() + asked);
      left = deadline - System.currentTimeMillis();
    }
  }

  // ---------------------------------------------------------------- from the service

  /** The store changed {@code ref} (any thread). */
  void changed(DocumentRef ref) {
    engine.changed(ref);
  }

  /** The user accepted {@code space} from this peer (any thread). */
  void accepted(SpaceId space) {
    engine.accepted(space);
  }

  /** Another session's peer stalled while sending what {@code n} asked for (any thread). */
  void askAgain(SyncFrame.Need n) {
    engine.askAgain(n);
  }

  /**
   * Called by the service's watchdog (any thread): a transfer in parts is in progress and the
   * reader has waited longer than the stall timeout for the peer's next byte. The transfer is
   * dropped (the stream is reset), the peer penalised, and what this session was waiting for
   * (NEEDs) is asked of another peer that offers its space.
   *
   * @return whether the session stalled
   */
  boolean checkStall(long nowNanos) {
    WatchedInput in = input;
    if (in == null) {
      return false;
    }
    SyncEngine.Stall stall = engine.checkStall(nowNanos, in.waitingSince());
    if (stall == null) {
      return false;
    }
    fault(stall.reason());
    service.askElsewhere(this, stall.pending());
    return true;
  }

  /** Ends the session with BYE (from any thread). */
  void bye(int code, String message) {
    engine.bye(code, message);
  }

  /**
   * Ends a session that a newer one replaces, and waits briefly for its writer, so that it does not
   * generate messages from the sync states the new session starts afresh.
   */
  void replace() {
    abort("replaced by a newer session");
    Thread w = writer;
    if (w != null && w != Thread.currentThread()) {
      try {
        w.join(Duration.ofSeconds(2));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Resets the stream and ends the session (from any thread). */
  void abort(String reason) {
    reset = true;
    finish(reason); // first: the peer may open a new stream as soon as it sees the reset
    stream.reset();
  }

  private String fault(String reason) {
    LOG.warn("Sync with {}: {}; resetting the stream", peer, reason);
    reset = true;
    finish(reason);
    service.penalize(remote, reason); // counted before the peer sees the reset
    stream.reset();
    return reason;
  }

  private void finish(String reason) {
    if (engine.end()) {
      service.ended(this, reason);
    }
  }

  /** The engine's wake-up: the writer may have work, or the session ended. */
  private void wake() {
    synchronized (signal) {
      signals++;
      signal.notifyAll();
    }
  }

  // ---------------------------------------------------------------- writing

  private void writeLoop() {
    try {
      while (true) {
        long seen;
        synchronized (signal) {
          seen = signals;
        }
        long now = System.nanoTime();
        switch (engine.poll(now)) {
          case SyncEngine.Output.Frames f -> {
            for (SyncFrame frame : f.frames()) {
              write(frame);
            }
          }
          case SyncEngine.Output.Goodbye g -> {
            write(g.bye());
            flushOut();
            finish("said goodbye");
            return;
          }
          case SyncEngine.Output.WaitUntil w ->
              await(seen, Math.max(1, (w.nanos() - now) / 1_000_000));
          case SyncEngine.Output.Idle i -> {
            flushOut();
            await(seen, 0);
          }
          case SyncEngine.Output.Ended e -> {
            return;
          }
        }
      }
    } catch (IOException e) {
      if (!engine.isEnded()) {
        LOG.debug("Sync with {}: write failed: {}", peer, e.toString());
        abort("write failed: " + e.getMessage());
      }
    } catch (InterruptedException e) {
      abort("interrupted");
    } catch (RuntimeException e) {
      LOG.warn("Sync with {}: writer failed", peer, e);
      abort("internal error: " + e);
    } finally {
      if (!reset) {
        try {
          stream.close();
        } catch (IOException e) {
          stream.reset();
        }
      }
    }
  }

  /**
   * Waits until the engine wakes the writer after {@code seen}, or {@code millis} (0: no limit).
   */
  private void await(long seen, long millis) throws InterruptedException {
    synchronized (signal) {
      if (signals == seen) {
        signal.wait(millis);
      }
    }
  }

  private void write(SyncFrame f) throws IOException {
    pendingOut.writeBytes(SyncFrameCodec.encode(f));
    if (pendingOut.size() >= WRITE_BATCH) {
      flushOut();
    }
  }

  private void flushOut() throws IOException {
    if (pendingOut.size() == 0) {
      return;
    }
    var out = stream.outputStream();
    pendingOut.writeTo(out);
    pendingOut.reset();
    out.flush();
  }

  @Override
  public String toString() {
    return "SyncSession[" + peer + (dialer ? " dialled" : " accepted") + "]";
  }
}

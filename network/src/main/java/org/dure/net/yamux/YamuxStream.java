package org.dure.net.yamux;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.dure.net.NetworkException;
import org.dure.net.ProtocolViolationException;
import org.dure.net.StreamResetException;

/**
 * One Yamux stream with blocking {@link InputStream}/{@link OutputStream} views. The session's
 * event loop only appends data and updates windows under a short lock; application threads block in
 * {@code read}/{@code write}. Writes never exceed the remote's window.
 */
public final class YamuxStream {
  private static final long GROW_IF_UPDATED_WITHIN_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  private final YamuxSession session;
  private final int id;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition readable = lock.newCondition();
  private final Condition writable = lock.newCondition();
  private final ArrayDeque<ByteBuf> chunks = new ArrayDeque<>();
  private long buffered;
  private long recvWindow;
  private long windowMax;
  private long lastUpdateNanos = System.nanoTime();
  private long sendWindow;
  private boolean remoteFin;
  private boolean localFin;
  private boolean readClosed;
  private String resetReason;
  private boolean removed;
  private long readTimeoutMillis;

  private final InputStream in = new In();
  private final OutputStream out = new Out();

  YamuxStream(YamuxSession session, int id, int initialWindow) {
    this.session = session;
    this.id = id;
    this.recvWindow = initialWindow;
    this.windowMax = initialWindow;
    this.sendWindow = YamuxConfig.INITIAL_WINDOW;
  }

  public int id() {
    return id;
  }

  public YamuxSession session() {
    return session;
  }

  public InputStream inputStream() {
    return in;
  }

  public OutputStream outputStream() {
    return out;
  }

  /** Blocks reads for at most this long (0 = forever); a timed-out read throws. */
  public void setReadTimeout(long millis) {
    this.readTimeoutMillis = millis;
  }

  // ---------------------------------------------------------------- event-loop side

  /** Queues a data frame's body for the reader (retaining it); the caller keeps its reference. */
  void onData(ByteBuf data) throws ProtocolViolationException {
    long credit;
    int length = data.readableBytes();
    lock.lock();
    try {
      if (length > recvWindow) {
        throw new ProtocolViolationException(
            "stream " + id + " received " + length + " bytes beyond its window " + recvWindow);
      }
      if (resetReason != null) {
        return;
      }
      if (remoteFin) {
        throw new ProtocolViolationException("stream " + id + " received data after FIN");
      }
      recvWindow -= length;
      if (readClosed) {
        credit = length;
        recvWindow += credit;
      } else {
        if (length > 0) {
          chunks.add(data.retain());
          buffered += length;
          readable.signalAll();
        }
        return;
      }
    } finally {
      lock.unlock();
    }
    if (credit > 0) {
      session.sendQuietly(YamuxFrame.windowUpdate(id, 0, credit));
    }
  }

  private void releaseChunksLocked() {
    for (ByteBuf b; (b = chunks.poll()) != null; ) {
      b.release();
    }
    buffered = 0;
  }

  void onWindowUpdate(long delta) {
    lock.lock();
    try {
      sendWindow = Math.min(sendWindow + delta, 0xFFFFFFFFL);
      writable.signalAll();
    } finally {
      lock.unlock();
    }
  }

  void onRemoteFin() {
    boolean remove;
    lock.lock();
    try {
      remoteFin = true;
      readable.signalAll();
      remove = localFin;
    } finally {
      lock.unlock();
    }
    if (remove) {
      removeFromSession();
    }
  }

  void onReset(String reason) {
    lock.lock();
    try {
      if (resetReason == null) {
        resetReason = reason;
      }
      releaseChunksLocked();
      readable.signalAll();
      writable.signalAll();
    } finally {
      lock.unlock();
    }
    removeFromSession();
  }

  private void removeFromSession() {
    lock.lock();
    try {
      if (removed) {
        return;
      }
      removed = true;
    } finally {
      lock.unlock();
    }
    session.remove(this);
  }

  // ---------------------------------------------------------------- application side

  private int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    int n = 0;
    long delta = 0;
    lock.lock();
    try {
      long deadline = readTimeoutMillis > 0 ? System.nanoTime() + readTimeoutMillis * 1_000_000 : 0;
      while (chunks.isEmpty() && !remoteFin && resetReason == null && !readClosed) {
        try {
          if (deadline == 0) {
            readable.await();
          } else {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
              throw new java.net.SocketTimeoutException("stream " + id + " read timed out");
            }
            readable.awaitNanos(left);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted reading stream " + id);
        }
      }
      if (resetReason != null) {
        throw new StreamResetException("stream " + id + " reset: " + resetReason);
      }
      if (readClosed) {
        throw new IOException("stream " + id + " closed");
      }
      if (chunks.isEmpty()) {
        return -1;
      }
      while (n < len && !chunks.isEmpty()) {
        ByteBuf head = chunks.peek();
        int c = Math.min(len - n, head.readableBytes());
        head.readBytes(b, off + n, c);
        n += c;
        if (!head.isReadable()) {
          chunks.poll().release();
        }
      }
      buffered -= n;
      delta = windowDeltaLocked();
    } finally {
      lock.unlock();
    }
    if (delta > 0) {
      session.send(YamuxFrame.windowUpdate(id, 0, delta));
    }
    return n;
  }

  /** Computes (and books) a window update once half the window has been consumed. */
  private long windowDeltaLocked() {
    if (remoteFin) {
      return 0;
    }
    long delta = windowMax - recvWindow - buffered;
    if (delta < windowMax / 2) {
      return 0;
    }
    long now = System.nanoTime();
    int max = session.config().maxWindow();
    if (now - lastUpdateNanos < GROW_IF_UPDATED_WITHIN_NANOS && windowMax < max) {
      long grown = Math.min(max, windowMax * 2);
      delta += grown - windowMax;
      windowMax = grown;
    }
    lastUpdateNanos = now;
    recvWindow += delta;
    return delta;
  }

  private void write(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      int n;
      lock.lock();
      try {
        while (sendWindow == 0 && resetReason == null && !localFin) {
          if (!session.isOpen()) {
            throw new NetworkException("connection closed");
          }
          try {
            writable.await(1, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted writing stream " + id);
          }
        }
        if (resetReason != null) {
          throw new StreamResetException("stream " + id + " reset: " + resetReason);
        }
        if (localFin) {
          throw new IOException("stream " + id + " is closed for writing");
        }
        n = (int) Math.min(Math.min(len, sendWindow), session.config().maxFrameData());
        sendWindow -= n;
      } finally {
        lock.unlock();
      }
      ByteBuf body = session.allocateBody(n).writeBytes(b, off, n);
      session.send(YamuxFrame.data(id, 0, body));
      off += n;
      len -= n;
    }
  }

  /** Half-closes: sends FIN; reading continues until the remote closes. */
  public void closeWrite() throws IOException {
    boolean remove;
    lock.lock();
    try {
      if (localFin || resetReason != null) {
        return;
      }
      localFin = true;
      writable.signalAll();
      remove = remoteFin;
    } finally {
      lock.unlock();
    }
    session.send(YamuxFrame.windowUpdate(id, YamuxFrame.FIN, 0));
    if (remove) {
      removeFromSession();
    }
  }

  /** Closes both directions gracefully: FIN, and any unread or later data is discarded. */
  public void close() throws IOException {
    long credit;
    lock.lock();
    try {
      readClosed = true;
      credit = remoteFin ? 0 : buffered;
      recvWindow += credit;
      releaseChunksLocked();
      readable.signalAll();
    } finally {
      lock.unlock();
    }
    if (credit > 0) {
      session.sendQuietly(YamuxFrame.windowUpdate(id, 0, credit));
    }
    closeWrite();
    session.resetIfNotClosedWithin(this, YamuxSession.STREAM_CLOSE_TIMEOUT);
  }

  boolean isRemoved() {
    lock.lock();
    try {
      return removed;
    } finally {
      lock.unlock();
    }
  }

  /** Resets the stream (RST): both directions fail at once on both sides. */
  public void reset() {
    lock.lock();
    try {
      if (resetReason != null || removed) {
        return;
      }
      resetReason = "reset locally";
      releaseChunksLocked();
      readable.signalAll();
      writable.signalAll();
    } finally {
      lock.unlock();
    }
    session.sendQuietly(YamuxFrame.windowUpdate(id, YamuxFrame.RST, 0));
    removeFromSession();
  }

  /** Current send window (bytes the remote still accepts); for tests and diagnostics. */
  public long sendWindow() {
    lock.lock();
    try {
      return sendWindow;
    } finally {
      lock.unlock();
    }
  }

  /** Current receive window target; grows by auto-tuning up to the configured maximum. */
  public long receiveWindowMax() {
    lock.lock();
    try {
      return windowMax;
    } finally {
      lock.unlock();
    }
  }

  private final class In extends InputStream {
    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = YamuxStream.this.read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      java.util.Objects.checkFromIndexSize(off, len, b.length);
      return YamuxStream.this.read(b, off, len);
    }

    @Override
    public int available() {
      lock.lock();
      try {
        return (int) Math.min(Integer.MAX_VALUE, buffered);
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void close() throws IOException {
      YamuxStream.this.close();
    }
  }

  private final class Out extends OutputStream {
    @Override
    public void write(int b) throws IOException {
      YamuxStream.this.write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      java.util.Objects.checkFromIndexSize(off, len, b.length);
      YamuxStream.this.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      closeWrite();
    }
  }

  @Override
  public String toString() {
    return "YamuxStream[" + id + "]";
  }
}

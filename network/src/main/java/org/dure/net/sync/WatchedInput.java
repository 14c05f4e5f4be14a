package org.dure.net.sync;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A session's input that knows since when its reader has been waiting for the peer's next byte: a
 * stall is time spent waiting in a read, never time this side spent applying input or pausing a
 * throttled peer. Read by one thread; {@link #waitingSince} from any.
 */
final class WatchedInput extends FilterInputStream {
  private volatile long waitingSince; // System.nanoTime() when the pending read began; 0: none

  WatchedInput(InputStream in) {
    super(in);
  }

  /** Since when (nanoTime) the reader has been waiting for a byte; 0 if it is not waiting. */
  long waitingSince() {
    return waitingSince;
  }

  @Override
  public int read() throws IOException {
    waitingSince = Math.max(1, System.nanoTime());
    try {
      return super.read();
    } finally {
      waitingSince = 0;
    }
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    waitingSince = Math.max(1, System.nanoTime());
    try {
      return super.read(b, off, len);
    } finally {
      waitingSince = 0;
    }
  }
}

package org.dure.store.format;

import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/** Bounded raw-DEFLATE inflation, as used by compressed change chunks and document columns. */
final class Deflate {
  private Deflate() {}

  /**
   * Inflates all of {@code in} (a complete raw DEFLATE stream, nothing after it) into at most the
   * budget's remaining allowance, charging what it produced.
   */
  static ByteInput inflate(ByteInput in, Budget budget, String what)
      throws InvalidAutomergeDataException {
    long allowance = budget.inflateAllowance();
    int start = in.pos();
    int len = in.remaining();
    Inflater inflater = new Inflater(true);
    try {
      inflater.setInput(in.array(), start, len);
      byte[] out = new byte[(int) Math.min(Math.max(64L, 4L * len), Math.max(allowance, 0))];
      int n = 0;
      while (!inflater.finished()) {
        if (n == out.length) {
          if (out.length >= allowance) {
            throw in.failAt(
                start, what + " inflates to more than the " + allowance + " bytes still allowed");
          }
          out = Arrays.copyOf(out, (int) Math.min(allowance, Math.max(64L, 2L * out.length)));
        }
        int got;
        try {
          got = inflater.inflate(out, n, out.length - n);
        } catch (DataFormatException e) {
          throw in.failAt(start, what + " is not valid DEFLATE data: " + e.getMessage());
        }
        if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw in.failAt(start, what + " is a truncated DEFLATE stream");
        }
        n += got;
      }
      if (inflater.getRemaining() != 0) {
        throw in.failAt(
            start, what + " has " + inflater.getRemaining() + " bytes after its DEFLATE stream");
      }
      in.skip(len, what);
      budget.addInflated(n);
      return ByteInput.inflated(Arrays.copyOf(out, n), in.offset(start));
    } finally {
      inflater.end();
    }
  }
}

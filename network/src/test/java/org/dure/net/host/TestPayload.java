package org.dure.net.host;

/** The interop payload: xorshift32 output, little-endian, repeating every MiB (see js README). */
public final class TestPayload {
  private static final int BLOCK = 1 << 20;

  private TestPayload() {}

  public static byte[] generate(int seed, int size) {
    int x = seed == 0 ? 0x9E3779B9 : seed;
    int blockSize = Math.min(size, BLOCK);
    byte[] block = new byte[blockSize];
    for (int i = 0; i < blockSize; i += 4) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      for (int j = 0; j < 4 && i + j < blockSize; j++) {
        block[i + j] = (byte) (x >>> (8 * j));
      }
    }
    byte[] out = new byte[size];
    for (int i = 0; i < size; i += blockSize) {
      System.arraycopy(block, 0, out, i, Math.min(blockSize, size - i));
    }
    return out;
  }
}

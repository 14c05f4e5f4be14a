package org.dure.store.format;

import java.util.Arrays;

/** A compact open-addressing set of longs (op ids as {@code actor << 32 | counter}). */
final class LongSet {
  private static final long EMPTY = Long.MIN_VALUE;
  private long[] slots = newSlots(16);
  private int size;

  private static long[] newSlots(int n) {
    long[] s = new long[n];
    Arrays.fill(s, EMPTY);
    return s;
  }

  void add(long v) {
    if (2 * (size + 1) > slots.length) {
      long[] old = slots;
      slots = newSlots(old.length * 2);
      size = 0;
      for (long o : old) {
        if (o != EMPTY) {
          insert(o);
        }
      }
    }
    insert(v);
  }

  private void insert(long v) {
    int mask = slots.length - 1;
    int i = mix(v) & mask;
    while (slots[i] != EMPTY) {
      if (slots[i] == v) {
        return;
      }
      i = (i + 1) & mask;
    }
    slots[i] = v;
    size++;
  }

  boolean contains(long v) {
    int mask = slots.length - 1;
    int i = mix(v) & mask;
    while (slots[i] != EMPTY) {
      if (slots[i] == v) {
        return true;
      }
      i = (i + 1) & mask;
    }
    return false;
  }

  long[] values() {
    long[] out = new long[size];
    int n = 0;
    for (long s : slots) {
      if (s != EMPTY) {
        out[n++] = s;
      }
    }
    return out;
  }

  private static int mix(long v) {
    long h = v * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }
}

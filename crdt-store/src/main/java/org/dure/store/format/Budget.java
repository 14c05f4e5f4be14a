package org.dure.store.format;

/** What one validation call has used so far of its {@link Limits}. */
final class Budget {
  final Limits limits;
  private long ops;
  private long changes;
  private long inflated;
  private int chunks;

  Budget(Limits limits) {
    this.limits = limits;
  }

  void addOp(ByteInput at) throws InvalidAutomergeDataException {
    if (++ops > limits.maxOps()) {
      throw at.fail("more than " + limits.maxOps() + " operations");
    }
  }

  void addChange(ByteInput at) throws InvalidAutomergeDataException {
    if (++changes > limits.maxChanges()) {
      throw at.fail("more than " + limits.maxChanges() + " changes");
    }
  }

  void addChunk(ByteInput at) throws InvalidAutomergeDataException {
    if (++chunks > limits.maxChunks()) {
      throw at.fail("more than " + limits.maxChunks() + " chunks");
    }
  }

  /** How many more bytes may be inflated. */
  long inflateAllowance() {
    return limits.maxInflatedBytes() - inflated;
  }

  void addInflated(long n) {
    inflated += n;
  }

  /** Longest run an RLE column may declare: no column has more entries than ops or changes. */
  long maxRun() {
    return Math.max(limits.maxOps(), limits.maxChanges());
  }
}

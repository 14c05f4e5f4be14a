package org.dure.store.format;

/**
 * Validates a sync message as produced by {@code Document.generateSyncMessage} (the Java binding
 * returns the reference implementation's encoding unchanged).
 *
 * <pre>
 * message = type(0x42 v1 | 0x43 v2) hashes(heads) hashes(need) uLEB(n) have*n
 *           uLEB(n) (uLEB(len) chunks(len))*n [uLEB(n) capability(1)*n]
 * hashes  = uLEB(n) hash(32)*n
 * have    = hashes(last sync) uLEB(len) bloom(len)
 * bloom   = empty | uLEB entries, uLEB bits-per-entry, uLEB probes, bits(ceil(entries*bits/8))
 * </pre>
 *
 * Each entry of the change list is loaded by the receiver as an incremental save, so it may hold
 * change chunks and (in v2 messages) whole documents.
 */
final class SyncMessageValidator {
  static final int V1 = 0x42;
  static final int V2 = 0x43;

  /** The reference implementation uses 10 bits per entry and 7 probes; allow some headroom. */
  private static final int MAX_BLOOM_BITS_PER_ENTRY = 64;

  private static final int MAX_BLOOM_PROBES = 64;
  private static final int MAX_CAPABILITIES = 256;

  private SyncMessageValidator() {}

  static void validate(ByteInput in, Budget budget, DocumentContext ctx)
      throws InvalidAutomergeDataException {
    Limits limits = budget.limits;
    int type = in.u8("sync message type");
    if (type != V1 && type != V2) {
      throw in.failAt(in.pos() - 1, "not a sync message: type byte " + type);
    }
    hashes(in, limits, "heads");
    hashes(in, limits, "need");
    int haves = in.count(limits.maxHaves(), 2, "have count");
    for (int i = 0; i < haves; i++) {
      hashes(in, limits, "have last sync");
      int len = (int) in.ulebAtMost(limits.maxBloomBytes(), "bloom filter length");
      bloom(in.slice(len, "bloom filter"));
    }
    int changes = in.count(limits.maxChanges(), 1, "change count");
    ChunkValidator chunks = new ChunkValidator(budget, ctx);
    int allowed =
        (1 << ChunkValidator.CHANGE)
            | (1 << ChunkValidator.COMPRESSED_CHANGE)
            | (1 << ChunkValidator.DOCUMENT);
    for (int i = 0; i < changes; i++) {
      int at = in.pos();
      long len = in.ulebAtMost(Integer.MAX_VALUE, "change length");
      if (len == 0) {
        throw in.failAt(at, "empty change in sync message");
      }
      chunks.chunks(in.slice((int) len, "change"), allowed);
    }
    if (!in.atEnd()) {
      int n = in.count(MAX_CAPABILITIES, 1, "capability count");
      in.skip(n, "capabilities");
      if (!in.atEnd()) {
        throw in.fail("sync message has " + in.remaining() + " bytes left over");
      }
    }
  }

  private static void hashes(ByteInput in, Limits limits, String what)
      throws InvalidAutomergeDataException {
    int n = in.count(limits.maxHashes(), 32, what + " count");
    in.skip(32L * n, what);
  }

  private static void bloom(ByteInput in) throws InvalidAutomergeDataException {
    if (in.atEnd()) {
      return;
    }
    long entries = in.ulebAtMost(0xFFFF_FFFFL, "bloom entries");
    long bits = in.ulebAtMost(MAX_BLOOM_BITS_PER_ENTRY, "bloom bits per entry");
    long probes = in.ulebAtMost(MAX_BLOOM_PROBES, "bloom probes");
    if (entries == 0) {
      throw in.fail("bloom filter with parameters but no entries");
    }
    if (bits == 0 || probes == 0) {
      throw in.fail("bloom filter with 0 bits per entry or 0 probes");
    }
    long bytes = (entries * bits + 7) / 8;
    if (bytes != in.remaining()) {
      throw in.fail("bloom filter needs " + bytes + " bytes of bits but has " + in.remaining());
    }
    in.skip(bytes, "bloom bits");
  }
}

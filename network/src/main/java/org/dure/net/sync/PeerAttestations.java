package org.dure.net.sync;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dure.store.sync.Attestation;

/**
 * The attestations a peer sent in one session, kept until the SYNC or SNAPSHOT whose changes they
 * cover arrives (checked there, not here): per document and actor the newest, at most {@link
 * #MAX_ATTESTATIONS} and {@link #MAX_ATTESTATION_BYTES} per session. No I/O; used by the session's
 * reader only.
 */
final class PeerAttestations {

  /** Attestations received per session at most (a document's actors, over many documents). */
  static final int MAX_ATTESTATIONS = 16_384;

  /** Bytes of attestations kept per session at most (messages are at most 1 KiB each). */
  static final long MAX_ATTESTATION_BYTES = 8L << 20;

  /** What one kept attestation costs besides its message: ids, hash, signature, the maps. */
  private static final int ATTESTATION_OVERHEAD = 256;

  private final Map<String, Map<ByteBuffer, Attestation>> offered = new HashMap<>();
  private int count;
  private long bytes;

  /**
   * Keeps {@code attestations} for {@code docId}: the newest per actor.
   *
   * @return null, or why not: the session's limits are exceeded (a peer fault)
   */
  String add(String docId, List<Attestation> attestations) {
    Map<ByteBuffer, Attestation> forDoc = offered.computeIfAbsent(docId, k -> new HashMap<>());
    for (Attestation x : attestations) {
      ByteBuffer actor = ByteBuffer.wrap(x.actor());
      Attestation had = forDoc.get(actor);
      if (had == null) {
        if (++count > MAX_ATTESTATIONS) {
          return "more than " + MAX_ATTESTATIONS + " attestations in one session";
        }
        bytes += ATTESTATION_OVERHEAD + x.message().length() * 3L;
        if (bytes > MAX_ATTESTATION_BYTES) {
          return "more than " + MAX_ATTESTATION_BYTES + " bytes of attestations";
        }
        forDoc.put(actor, x);
      } else if (x.seq() > had.seq()) {
        forDoc.put(actor, x);
      }
    }
    return null;
  }

  /** The attestations kept for {@code docId}. */
  List<Attestation> of(String docId) {
    Map<ByteBuffer, Attestation> m = offered.get(docId);
    return m == null ? List.of() : List.copyOf(m.values());
  }
}

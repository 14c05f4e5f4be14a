package org.dure.net.blobs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dure.identity.PeerId;
import org.dure.store.blob.BlobFormatException;
import org.dure.store.blob.BlobHash;
import org.dure.store.blob.BlobManifest;

/**
 * The state of fetching one blob from several peers at once, without I/O or threads: which chunks
 * are here, which are asked of whom, which each peer lacks. The shell asks {@link #requests} what
 * to send a peer and feeds each answer to {@link #onFrame}, which checks it (the manifest against
 * the root hash, each chunk against the manifest's hash for it) and says what to do: keep it, or
 * penalise the peer (whose chunks then go to the others). Answers must come in the order asked (one
 * stream per peer). A peer that refuses a chunk is not asked for it again; one that refuses the
 * blob ({@code NOT_ALLOWED}, {@code BUSY}) is dropped. Not thread-safe: the shell holds a lock.
 */
public final class BlobFetchEngine {
  /** What the shell does with an answer. */
  public sealed interface Outcome {
    /** Keep the manifest (it hashes to the root and is within the limit). */
    record KeepManifest(BlobManifest manifest, byte[] encoded) implements Outcome {}

    /** Keep chunk {@code index} (its hash is the manifest's). */
    record KeepChunk(int index, byte[] data) implements Outcome {}

    /** The peer sent bad data: penalise it and close its stream; it is dropped. */
    record Penalize(String reason) implements Outcome {}

    /**
     * The peer sent a manifest (the root's) declaring more bytes than this node takes: the fetch
     * has failed; remember the blob refused and close the peer's stream. No penalty: the limit is
     * this node's own setting, and a member whose limit is higher holds such a blob honestly.
     */
    record TooLarge(long size, String reason) implements Outcome {}

    /** The peer refused the blob; it is dropped (no penalty). */
    record Dropped(BlobFrame.Reason reason) implements Outcome {}

    /** Nothing to do (a chunk refused: asked elsewhere). */
    record Noted() implements Outcome {}
  }

  private static final int MANIFEST = BlobFrame.Refused.MANIFEST;

  private final BlobHash root;
  private final long maxBytes;
  private final int window;
  private final Map<PeerId, PeerState> peers = new LinkedHashMap<>();
  private BlobManifest manifest;
  private BitSet present;
  private final BitSet inFlight = new BitSet();
  private final Set<PeerId> senders = new LinkedHashSet<>();
  private boolean manifestAsked;
  private String failure;

  private static final class PeerState {
    final ArrayDeque<Integer> asked = new ArrayDeque<>();
    final BitSet lacks = new BitSet();
    boolean lacksManifest;
    boolean live = true;
    boolean dropped;
  }

  /**
   * @param manifest the manifest if this node has it already (null to fetch it)
   * @param present the chunks this node has already (a fetch resumes after them)
   * @param maxBytes the largest blob taken
   * @param window requests outstanding per peer
   */
  public BlobFetchEngine(
      BlobHash root, BlobManifest manifest, BitSet present, long maxBytes, int window) {
    if (window < 1) {
      throw new IllegalArgumentException("window " + window);
    }
    this.root = root;
    this.manifest = manifest;
    this.present = (BitSet) present.clone();
    this.maxBytes = maxBytes;
    this.window = window;
  }

  /**
   * Adds {@code peer} to ask (again, after it went away); a penalised or refusing one stays out.
   */
  public void addPeer(PeerId peer) {
    PeerState s = peers.computeIfAbsent(peer, p -> new PeerState());
    if (!s.dropped) {
      s.live = true;
    }
  }

  /** {@code peer}'s stream ended: what it was asked goes to the others. */
  public void peerGone(PeerId peer) {
    PeerState s = peers.get(peer);
    if (s != null) {
      release(s);
      s.live = false;
    }
  }

  /** Ends the fetch, unsuccessful, for {@code reason} (e.g. this node cannot keep the blob). */
  public void fail(String reason) {
    if (failure == null) {
      failure = reason;
    }
  }

  /** The frames to send {@code peer} now (its window filled); empty if none. */
  public List<BlobFrame> requests(PeerId peer) {
    PeerState s = peers.get(peer);
    List<BlobFrame> out = new ArrayList<>();
    if (s == null || !s.live || isFinished()) {
      return out;
    }
    if (manifest == null) {
      if (!manifestAsked && !s.lacksManifest) {
        manifestAsked = true;
        s.asked.add(MANIFEST);
        out.add(new BlobFrame.GetManifest(root));
      }
      return out;
    }
    int count = manifest.chunks().size();
    int i = 0;
    while (s.asked.size() < window) {
      i = nextFor(s, i, count);
      if (i < 0) {
        break;
      }
      inFlight.set(i);
      s.asked.add(i);
      out.add(new BlobFrame.GetChunk(root, i));
      i++;
    }
    return out;
  }

  private int nextFor(PeerState s, int from, int count) {
    for (int i = from; i < count; i++) {
      if (!present.get(i) && !inFlight.get(i) && !s.lacks.get(i)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Whether a new stream to {@code peer} is worth opening: the fetch goes on and the peer was not
   * dropped (penalised, or it refused the blob).
   */
  public boolean mayRetry(PeerId peer) {
    PeerState s = peers.get(peer);
    return s != null && !s.dropped && !isComplete() && failure == null;
  }

  /** Requests {@code peer} has not been answered yet. */
  public int outstanding(PeerId peer) {
    PeerState s = peers.get(peer);
    return s == null ? 0 : s.asked.size();
  }

  /** Checks {@code peer}'s answer {@code f} and says what to do with it. */
  public Outcome onFrame(PeerId peer, BlobFrame f) {
    PeerState s = peers.get(peer);
    if (s == null || !s.live) {
      throw new IllegalStateException(peer + " is not in this fetch");
    }
    Integer expected = s.asked.peekFirst();
    if (expected == null) {
      return penalize(s, "an answer nobody asked for");
    }
    if (!f.root().equals(root)) {
      return penalize(s, "an answer about another blob");
    }
    switch (f) {
      case BlobFrame.Manifest m -> {
        if (expected != MANIFEST) {
          return penalize(s, "a manifest where chunk " + expected + " was asked");
        }
        s.asked.pollFirst();
        manifestAsked = false;
        if (manifest != null) {
          return new Outcome.Noted(); // already had from another
        }
        if (!BlobHash.of(m.encoded()).equals(root)) {
          return penalize(s, "a manifest whose hash is not the root");
        }
        BlobManifest decoded;
        try {
          decoded = BlobManifest.decode(m.encoded());
        } catch (BlobFormatException e) {
          return penalize(s, "a bad manifest: " + e.getMessage());
        }
        if (decoded.size() > maxBytes) {
          String why =
              "The attachment has " + decoded.size() + " bytes, over the limit of " + maxBytes;
          fail(why);
          release(s);
          s.live = false;
          s.dropped = true;
          return new Outcome.TooLarge(decoded.size(), why);
        }
        manifest = decoded;
        return new Outcome.KeepManifest(decoded, m.encoded());
      }
      case BlobFrame.Chunk c -> {
        if (expected != c.index()) {
          return penalize(s, "chunk " + c.index() + " where " + what(expected) + " was asked");
        }
        s.asked.pollFirst();
        inFlight.clear(c.index());
        if (manifest == null || c.index() >= manifest.chunks().size()) {
          return penalize(s, "a chunk of no manifest");
        }
        if (c.data().length != manifest.chunkLength(c.index())
            || !BlobHash.of(c.data()).equals(manifest.chunks().get(c.index()))) {
          return penalize(s, "chunk " + c.index() + " does not match its hash");
        }
        if (present.get(c.index())) {
          return new Outcome.Noted();
        }
        present.set(c.index());
        senders.add(peer);
        return new Outcome.KeepChunk(c.index(), c.data());
      }
      case BlobFrame.Refused r -> {
        if (expected != r.index()) {
          return penalize(s, "a refusal of " + what(r.index()) + " where " + what(expected));
        }
        s.asked.pollFirst();
        if (r.index() == MANIFEST) {
          manifestAsked = false;
          s.lacksManifest = true;
        } else {
          inFlight.clear(r.index());
          s.lacks.set(r.index());
        }
        if (r.reason() != BlobFrame.Reason.NOT_HERE) {
          release(s);
          s.live = false;
          s.dropped = true;
          return new Outcome.Dropped(r.reason());
        }
        return new Outcome.Noted();
      }
      default -> {
        return penalize(s, "a request on a fetching stream");
      }
    }
  }

  private static String what(int index) {
    return index == MANIFEST ? "the manifest" : "chunk " + index;
  }

  private Outcome penalize(PeerState s, String reason) {
    release(s);
    s.live = false;
    s.dropped = true;
    return new Outcome.Penalize(reason);
  }

  private void release(PeerState s) {
    for (int i : s.asked) {
      if (i == MANIFEST) {
        manifestAsked = false;
      } else {
        inFlight.clear(i);
      }
    }
    s.asked.clear();
  }

  /** The peers whose chunks were kept in this fetch, in the order they first sent one. */
  public List<PeerId> senders() {
    return List.copyOf(senders);
  }

  /** Whether every chunk is here. */
  public boolean isComplete() {
    return manifest != null && present.cardinality() == manifest.chunks().size();
  }

  /** Why the fetch failed, or null. */
  public String failure() {
    return failure;
  }

  /**
   * Whether the fetch is over: complete, failed, or stuck (nothing asked, and no live peer can be
   * asked anything: each lacks what is missing, or none is left).
   */
  public boolean isFinished() {
    if (isComplete() || failure != null) {
      return true;
    }
    for (PeerState s : peers.values()) {
      if (!s.live) {
        continue;
      }
      if (!s.asked.isEmpty()) {
        return false;
      }
      if (manifest == null ? !s.lacksManifest : nextFor(s, 0, manifest.chunks().size()) >= 0) {
        return false;
      }
    }
    return true;
  }

  /** The manifest, once known (else null). */
  public BlobManifest manifest() {
    return manifest;
  }

  /** Bytes of the chunks here. */
  public long bytesDone() {
    if (manifest == null) {
      return 0;
    }
    long sum = 0;
    for (int i = present.nextSetBit(0); i >= 0; i = present.nextSetBit(i + 1)) {
      sum += manifest.chunkLength(i);
    }
    return sum;
  }
}

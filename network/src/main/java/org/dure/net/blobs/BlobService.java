package org.dure.net.blobs;

import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.dure.identity.PeerId;
import org.dure.net.NetworkException;
import org.dure.net.host.Host;
import org.dure.net.host.Stream;
import org.dure.store.blob.BlobHash;
import org.dure.store.blob.BlobManifest;
import org.dure.store.blob.BlobStore;
import org.dure.store.blob.ImageGuard;
import org.dure.store.doc.Ids;
import org.dure.store.wiki.SpaceId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves and fetches blobs over {@code /dure/blobs/1.0.0} ({@code docs/protocol/blobs.md}): the I/O
 * shell around {@link BlobServerEngine} (one per inbound stream, on its handler thread) and {@link
 * BlobFetchEngine} (one per fetch, a virtual thread per peer asked, the engine under a lock). Bytes
 * sent go through the host's upload cap like all others.
 *
 * <pre>{@code
 * BlobService blobs = new BlobService(host, blobStore, policy, BlobConfig.defaults()).start();
 * BlobService.Result r = blobs.fetch(root, space, membersOnline, (done, total) -> {});
 * }</pre>
 */
public final class BlobService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BlobService.class);
  public static final String PROTOCOL = BlobFrameCodec.PROTOCOL;

  /** How the problem of a fetch refused ({@link BlobStore#refusal}) begins. */
  public static final String REFUSED = "Refused: ";

  /** Counts a peer's bad data against it (the sync service's penalties, in a Dure node). */
  @FunctionalInterface
  public interface Penalizer {
    void penalize(PeerId peer, String reason);
  }

  /** Progress of a fetch: {@code done} of {@code total} bytes (total 0 until the manifest). */
  @FunctionalInterface
  public interface Progress {
    void progress(long done, long total);
  }

  /**
   * How a fetch ended.
   *
   * @param complete whether the whole blob is here now
   * @param manifest the manifest if it is known
   * @param problem why it is not complete (null if it is)
   */
  public record Result(boolean complete, Optional<BlobManifest> manifest, String problem) {}

  private final Host host;
  private final BlobStore store;
  private final BlobAccessPolicy policy;
  private final BlobConfig config;
  private volatile Penalizer penalizer =
      (peer, reason) -> LOG.info("Blob peer {} sent bad data: {}", peer, reason);

  public BlobService(Host host, BlobStore store, BlobAccessPolicy policy, BlobConfig config) {
    this.host = host;
    this.store = store;
    this.policy = policy;
    this.config = config;
  }

  /** Serves the protocol. */
  public BlobService start() {
    host.setHandler(PROTOCOL, this::serve);
    return this;
  }

  /** Stops serving. */
  @Override
  public void close() {
    host.removeHandler(PROTOCOL);
  }

  /** Where penalties for bad data go. */
  public void setPenalizer(Penalizer p) {
    this.penalizer = p;
  }

  public BlobStore store() {
    return store;
  }

  // ------------------------------------------------------------------ server

  private void serve(Stream s) {
    PeerId peer = s.remotePeer();
    BlobServerEngine engine =
        new BlobServerEngine(peer, source(), policy, config.maxRequestsPerStream());
    try (s) {
      s.setReadTimeout(config.readTimeout().toMillis());
      while (true) {
        byte[] in = s.readMessage(BlobFrameCodec.MAX_FRAME);
        if (in == null) {
          return;
        }
        BlobFrame answer = engine.answer(BlobFrameCodec.decode(in));
        if (answer instanceof BlobFrame.Refused r && r.reason() == BlobFrame.Reason.NOT_ALLOWED) {
          LOG.debug("Blob {} refused to {}: no space of it shared with them", r.root(), peer);
        }
        s.writeMessage(BlobFrameCodec.encode(answer));
      }
    } catch (NetworkException e) {
      LOG.debug("Blob stream of {}: {}; reset", peer, e.getMessage());
      s.reset();
    } catch (IOException e) {
      LOG.debug("Blob stream of {} ended: {}", peer, e.toString());
      s.reset();
    }
  }

  private BlobSource source() {
    return new BlobSource() {
      @Override
      public Optional<byte[]> manifest(BlobHash root) throws IOException {
        return store.manifest(root).map(BlobManifest::encode);
      }

      @Override
      public Optional<byte[]> chunk(BlobHash root, int index) throws IOException {
        return store.readChunk(root, index);
      }

      @Override
      public Set<SpaceId> spaces(BlobHash root) throws IOException {
        Set<SpaceId> out = new LinkedHashSet<>();
        for (String s : store.spaces(root)) {
          if (Ids.isValid(s)) {
            out.add(new SpaceId(s));
          }
        }
        return out;
      }
    };
  }

  // ------------------------------------------------------------------- fetch

  /**
   * Fetches blob {@code root} for {@code space} from {@code peers} at once (at most {@link
   * BlobConfig#maxPeers} of them), resuming after the chunks already here; blocks until the blob is
   * complete or no peer can give more. Each chunk is checked before it is kept; a peer that sends a
   * wrong one is penalised and its chunks are taken from the others. A blob refused before ({@link
   * BlobStore#refusal}) is asked of nobody. One whose manifest declares more than the limit per
   * attachment, or that turns out, complete, to be an image over the pixel limits or without a
   * readable header ({@link ImageGuard}), is deleted and remembered as refused; each peer that sent
   * chunks of such an image is penalised (not the sender of a manifest over the limit: the limit is
   * this node's own, and a member whose limit is higher holds that blob honestly).
   */
  public Result fetch(BlobHash root, SpaceId space, Collection<PeerId> peers, Progress progress)
      throws IOException, InterruptedException {
    Optional<BlobStore.Refusal> refused = store.refusal(root);
    if (refused.isPresent()) {
      return new Result(false, Optional.empty(), REFUSED + refused.get().reason());
    }
    Optional<BlobManifest> known = store.manifest(root);
    if (known.isPresent() && store.isComplete(root)) {
      // Not recorded for this space: a page of one space naming a blob held for another must not
      // make this node serve it to the first space's members (docs/protocol/blobs.md).
      return new Result(true, known, null);
    }
    BitSet present = store.present(root);
    BlobFetchEngine engine =
        new BlobFetchEngine(
            root, known.orElse(null), present, store.maxBlobBytes(), config.window());
    Fetch fetch = new Fetch(root, space, engine, progress);
    List<Thread> workers = new ArrayList<>();
    List<PeerId> asked = new ArrayList<>(new LinkedHashSet<>(peers));
    asked.remove(host.peerId());
    for (PeerId p : asked.subList(0, Math.min(asked.size(), config.maxPeers()))) {
      synchronized (fetch) {
        engine.addPeer(p);
      }
      workers.add(
          Thread.ofVirtual().name("blob-fetch " + p + " " + root).start(() -> fetch.run(p)));
    }
    try {
      for (Thread t : workers) {
        t.join();
      }
    } catch (InterruptedException e) {
      workers.forEach(Thread::interrupt);
      throw e;
    }
    List<PeerId> senders;
    boolean complete;
    synchronized (fetch) {
      senders = engine.senders();
      // The engine counts a chunk here once it checked it; the store, once it wrote it.
      complete = engine.isComplete() && store.isComplete(root);
      if (engine.isComplete() && !complete) {
        engine.fail("Cannot keep the attachment: a chunk was not written");
      }
    }
    if (complete) {
      return guard(root, engine.manifest(), senders);
    }
    synchronized (fetch) {
      Optional<BlobManifest> m = Optional.ofNullable(engine.manifest());
      String problem = engine.failure();
      if (problem == null) {
        problem =
            asked.isEmpty()
                ? "No member who may have it is online"
                : m.isEmpty()
                    ? "No member online gave the attachment"
                    : "The members online gave "
                        + engine.bytesDone()
                        + " of "
                        + m.get().size()
                        + " bytes; the rest is fetched when more are online";
      }
      return new Result(false, m, problem);
    }
  }

  /**
   * Checks the headers of blob {@code root}, complete now, if it is or looks like an image ({@link
   * ImageGuard}); one over the pixel limits or without a readable header is deleted, remembered as
   * refused, and each peer that sent chunks of it is penalised.
   */
  private Result guard(BlobHash root, BlobManifest manifest, List<PeerId> senders)
      throws IOException {
    ImageGuard.Verdict v = store.inspect(root);
    if (v.keep()) {
      return new Result(true, Optional.of(manifest), null);
    }
    store.refuse(root, true, manifest.size(), v.reason());
    for (PeerId p : senders) {
      LOG.info("Blob {} from {} is {}: refused, penalised", root, p, v.reason());
      penalizer.penalize(p, "an image refused: " + v.reason());
    }
    return new Result(false, Optional.of(manifest), REFUSED + v.reason());
  }

  /** One fetch: the engine, under this object's lock, and its workers (one per peer). */
  private final class Fetch {
    final BlobHash root;
    final SpaceId space;
    final BlobFetchEngine engine;
    final Progress progress;

    Fetch(BlobHash root, SpaceId space, BlobFetchEngine engine, Progress progress) {
      this.root = root;
      this.space = space;
      this.engine = engine;
      this.progress = progress;
    }

    void run(PeerId peer) {
      for (int attempt = 0; attempt <= config.reconnects(); attempt++) {
        if (attempt > 0) {
          try {
            Thread.sleep(config.reconnectDelay().toMillis());
          } catch (InterruptedException e) {
            return;
          }
          synchronized (this) {
            engine.addPeer(peer);
          }
        }
        try {
          if (exchange(peer)) {
            return;
          }
        } catch (IOException e) {
          LOG.debug("Fetching blob {} from {}: {}", root, peer, e.toString());
        } catch (InterruptedException e) {
          return;
        } finally {
          synchronized (this) {
            engine.peerGone(peer);
            notifyAll();
          }
        }
        synchronized (this) {
          if (!engine.mayRetry(peer)) {
            return;
          }
        }
      }
    }

    /** One stream with {@code peer}; true if the fetch is done with that peer. */
    private boolean exchange(PeerId peer) throws IOException, InterruptedException {
      try (Stream s = host.newStream(peer, PROTOCOL)) {
        s.setReadTimeout(config.readTimeout().toMillis());
        while (true) {
          List<BlobFrame> requests;
          synchronized (this) {
            while (true) {
              if (engine.isFinished()) {
                return true;
              }
              requests = engine.requests(peer);
              if (!requests.isEmpty() || engine.outstanding(peer) > 0) {
                break;
              }
              wait(200); // the others hold what is left; it comes back if they fail
            }
          }
          for (BlobFrame r : requests) {
            s.writeMessage(BlobFrameCodec.encode(r));
          }
          byte[] in = s.readMessage(BlobFrameCodec.MAX_FRAME);
          if (in == null) {
            throw new EOFException("the peer closed the stream");
          }
          BlobFrame f;
          BlobFetchEngine.Outcome outcome;
          try {
            f = BlobFrameCodec.decode(in);
          } catch (NetworkException e) {
            synchronized (this) {
              engine.peerGone(peer);
            }
            penalizer.penalize(peer, "bad blob frame: " + e.getMessage());
            s.reset();
            return true;
          }
          synchronized (this) {
            outcome = engine.onFrame(peer, f);
            // Kept before the lock is let go: the other workers ask for chunks as soon as the
            // engine has the manifest, and the store takes no chunk of a blob it has no manifest
            // of.
            if (outcome instanceof BlobFetchEngine.Outcome.KeepManifest k && !keepManifest(k)) {
              return true;
            }
          }
          if (!act(peer, s, outcome)) {
            return true;
          }
        }
      }
    }

    /**
     * Stores the manifest {@code k} (the caller holds this lock); false if this node may not keep
     * the blob (the storage held for others is full): the fetch has failed.
     */
    private boolean keepManifest(BlobFetchEngine.Outcome.KeepManifest k) throws IOException {
      try {
        if (!policy.mayKeep(space, k.manifest().size())) {
          engine.fail("The storage held for others is full");
          return false;
        }
        store.addManifest(root, k.encoded());
        store.addSpace(root, space.value());
        return true;
      } catch (IOException | RuntimeException e) {
        // A local fault (the disk): the fetch stops, nothing is held against the peer.
        engine.fail("Cannot keep the attachment: " + e.getMessage());
        throw e;
      } finally {
        notifyAll();
      }
    }

    /** Does what {@code outcome} says; false if the peer is done with. */
    private boolean act(PeerId peer, Stream s, BlobFetchEngine.Outcome outcome) throws IOException {
      try {
        switch (outcome) {
          case BlobFetchEngine.Outcome.KeepManifest k -> progress.progress(0, k.manifest().size());
          case BlobFetchEngine.Outcome.KeepChunk c -> {
            store.putChunk(root, c.index(), c.data());
            long done;
            long total;
            synchronized (this) {
              done = engine.bytesDone();
              total = engine.manifest().size();
            }
            progress.progress(done, total);
          }
          case BlobFetchEngine.Outcome.TooLarge t -> {
            LOG.info("Blob {} from {}: {}; refused", root, peer, t.reason());
            store.refuse(root, false, t.size(), t.reason());
            s.reset();
            return false;
          }
          case BlobFetchEngine.Outcome.Penalize p -> {
            LOG.info("Blob {} from {}: {}; penalised, asked elsewhere", root, peer, p.reason());
            penalizer.penalize(peer, p.reason());
            s.reset();
            return false;
          }
          case BlobFetchEngine.Outcome.Dropped d -> {
            LOG.debug("Blob {}: {} refused it ({})", root, peer, d.reason());
            return false;
          }
          case BlobFetchEngine.Outcome.Noted n -> {
            // nothing
          }
        }
      } catch (IOException | RuntimeException e) {
        // A local fault (the disk): the fetch stops, nothing is held against the peer.
        synchronized (this) {
          engine.fail("Cannot keep the attachment: " + e.getMessage());
          notifyAll();
        }
        throw e;
      } finally {
        synchronized (this) {
          notifyAll();
        }
      }
      return true;
    }
  }
}

package org.dure.net.blobs;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.dure.identity.PeerId;
import org.dure.net.ProtocolViolationException;
import org.dure.store.blob.BlobHash;

/**
 * The answers of one blob stream's server, without I/O: fed each request frame, returns the answer
 * frame. A blob is served only to a peer the {@link BlobAccessPolicy} lets have it (asked once per
 * blob per stream); otherwise every request about it is refused, and a refused peer learns nothing
 * about whether this node holds the blob. A stream may ask at most {@link #maxRequests} times; a
 * frame that is not a request is a protocol violation. Not thread-safe (one stream, one thread).
 */
public final class BlobServerEngine {
  private final PeerId peer;
  private final BlobSource source;
  private final BlobAccessPolicy policy;
  private final int maxRequests;
  private final Map<BlobHash, Boolean> allowed = new HashMap<>();
  private int requests;
  private long bytesSent;

  /**
   * @param maxRequests requests one stream may make (then each is answered {@code BUSY})
   */
  public BlobServerEngine(
      PeerId peer, BlobSource source, BlobAccessPolicy policy, int maxRequests) {
    this.peer = peer;
    this.source = source;
    this.policy = policy;
    this.maxRequests = maxRequests;
  }

  /**
   * The answer to {@code request}.
   *
   * @throws ProtocolViolationException if {@code request} is an answer, not a request
   * @throws IOException if this node cannot read its own store (a local fault)
   */
  public BlobFrame answer(BlobFrame request) throws IOException {
    int index =
        switch (request) {
          case BlobFrame.GetManifest g -> BlobFrame.Refused.MANIFEST;
          case BlobFrame.GetChunk g -> g.index();
          default ->
              throw new ProtocolViolationException(
                  "a blob client sent " + request.getClass().getSimpleName());
        };
    BlobHash root = request.root();
    if (++requests > maxRequests) {
      return new BlobFrame.Refused(root, index, BlobFrame.Reason.BUSY);
    }
    Boolean may = allowed.get(root);
    if (may == null) {
      if (allowed.size() >= 1024) {
        allowed.clear(); // bounded: asked again
      }
      may = policy.mayServe(peer, source.spaces(root));
      allowed.put(root, may);
    }
    if (!may) {
      return new BlobFrame.Refused(root, index, BlobFrame.Reason.NOT_ALLOWED);
    }
    if (index == BlobFrame.Refused.MANIFEST) {
      return source
          .manifest(root)
          .<BlobFrame>map(m -> new BlobFrame.Manifest(root, m))
          .orElse(new BlobFrame.Refused(root, index, BlobFrame.Reason.NOT_HERE));
    }
    BlobFrame answer =
        source
            .chunk(root, index)
            .<BlobFrame>map(d -> new BlobFrame.Chunk(root, index, d))
            .orElse(new BlobFrame.Refused(root, index, BlobFrame.Reason.NOT_HERE));
    if (answer instanceof BlobFrame.Chunk c) {
      bytesSent += c.data().length;
    }
    return answer;
  }

  /** Chunk bytes answered so far. */
  public long bytesSent() {
    return bytesSent;
  }

  /** Requests answered so far. */
  public int requests() {
    return requests;
  }
}

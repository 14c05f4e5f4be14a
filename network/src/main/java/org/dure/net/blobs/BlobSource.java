package org.dure.net.blobs;

import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import org.dure.store.blob.BlobHash;
import org.dure.store.wiki.SpaceId;

/** What the server engine reads: a {@link org.dure.store.blob.BlobStore}, or a test's map. */
public interface BlobSource {
  /** The manifest's encoding, if this node has it. */
  Optional<byte[]> manifest(BlobHash root) throws IOException;

  /** Chunk {@code index}, checked against its hash, if this node has it. */
  Optional<byte[]> chunk(BlobHash root, int index) throws IOException;

  /** The spaces this node holds the blob for. */
  Set<SpaceId> spaces(BlobHash root) throws IOException;
}

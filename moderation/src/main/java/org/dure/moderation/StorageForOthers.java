package org.dure.moderation;

import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.NoSuchElementException;
import org.dure.store.WikiStore;
import org.dure.store.blob.BlobStore;
import org.dure.store.doc.DamagedDocumentException;
import org.dure.store.doc.Ids;
import org.dure.store.moderation.UsageTables;
import org.dure.store.wiki.SpaceId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bytes of the spaces this computer holds but does not own: what it keeps for others, their
 * attachments included (blobs held only for such spaces, once {@link #countBlobs} is called).
 * Computed from the store, at most every {@value #REFRESH_MILLIS} ms. Thread-safe.
 */
public final class StorageForOthers implements HeldForOthers {
  private static final Logger LOG = LoggerFactory.getLogger(StorageForOthers.class);
  static final long REFRESH_MILLIS = 5000;

  private final WikiStore store;
  private final UsageTables tables;
  private final Clock clock;
  private boolean computed;
  private long computedAt;
  private long bytes;
  private volatile BlobStore blobs;

  public StorageForOthers(WikiStore store, Clock clock) {
    this.store = store;
    this.tables = store.usageTables();
    this.clock = clock;
  }

  /** Counts the blobs of {@code store} held only for spaces that are not mine. */
  public synchronized void countBlobs(BlobStore store) {
    this.blobs = store;
    this.computed = false;
  }

  @Override
  public boolean isMine(SpaceId space) {
    try {
      return store.membership(space).owner().equals(store.identity().peerId());
    } catch (NoSuchElementException | DamagedDocumentException e) {
      return false;
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public synchronized long bytes() {
    long now = clock.millis();
    if (!computed || now - computedAt >= REFRESH_MILLIS || now < computedAt) {
      bytes = compute();
      computedAt = now;
      computed = true;
    }
    return bytes;
  }

  private boolean isMineText(String space) {
    return Ids.isValid(space) && isMine(new SpaceId(space));
  }

  private long compute() {
    long sum = 0;
    for (Map.Entry<SpaceId, Long> e : tables.bytesBySpace().entrySet()) {
      if (!isMine(e.getKey())) {
        sum += e.getValue();
      }
    }
    BlobStore b = blobs;
    if (b != null) {
      try {
        sum += b.bytesWhere(spaces -> spaces.stream().noneMatch(this::isMineText));
      } catch (IOException e) {
        LOG.warn("Cannot count the attachments held for others: {}", e.toString());
      }
    }
    return sum;
  }
}

package org.dure.moderation;

import java.time.Clock;
import java.util.Map;
import java.util.NoSuchElementException;
import org.dure.store.WikiStore;
import org.dure.store.doc.DamagedDocumentException;
import org.dure.store.moderation.UsageTables;
import org.dure.store.wiki.SpaceId;

/**
 * The bytes of the spaces this computer holds but does not own: what it keeps for others. Computed
 * from the store, at most every {@value #REFRESH_MILLIS} ms. Thread-safe.
 */
public final class StorageForOthers implements HeldForOthers {
  static final long REFRESH_MILLIS = 5000;

  private final WikiStore store;
  private final UsageTables tables;
  private final Clock clock;
  private boolean computed;
  private long computedAt;
  private long bytes;

  public StorageForOthers(WikiStore store, Clock clock) {
    this.store = store;
    this.tables = store.usageTables();
    this.clock = clock;
  }

  @Override
  public boolean isMine(SpaceId space) {
    try {
      return store.membership(space).owner().equals(store.identity().peerId().toString());
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

  private long compute() {
    long sum = 0;
    for (Map.Entry<SpaceId, Long> e : tables.bytesBySpace().entrySet()) {
      if (!isMine(e.getKey())) {
        sum += e.getValue();
      }
    }
    return sum;
  }
}

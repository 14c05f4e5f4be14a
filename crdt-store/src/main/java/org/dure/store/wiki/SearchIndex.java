package org.dure.store.wiki;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.dure.store.doc.DamagedDocumentException;
import org.dure.store.doc.Documents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps links and the search index ({@code links}, {@code page_fts}, {@code page_pairs}) up to date
 * with the pages: edited pages are marked dirty and re-indexed by the indexer thread shortly after
 * (a search or a list of backlinks first indexes what is pending). A page marked but not yet
 * indexed when the store closes is indexed at the next start ({@code pages.indexed_seq}).
 */
public final class SearchIndex implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SearchIndex.class);

  private final Documents docs;
  private final Duration indexDelay;
  private final Set<String> dirty = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean indexScheduled = new AtomicBoolean();
  private final ReentrantLock indexLock = new ReentrantLock();
  private final ScheduledThreadPoolExecutor indexer;
  private volatile long lastIndexNanos;

  SearchIndex(Documents docs, Duration indexDelay) {
    this.docs = docs;
    this.indexDelay = indexDelay;
    this.indexer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "dure-indexer");
              t.setDaemon(true);
              return t;
            });
    indexer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    // A page changed by a peer is indexed like one edited here.
    docs.feed()
        .addListener(
            (id, kind, space, fromPeer) -> {
              if (kind == PageKind.KIND && fromPeer.isPresent()) {
                markDirty(id);
              }
            });
  }

  /** Marks the pages whose last versions are not indexed (an earlier run stopped first). */
  void start() {
    dirty.addAll(
        docs.read(
            d -> {
              List<String> ids = new ArrayList<>();
              try (ResultSet rs =
                  d.statement(
                          "SELECT p.id FROM pages p JOIN documents doc ON doc.id = p.id"
                              + " WHERE p.indexed_seq < doc.last_seq AND doc.damaged IS NULL")
                      .executeQuery()) {
                while (rs.next()) {
                  ids.add(rs.getString(1));
                }
              }
              return ids;
            }));
    if (!dirty.isEmpty()) {
      scheduleIndex();
    }
  }

  /** Marks page {@code id} for re-indexing, soon. */
  void markDirty(String id) {
    // Looking first is cheaper than adding again while a page is typed in. If the indexer takes
    // the id out just after, it reads the page afterwards, so it sees this edit anyway.
    if (!dirty.contains(id)) {
      dirty.add(id);
    }
    scheduleIndex();
  }

  /**
   * Schedules a background index update. The delay is the configured one, or ten times what the
   * last update took if that is longer, so re-indexing a big page while someone types in it takes
   * at most about a tenth of a core (searches and backlinks flush what is pending first).
   */
  private void scheduleIndex() {
    if (indexScheduled.compareAndSet(false, true)) {
      long delay = Math.max(indexDelay.toNanos(), 10 * lastIndexNanos);
      indexer.schedule(
          () -> {
            indexScheduled.set(false);
            long start = System.nanoTime();
            try {
              flush();
            } catch (RuntimeException e) {
              LOG.warn("Updating the search index failed; will retry on the next edit", e);
            }
            lastIndexNanos = System.nanoTime() - start;
          },
          delay,
          TimeUnit.NANOSECONDS);
    }
  }

  /** Brings links and the search index up to date with every committed edit. */
  public void flush() {
    indexLock.lock();
    try {
      for (String id : List.copyOf(dirty)) {
        dirty.remove(id);
        Page page;
        try {
          page = docs.withDocument(id, live -> PageKind.read(live, null));
        } catch (DamagedDocumentException | NoSuchElementException e) {
          continue;
        }
        Set<String> targets = WikiLinks.targets(page.body());
        docs.transaction(
            d -> {
              PreparedStatement num = d.statement("SELECT num FROM pages WHERE id = ?");
              num.setString(1, id);
              long rowid;
              try (ResultSet rs = num.executeQuery()) {
                if (!rs.next()) {
                  return null;
                }
                rowid = rs.getLong(1);
              }
              PreparedStatement del = d.statement("DELETE FROM page_fts WHERE rowid = ?");
              del.setLong(1, rowid);
              del.executeUpdate();
              PreparedStatement ins =
                  d.statement("INSERT INTO page_fts(rowid, title, body) VALUES (?, ?, ?)");
              ins.setLong(1, rowid);
              ins.setString(2, page.title());
              ins.setString(3, page.body());
              ins.executeUpdate();
              PreparedStatement delPairs = d.statement("DELETE FROM page_pairs WHERE rowid = ?");
              delPairs.setLong(1, rowid);
              delPairs.executeUpdate();
              PreparedStatement pairs =
                  d.statement("INSERT INTO page_pairs(rowid, grams) VALUES (?, ?)");
              pairs.setLong(1, rowid);
              pairs.setString(2, Bigrams.of(page.title() + "\n" + page.body()));
              pairs.executeUpdate();
              PreparedStatement delLinks = d.statement("DELETE FROM links WHERE from_page = ?");
              delLinks.setString(1, id);
              delLinks.executeUpdate();
              PreparedStatement link =
                  d.statement(
                      "INSERT OR IGNORE INTO links(from_page, space_id, to_key) VALUES (?, ?, ?)");
              for (String t : targets) {
                link.setString(1, id);
                link.setString(2, page.spaceId().value());
                link.setString(3, WikiLinks.key(t));
                link.executeUpdate();
              }
              PreparedStatement done = d.statement("UPDATE pages SET indexed_seq = ? WHERE id = ?");
              done.setLong(1, page.version());
              done.setString(2, id);
              done.executeUpdate();
              return null;
            });
      }
    } finally {
      indexLock.unlock();
    }
  }

  /** Stops the indexer thread at once (for tests of recovery: nothing more is indexed). */
  void abandon() {
    indexer.shutdownNow();
  }

  /** Stops the indexer thread and indexes what is pending (or leaves it to the next start). */
  @Override
  public void close() {
    indexer.shutdown();
    try {
      if (!indexer.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warn("The search indexer did not stop within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      flush();
    } catch (RuntimeException e) {
      LOG.warn("Could not update the search index on close; it is rebuilt on next start", e);
    }
  }
}

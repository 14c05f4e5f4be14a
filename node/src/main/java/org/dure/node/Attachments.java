package org.dure.node;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dure.identity.PeerId;
import org.dure.net.blobs.BlobService;
import org.dure.store.WikiStore;
import org.dure.store.blob.BlobCollector;
import org.dure.store.blob.BlobHash;
import org.dure.store.blob.BlobManifest;
import org.dure.store.blob.BlobRefusedException;
import org.dure.store.blob.BlobStore;
import org.dure.store.blob.ImageGuard;
import org.dure.store.doc.Ids;
import org.dure.store.doc.PrivateFiles;
import org.dure.store.wiki.Membership;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.SpaceId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's attachments: put into a space's pages, referred to from Markdown as {@code
 * /attachments/ROOT} (the blob's root hash, {@code docs/protocol/blobs.md}), fetched from the
 * members of the space who are connected when a page that refers to them is shown, or all of them
 * for a space marked "keep offline" (checked every minute while online). The limit per attachment
 * and the spaces kept offline are this node's settings, kept in {@value #SETTINGS_FILE}.
 *
 * <p>An image over the pixel limits, or one without a readable header ({@link ImageGuard}), is not
 * taken, uploaded or fetched. Attachments fetched from others that no page refers to any more (the
 * page edited, purged from the trash, or gone with its space) are deleted {@link
 * BlobCollector#GRACE} after a collection first found them so ({@link #collectGarbage}, every
 * {@value #COLLECT_HOURS} hours and on demand); those this node's user put in are kept, so that an
 * older version of a page, restored, finds its attachments with their uploader.
 */
public final class Attachments implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Attachments.class);

  /** Where Dure serves an attachment: this, then the root hash. */
  public static final String ROUTE = "/attachments/";

  /** The settings file in the data directory. */
  public static final String SETTINGS_FILE = "attachment-settings.properties";

  /** The blob store's directory in the data directory. */
  public static final String BLOBS_DIR = "blobs";

  private static final Pattern REF = Pattern.compile("/attachments/([0-9a-f]{64})");

  /** Hours between two collections of garbage. */
  static final int COLLECT_HOURS = 6;

  /**
   * What a collection of garbage did.
   *
   * @param deleted attachments deleted
   * @param bytes bytes freed
   * @param unreferenced attachments no page refers to that wait out their grace period
   */
  public record Collected(int deleted, long bytes, int unreferenced) {}

  private final WikiStore store;
  private final BlobStore blobs;
  private final PeerNode peer;
  private final Path settingsFile;
  private final Set<SpaceId> offline = new LinkedHashSet<>();
  private final Set<BlobHash> fetching = new HashSet<>();
  private final Clock clock;

  /**
   * Held while an upload is stored and while the collector deletes a blob: one waits for the other.
   */
  private final Object deleting = new Object();

  /** Held by a collection (the scheduled one and one asked for do not run at once). */
  private final Object collecting = new Object();

  private volatile Runnable afterCollection = () -> {};
  private ScheduledExecutorService keeper;

  /**
   * @param peer the running peer, or null on a stopped data directory (nothing is fetched)
   */
  Attachments(WikiStore store, BlobStore blobs, PeerNode peer, Path dataDir) {
    this(store, blobs, peer, dataDir, Clock.systemUTC());
  }

  Attachments(WikiStore store, BlobStore blobs, PeerNode peer, Path dataDir, Clock clock) {
    this.store = store;
    this.blobs = blobs;
    this.peer = peer;
    this.clock = clock;
    this.settingsFile = dataDir.resolve(SETTINGS_FILE);
    load();
  }

  /** Opens the blob store of {@code dataDir}. */
  static BlobStore openStore(Path dataDir) {
    try {
      return BlobStore.open(dataDir.resolve(BLOBS_DIR), BlobStore.DEFAULT_MAX_BLOB_BYTES);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot open the attachments in " + dataDir, e);
    }
  }

  /** The blob store. */
  public BlobStore blobs() {
    return blobs;
  }

  // ---------------------------------------------------------------- adding

  /**
   * Stores the bytes of {@code in} as an attachment of {@code space}.
   *
   * @throws org.dure.store.blob.BlobTooLargeException over the limit per attachment
   * @throws BlobRefusedException if it is an image over the pixel limits or without a readable
   *     header (members would refuse it; nothing of it is kept)
   */
  public BlobManifest put(SpaceId space, String name, String mediaType, InputStream in)
      throws IOException {
    synchronized (deleting) {
      BlobManifest m = blobs.put(safeName(name), mediaType(mediaType), in, space.value());
      BlobHash root = m.root();
      ImageGuard.Verdict v = blobs.inspect(root);
      if (!v.keep()) {
        blobs.delete(root);
        throw new BlobRefusedException("Not taken: " + v.reason());
      }
      blobs.markUnreferenced(root, null); // its page is being written
      return m;
    }
  }

  /** The Markdown that shows (an image) or links (another file) {@code m}. */
  public static String markdownFor(BlobManifest m) {
    String label = m.name().replaceAll("[\\[\\]\\\\]", "_");
    String ref = ROUTE + m.root().hex();
    return (isImage(m.mediaType()) ? "![" + label + "](" : "[" + label + "](") + ref + ")";
  }

  /** Whether attachments of {@code mediaType} are shown as images (PNG, JPEG, GIF, WebP). */
  public static boolean isImage(String mediaType) {
    return Set.of("image/png", "image/jpeg", "image/gif", "image/webp").contains(mediaType);
  }

  /** A media type as the store keeps it: lower case, no parameters; else octet-stream. */
  static String mediaType(String declared) {
    String t = declared == null ? "" : declared.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return BlobManifest.isMediaType(t) ? t : "application/octet-stream";
  }

  /** A file name the store takes: no path, no control characters, at most 255 bytes. */
  static String safeName(String name) {
    String n = name == null ? "" : name.replace('\\', '/');
    n = n.substring(n.lastIndexOf('/') + 1);
    StringBuilder b = new StringBuilder();
    n.codePoints()
        .filter(c -> !Character.isISOControl(c) && (c < 0xD800 || c > 0xDFFF))
        .forEach(b::appendCodePoint);
    n = b.toString().strip();
    while (n.getBytes(StandardCharsets.UTF_8).length > BlobManifest.MAX_NAME_BYTES) {
      n = n.substring(0, n.offsetByCodePoints(n.length(), -1));
    }
    return n.isEmpty() ? "file" : n;
  }

  // --------------------------------------------------------------- reading

  /** The attachments {@code markdown} refers to, in order, each once. */
  public static List<BlobHash> refs(String markdown) {
    Set<BlobHash> out = new LinkedHashSet<>();
    Matcher m = REF.matcher(markdown);
    while (m.find()) {
      out.add(new BlobHash(m.group(1)));
    }
    return List.copyOf(out);
  }

  /** The attachments {@code markdown} refers to that are not whole here. */
  public List<BlobHash> missing(String markdown) {
    List<BlobHash> out = new ArrayList<>();
    for (BlobHash h : refs(markdown)) {
      try {
        if (!blobs.isComplete(h)) {
          out.add(h);
        }
      } catch (IOException e) {
        out.add(h);
      }
    }
    return out;
  }

  /**
   * Fetches attachment {@code root} of {@code space} from the members of the space connected now
   * (several at once), resuming what is here; blocks until it is done or nobody can give more.
   */
  public BlobService.Result fetch(SpaceId space, BlobHash root, BlobService.Progress progress)
      throws IOException, InterruptedException {
    Optional<BlobStore.Refusal> refused = blobs.refusal(root);
    if (refused.isPresent()) {
      return new BlobService.Result(
          false, Optional.empty(), BlobService.REFUSED + refused.get().reason());
    }
    BlobService service = peer == null ? null : peer.blobService();
    if (service == null) {
      return new BlobService.Result(false, blobs.manifest(root), "This computer is offline");
    }
    if (!claim(root)) {
      return new BlobService.Result(false, blobs.manifest(root), "Already being fetched");
    }
    try {
      return service.fetch(root, space, membersConnected(space), progress);
    } finally {
      release(root);
    }
  }

  /** Marks {@code root} as being fetched (the collector leaves it alone); false if it was. */
  boolean claim(BlobHash root) {
    synchronized (fetching) {
      return fetching.add(root);
    }
  }

  /** {@code root} is no longer being fetched. */
  void release(BlobHash root) {
    synchronized (fetching) {
      fetching.remove(root);
    }
  }

  private List<PeerId> membersConnected(SpaceId space) {
    Set<PeerId> members = new HashSet<>();
    try {
      Membership m = store.membership(space);
      members.addAll(m.members().keySet());
      members.add(m.owner());
    } catch (RuntimeException e) {
      return List.of();
    }
    List<PeerId> out = new ArrayList<>();
    for (PeerId p : peer.connectedPeers()) {
      if (members.contains(p)) {
        out.add(p);
      }
    }
    return out;
  }

  // -------------------------------------------------------------- settings

  /** The largest attachment taken, in bytes (uploads and fetches). */
  public long maxBytes() {
    return blobs.maxBlobBytes();
  }

  /** Sets the largest attachment taken, in MiB (1 to 1,900), and keeps it. */
  public synchronized void setMaxMiB(long mib) {
    if (mib < 1 || mib > BlobManifest.MAX_SIZE >> 20) {
      throw new IllegalArgumentException(
          "The limit per attachment is 1 to " + (BlobManifest.MAX_SIZE >> 20) + " MiB");
    }
    blobs.setMaxBlobBytes(mib << 20);
    save();
  }

  /** Whether every attachment of {@code space} is fetched, not only those of pages shown. */
  public synchronized boolean keepsOffline(SpaceId space) {
    return offline.contains(space);
  }

  /** Marks {@code space} "keep offline" (or not), and keeps that. */
  public synchronized void setKeepOffline(SpaceId space, boolean keep) {
    if (keep ? offline.add(space) : offline.remove(space)) {
      save();
    }
  }

  private synchronized void load() {
    Properties p = new Properties();
    try {
      p.load(new StringReader(Files.readString(settingsFile, StandardCharsets.UTF_8)));
    } catch (NoSuchFileException e) {
      return;
    } catch (IOException | IllegalArgumentException e) {
      LOG.warn("Cannot read {}: {}; using the defaults", settingsFile, e.toString());
      return;
    }
    try {
      long mib = Long.parseLong(p.getProperty("maxMiB", "100").strip());
      blobs.setMaxBlobBytes(mib << 20);
    } catch (IllegalArgumentException e) {
      LOG.warn("{}: maxMiB is not a limit; 100 MiB per attachment", settingsFile);
    }
    for (String s : p.getProperty("keepOffline", "").split(",")) {
      if (Ids.isValid(s.strip())) {
        offline.add(new SpaceId(s.strip()));
      }
    }
  }

  private void save() {
    Properties p = new Properties();
    p.setProperty("maxMiB", Long.toString(blobs.maxBlobBytes() >> 20));
    Set<String> spaces = new TreeSet<>();
    offline.forEach(s -> spaces.add(s.value()));
    p.setProperty("keepOffline", String.join(",", spaces));
    StringWriter w = new StringWriter();
    try {
      p.store(w, null);
      PrivateFiles.writeAtomically(settingsFile, w.toString().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot keep the attachment settings", e);
    }
  }

  // ------------------------------------------------------------ keep offline

  /** Starts fetching, every minute, what the spaces kept offline lack. */
  synchronized void start() {
    if (keeper != null) {
      return;
    }
    keeper =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "dure-attachments");
              t.setDaemon(true);
              return t;
            });
    keeper.scheduleWithFixedDelay(this::keepOffline, 20, 60, TimeUnit.SECONDS);
    keeper.scheduleWithFixedDelay(
        this::collectQuietly, 10 * 60, COLLECT_HOURS * 3600L, TimeUnit.SECONDS);
  }

  /** One round: each attachment that a page of a space kept offline refers to and is not here. */
  void keepOffline() {
    List<SpaceId> spaces;
    synchronized (this) {
      spaces = List.copyOf(offline);
    }
    if (peer == null || peer.blobService() == null) {
      return;
    }
    for (SpaceId space : spaces) {
      try {
        for (BlobHash root : missingIn(space)) {
          BlobService.Result r = fetch(space, root, (done, total) -> {});
          if (!r.complete()) {
            LOG.debug("Attachment {} of {} not complete: {}", root, space, r.problem());
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (IOException | RuntimeException e) {
        LOG.info("Keeping the attachments of {} offline: {}", space, e.toString());
      }
    }
  }

  /** The attachments the pages of {@code space} refer to that are not whole here. */
  List<BlobHash> missingIn(SpaceId space) {
    Set<BlobHash> out = new LinkedHashSet<>();
    int n = store.pageCount(space);
    for (int off = 0; off < n; off += 100) {
      for (PageSummary s : store.pages(space, off, 100)) {
        try {
          out.addAll(missing(store.page(s.id()).body()));
        } catch (RuntimeException e) {
          // a page that cannot be read now: the next round
        }
      }
    }
    return List.copyOf(out);
  }

  // ----------------------------------------------------------------- garbage

  /** Runs {@code r} after each collection that deleted something (e.g. to recount storage). */
  public void afterCollection(Runnable r) {
    this.afterCollection = r;
  }

  /**
   * Collects garbage now: marks the attachments no page refers to (pages hidden or in a trash count
   * as referring), unmarks those referred to again, and deletes those marked at least {@link
   * BlobCollector#GRACE} ago, never one being fetched. Nothing is deleted if a page cannot be read.
   */
  public Collected collectGarbage() throws IOException {
    synchronized (collecting) {
      return collect();
    }
  }

  private Collected collect() throws IOException {
    store.wiki().trash().purgeExpired(); // pages past their 30 days refer to nothing any more
    Set<BlobHash> referenced = referenced();
    Map<BlobHash, Optional<Instant>> marks = new LinkedHashMap<>();
    for (BlobHash b : blobs.blobs()) {
      if (!blobs.uploadedHere(b)) {
        // What this node's user put in stays: a page's history may refer to it, and a version
        // restored fetches its attachments from the members, this node among them.
        marks.put(b, blobs.unreferencedSince(b));
      }
    }
    Set<BlobHash> busy;
    synchronized (fetching) {
      busy = Set.copyOf(fetching);
    }
    Instant now = clock.instant();
    BlobCollector.Plan plan = BlobCollector.plan(marks, referenced, busy, now, BlobCollector.GRACE);
    for (BlobHash b : plan.mark()) {
      blobs.markUnreferenced(b, now);
    }
    for (BlobHash b : plan.unmark()) {
      blobs.markUnreferenced(b, null);
    }
    int deleted = 0;
    long bytes = 0;
    if (!plan.delete().isEmpty()) {
      // Pages written while the list was read: read them all again before anything goes.
      Set<BlobHash> again = referenced();
      for (BlobHash b : plan.delete()) {
        synchronized (deleting) {
          synchronized (fetching) {
            Optional<Instant> since = blobs.unreferencedSince(b);
            if (again.contains(b)
                || fetching.contains(b)
                || since.isEmpty()
                || since.get().plus(BlobCollector.GRACE).isAfter(now)) {
              continue;
            }
            long size = blobs.bytes(b);
            blobs.delete(b);
            LOG.info("Attachment {} deleted: no page has referred to it since {}", b, since.get());
            deleted++;
            bytes += size;
          }
        }
      }
    }
    if (deleted > 0) {
      afterCollection.run();
    }
    long unreferenced =
        marks.keySet().stream().filter(b -> !referenced.contains(b) && !busy.contains(b)).count();
    return new Collected(deleted, bytes, (int) unreferenced - deleted);
  }

  /** The attachments every page here refers to, those hidden or in a trash included. */
  private Set<BlobHash> referenced() {
    Set<BlobHash> out = new HashSet<>();
    for (PageId id : store.wiki().pages().allKept()) {
      try {
        out.addAll(refs(store.page(id).body()));
      } catch (NoSuchElementException gone) {
        // purged or removed since the list was read
      }
    }
    return out;
  }

  private void collectQuietly() {
    try {
      Collected c = collectGarbage();
      if (c.deleted() > 0) {
        LOG.info(
            "Attachments no page refers to: {} deleted, {} bytes freed", c.deleted(), c.bytes());
      }
    } catch (IOException | RuntimeException e) {
      LOG.info("Collecting the attachments no page refers to: {}; tried again later", e.toString());
    }
  }

  /** Stops the keep-offline rounds. */
  @Override
  public synchronized void close() {
    if (keeper != null) {
      keeper.shutdownNow();
      keeper = null;
    }
  }

  /** The manifest of {@code root}, if known here. */
  public Optional<BlobManifest> manifest(BlobHash root) {
    try {
      return blobs.manifest(root);
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}

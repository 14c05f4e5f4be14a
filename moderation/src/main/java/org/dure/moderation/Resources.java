package org.dure.moderation;

import java.time.Clock;
import java.util.List;
import org.dure.net.host.Host;
import org.dure.net.host.UploadLimiter;
import org.dure.net.sync.SyncAccessPolicy;
import org.dure.store.WikiStore;
import org.dure.store.moderation.UsageTables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this computer gives others, in one place: the user's {@link ResourceSettings} (stored in the
 * store, applied live), the {@link RateLimits} for the network's hooks, the upload and relay caps'
 * {@link UploadLimiter}s, the relay consent ({@link #relayPolicy}), the {@link UsageLedger} and the
 * {@link StorageForOthers}. The node wires these into each host it starts ({@link #attach}) and
 * flushes the ledger periodically ({@link #flush}). Thread-safe.
 */
public final class Resources implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Resources.class);

  /** What the usage page shows. */
  public record Usage(
      List<UsageLedger.PeerUsage> peers,
      long storageForOthersBytes,
      long storageCapBytes,
      int openConnections,
      long uploadBytesPerSecondCap) {}

  private final UsageTables tables;
  private final UploadLimiter upload = new UploadLimiter();
  private final UploadLimiter relay = new UploadLimiter();
  private final StorageForOthers storage;
  private final RateLimits limits;
  private final UsageLedger ledger;
  private volatile ResourceSettings settings;

  public Resources(WikiStore store, Clock clock) {
    this.tables = store.usageTables();
    ResourceSettings s;
    try {
      s = ResourceSettings.fromMap(tables.settings());
    } catch (IllegalArgumentException e) {
      LOG.warn("Stored resource settings are invalid ({}); using the defaults", e.getMessage());
      s = ResourceSettings.defaults();
    }
    this.settings = s;
    this.storage = new StorageForOthers(store, clock);
    this.limits = new RateLimits(() -> settings, storage, clock);
    this.ledger = new UsageLedger(tables, clock);
    apply(s);
  }

  public ResourceSettings settings() {
    return settings;
  }

  /** Stores {@code s} and applies it at once (no restart). */
  public synchronized void update(ResourceSettings s) {
    tables.saveSettings(s.toMap());
    settings = s;
    apply(s);
    LOG.info("Resource settings changed: {}", s.toMap());
  }

  private void apply(ResourceSettings s) {
    upload.setBytesPerSecond(s.uploadKiBps() * 1024);
    relay.setBytesPerSecond(s.relayKiBps() * 1024);
  }

  public RateLimits limits() {
    return limits;
  }

  public UploadLimiter uploadLimiter() {
    return upload;
  }

  /**
   * The relay cap's limiter, kept at the configured rate: the relay service paces every byte it
   * relays for others through it (as well as through the upload cap, like any byte sent).
   */
  public UploadLimiter relayLimiter() {
    return relay;
  }

  /**
   * Whom to relay for, by the "help others" consent and the memberships {@code spaces} reads
   * ({@link ConsentRelayPolicy}), paced by {@link #relayLimiter()}.
   */
  public ConsentRelayPolicy relayPolicy(SyncAccessPolicy spaces, Blocklist blocklist) {
    return new ConsentRelayPolicy(() -> settings, spaces, blocklist, relay);
  }

  /**
   * Who may have this node's attachments and which it keeps ({@link MemberBlobPolicy}), by the
   * memberships {@code spaces} reads and the cap on storage held for others.
   */
  public MemberBlobPolicy blobPolicy(SyncAccessPolicy spaces) {
    return new MemberBlobPolicy(spaces, storage, () -> settings);
  }

  public UsageLedger ledger() {
    return ledger;
  }

  public StorageForOthers storage() {
    return storage;
  }

  /** Counts {@code host}'s traffic from now on. */
  public void attach(Host host) {
    ledger.attach(host);
  }

  /** Flushes and stops following the host (it is stopping). */
  public void detach() {
    ledger.detach();
  }

  /** Adds the traffic counted since the last flush to the stored ledger. */
  public void flush() {
    try {
      ledger.flush();
    } catch (RuntimeException e) {
      LOG.warn("Cannot save the usage ledger: {}", e.toString());
    }
  }

  public Usage usage() {
    List<UsageLedger.PeerUsage> peers = ledger.peers();
    int open = peers.stream().mapToInt(UsageLedger.PeerUsage::openConnections).sum();
    ResourceSettings s = settings;
    return new Usage(
        peers, storage.bytes(), s.storageForOthersMiB() << 20, open, s.uploadKiBps() * 1024);
  }

  @Override
  public void close() {
    flush();
  }
}

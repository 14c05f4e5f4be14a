package org.dure.net.host;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.dure.identity.LibP2pPublicKey;
import org.dure.identity.PeerId;
import org.dure.net.multiaddr.Multiaddr;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What is known about peers: addresses, protocols, agent, public key. Thread-safe. Persisted as a
 * UTF-8 text file, one peer per line, tab-separated: {@code peerId addrs protocols agent
 * protocolVersion publicKeyBase64} (lists comma-separated). Loading bounds every size and skips bad
 * lines.
 *
 * <p>Bounded: at most {@link #MAX_PEERS} peers. A peer new when the store is full takes the place
 * of the one seen least recently (any update counts as seeing it), preferring peers this node never
 * dialled successfully ({@link #markDialled}): a flood of fresh identities, which cost nothing to
 * make, pushes out other strangers before the friends this node connects to.
 */
public final class PeerStore {
  private static final Logger LOG = LoggerFactory.getLogger(PeerStore.class);
  private static final String HEADER = "# dure peerstore v1";

  public static final int MAX_PEERS = 10_000;
  public static final int MAX_ADDRESSES = 32;
  public static final int MAX_PROTOCOLS = 256;
  public static final int MAX_LINE = 64 * 1024;

  /** An immutable view of one peer. Strings are empty when unknown; key may be {@code null}. */
  public record PeerRecord(
      PeerId peerId,
      List<Multiaddr> addresses,
      List<String> protocols,
      String agentVersion,
      String protocolVersion,
      LibP2pPublicKey publicKey) {
    public PeerRecord {
      addresses = List.copyOf(addresses);
      protocols = List.copyOf(protocols);
    }
  }

  // Guarded by this; ordered from least to most recently seen.
  private final LinkedHashMap<PeerId, PeerRecord> peers = new LinkedHashMap<>();
  private final Set<PeerId> dialled = new HashSet<>();
  private final java.util.concurrent.atomic.AtomicLong changes =
      new java.util.concurrent.atomic.AtomicLong();

  /**
   * A counter that grows with every change, so an owner can save the store when (and only when) it
   * changed.
   */
  public long changes() {
    return changes.get();
  }

  public synchronized Optional<PeerRecord> get(PeerId peer) {
    return Optional.ofNullable(peers.get(peer));
  }

  public synchronized List<PeerId> peers() {
    return List.copyOf(peers.keySet());
  }

  /** Peers known now (at most {@link #MAX_PEERS}). */
  public synchronized int size() {
    return peers.size();
  }

  /**
   * Marks {@code peer} as one this node connected to (dialled) successfully: kept over peers that
   * only connected to it when the store is full.
   */
  public synchronized void markDialled(PeerId peer) {
    if (peers.containsKey(peer)) {
      dialled.add(peer);
    }
  }

  private PeerRecord empty(PeerId id) {
    return new PeerRecord(id, List.of(), List.of(), "", "", null);
  }

  /** Adds addresses (without {@code /p2p/}), keeping the newest {@link #MAX_ADDRESSES}. */
  public void addAddresses(PeerId peer, List<Multiaddr> addresses) {
    update(
        peer,
        r -> {
          Set<Multiaddr> set = new LinkedHashSet<>();
          for (Multiaddr a : addresses) {
            set.add(a.withoutPeerId());
          }
          set.addAll(r.addresses());
          List<Multiaddr> list = new ArrayList<>(set);
          return new PeerRecord(
              peer,
              list.subList(0, Math.min(list.size(), MAX_ADDRESSES)),
              r.protocols(),
              r.agentVersion(),
              r.protocolVersion(),
              r.publicKey());
        });
  }

  public void setProtocols(PeerId peer, List<String> protocols) {
    List<String> p = protocols.subList(0, Math.min(protocols.size(), MAX_PROTOCOLS));
    update(
        peer,
        r ->
            new PeerRecord(
                peer, r.addresses(), p, r.agentVersion(), r.protocolVersion(), r.publicKey()));
  }

  public void setAgent(PeerId peer, String agentVersion, String protocolVersion) {
    update(
        peer,
        r ->
            new PeerRecord(
                peer,
                r.addresses(),
                r.protocols(),
                agentVersion == null ? r.agentVersion() : agentVersion,
                protocolVersion == null ? r.protocolVersion() : protocolVersion,
                r.publicKey()));
  }

  /** Records the public key; ignored unless it matches the peer ID. */
  public void setPublicKey(PeerId peer, LibP2pPublicKey key) {
    if (!peer.matches(key)) {
      return;
    }
    update(
        peer,
        r ->
            new PeerRecord(
                peer, r.addresses(), r.protocols(), r.agentVersion(), r.protocolVersion(), key));
  }

  public synchronized void remove(PeerId peer) {
    dialled.remove(peer);
    if (peers.remove(peer) != null) {
      changes.incrementAndGet();
    }
  }

  private synchronized void update(PeerId peer, java.util.function.UnaryOperator<PeerRecord> f) {
    PeerRecord before = peers.remove(peer); // put back last: seen most recently
    if (before == null && peers.size() >= MAX_PEERS) {
      evictOne();
    }
    PeerRecord after = f.apply(before == null ? empty(peer) : before);
    peers.put(peer, after);
    if (!after.equals(before)) {
      changes.incrementAndGet();
    }
  }

  /** Forgets the least recently seen peer never dialled, or else the least recently seen. */
  private void evictOne() {
    PeerId victim = null;
    for (PeerId p : peers.keySet()) {
      if (!dialled.contains(p)) {
        victim = p;
        break;
      }
    }
    if (victim == null) {
      victim = peers.keySet().iterator().next();
    }
    peers.remove(victim);
    dialled.remove(victim);
    changes.incrementAndGet();
  }

  /** Writes the store atomically (temp file, then rename). */
  public void save(Path file) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    List<PeerRecord> records;
    synchronized (this) {
      records = List.copyOf(peers.values());
    }
    Files.deleteIfExists(tmp);
    org.dure.store.doc.PrivateFiles.createFile(tmp); // owner-only: who your friends are and where
    try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      w.write(HEADER + "\n");
      for (PeerRecord r : records) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.peerId()).append('\t');
        sb.append(String.join(",", r.addresses().stream().map(Multiaddr::toString).toList()))
            .append('\t');
        sb.append(String.join(",", r.protocols().stream().map(PeerStore::clean).toList()))
            .append('\t');
        sb.append(clean(r.agentVersion())).append('\t');
        sb.append(clean(r.protocolVersion())).append('\t');
        sb.append(
            r.publicKey() == null
                ? ""
                : Base64.getEncoder().encodeToString(r.publicKey().toProtobuf()));
        w.write(sb.append('\n').toString());
      }
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static String clean(String s) {
    return s.replaceAll("[\\t\\n\\r,]", " ");
  }

  /** Loads a file written by {@link #save}; a missing file is an empty store. */
  public static PeerStore load(Path file) throws IOException {
    PeerStore store = new PeerStore();
    if (!Files.exists(file)) {
      return store;
    }
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      StringBuilder line = new StringBuilder();
      int lineNo = 0;
      int c;
      boolean tooLong = false;
      while ((c = r.read()) >= 0) {
        if (c != '\n') {
          if (line.length() < MAX_LINE) {
            line.append((char) c);
          } else {
            tooLong = true;
          }
          continue;
        }
        lineNo++;
        if (!tooLong) {
          store.parseLine(line.toString(), lineNo, file);
        } else {
          LOG.warn("{}:{}: line too long, skipped", file, lineNo);
        }
        line.setLength(0);
        tooLong = false;
        if (store.size() >= MAX_PEERS) {
          break;
        }
      }
    }
    return store;
  }

  private void parseLine(String line, int lineNo, Path file) {
    if (line.isBlank() || line.startsWith("#")) {
      return;
    }
    try {
      String[] f = line.split("\t", -1);
      if (f.length != 6) {
        throw new IllegalArgumentException("expected 6 fields");
      }
      PeerId id = PeerId.parse(f[0]);
      List<Multiaddr> addrs = new ArrayList<>();
      for (String a : f[1].isEmpty() ? new String[0] : f[1].split(",")) {
        if (addrs.size() < MAX_ADDRESSES) {
          addrs.add(Multiaddr.parse(a));
        }
      }
      List<String> protos = new ArrayList<>();
      for (String p : f[2].isEmpty() ? new String[0] : f[2].split(",")) {
        if (protos.size() < MAX_PROTOCOLS) {
          protos.add(p);
        }
      }
      LibP2pPublicKey key =
          f[5].isEmpty() ? null : LibP2pPublicKey.fromProtobuf(Base64.getDecoder().decode(f[5]));
      if (key != null && !id.matches(key)) {
        key = null;
      }
      synchronized (this) {
        peers.put(id, new PeerRecord(id, addrs, protos, f[3], f[4], key));
      }
    } catch (Exception e) {
      LOG.warn("{}:{}: bad peerstore line skipped: {}", file, lineNo, e.getMessage());
    }
  }
}

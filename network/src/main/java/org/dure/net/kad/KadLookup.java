package org.dure.net.kad;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.dure.identity.PeerId;

/**
 * One iterative Kademlia lookup, as a state machine without I/O or threads: the caller asks {@link
 * #next} which peers to query (at most α in flight), sends them the request, and reports each
 * answer with {@link #onResponse} or {@link #onFailure}. The lookup converges on the {@code k}
 * closest peers to the target and is {@linkplain #isDone() done} when each of them has answered or
 * failed, or earlier when its goal is met ({@link Goal}). Time is passed in (millis of any clock),
 * so it is tested step by step with a fake clock.
 *
 * <p>Each candidate has a depth: the seeds are at depth 1, a peer learnt from an answer of a peer
 * at depth d is at depth d + 1. {@link #depth()} is the greatest depth that answered, i.e. the
 * number of rounds of α queries the lookup needed when they run in parallel.
 */
public final class KadLookup {
  /** When a lookup may stop before it converged. */
  public enum Goal {
    /** Converge on the k closest peers (FIND_NODE before ADD_PROVIDER, a refresh). */
    CLOSEST,
    /**
     * Stop as soon as an answer names the target peer with addresses, among its closer peers
     * (FIND_NODE) or as a provider (GET_PROVIDERS of the peer's key).
     */
    PEER,
    /** Stop as soon as {@code wanted} providers are known (GET_PROVIDERS). */
    PROVIDERS
  }

  private enum State {
    WAITING_TO_ASK,
    ASKED,
    ANSWERED,
    FAILED
  }

  private static final class Candidate {
    final KadPeer peer;
    final int depth;
    State state = State.WAITING_TO_ASK;
    long askedAt;

    Candidate(KadPeer peer, int depth) {
      this.peer = peer;
      this.depth = depth;
    }
  }

  private final KadId target;
  private final PeerId targetPeer;
  private final PeerId self;
  private final Goal goal;
  private final int k;
  private final int alpha;
  private final int wanted;
  private final long timeoutMillis;
  private final TreeMap<KadId, Candidate> candidates;
  private final Map<PeerId, Candidate> byPeer = new LinkedHashMap<>();
  private final Map<PeerId, KadPeer> providers = new LinkedHashMap<>();
  private KadPeer found;
  private int inFlight;
  private int sent;
  private int depth;

  /**
   * @param target the point looked up
   * @param targetPeer for {@link Goal#PEER}, the peer looked for, else {@code null}
   * @param self this node, never queried nor returned
   * @param wanted for {@link Goal#PROVIDERS}, how many providers are enough
   * @param seeds the closest peers known (routing table, bootstrap peers)
   * @param timeoutMillis after which an unanswered request counts as failed
   */
  public KadLookup(
      KadId target,
      PeerId targetPeer,
      PeerId self,
      Goal goal,
      int k,
      int alpha,
      int wanted,
      List<KadPeer> seeds,
      long timeoutMillis) {
    this.target = target;
    this.targetPeer = targetPeer;
    this.self = self;
    this.goal = goal;
    this.k = k;
    this.alpha = alpha;
    this.wanted = wanted;
    this.timeoutMillis = timeoutMillis;
    this.candidates = new TreeMap<>(target::compareDistance);
    for (KadPeer p : seeds) {
      offer(p, 1);
    }
  }

  private void offer(KadPeer p, int depth) {
    if (p.id().equals(self)) {
      return;
    }
    Candidate known = byPeer.get(p.id());
    if (known != null) {
      return;
    }
    Candidate c = new Candidate(p, depth);
    byPeer.put(p.id(), c);
    candidates.put(KadId.of(p.id()), c);
  }

  /**
   * Marks unanswered requests older than the timeout as failed and returns the peers to query now
   * (the closest not yet asked among the k closest that have not failed), keeping at most α in
   * flight. Empty when there is nothing to ask at the moment or the lookup is done.
   */
  public List<KadPeer> next(long now) {
    for (Candidate c : candidates.values()) {
      if (c.state == State.ASKED && now - c.askedAt >= timeoutMillis) {
        c.state = State.FAILED;
        inFlight--;
      }
    }
    List<KadPeer> out = new ArrayList<>();
    if (goalMet()) {
      return out;
    }
    int seen = 0;
    for (Candidate c : candidates.values()) {
      if (inFlight >= alpha || seen >= k) {
        break;
      }
      if (c.state == State.FAILED) {
        continue;
      }
      seen++;
      if (c.state == State.WAITING_TO_ASK) {
        c.state = State.ASKED;
        c.askedAt = now;
        inFlight++;
        sent++;
        out.add(c.peer);
      }
    }
    return out;
  }

  /** The earliest time at which a request in flight times out, or -1 if none is in flight. */
  public long nextTimeout() {
    long t = -1;
    for (Candidate c : candidates.values()) {
      if (c.state == State.ASKED && (t < 0 || c.askedAt + timeoutMillis < t)) {
        t = c.askedAt + timeoutMillis;
      }
    }
    return t;
  }

  /** Takes the answer of {@code from}: its closer peers become candidates, providers are kept. */
  public void onResponse(PeerId from, KadMessage response) {
    Candidate c = byPeer.get(from);
    if (c == null || c.state != State.ASKED) {
      return; // not asked, or already timed out: ignore
    }
    c.state = State.ANSWERED;
    inFlight--;
    depth = Math.max(depth, c.depth);
    for (KadPeer p : response.closerPeers()) {
      if (targetPeer != null && p.id().equals(targetPeer) && !p.addrs().isEmpty()) {
        found = p;
      }
      offer(p, c.depth + 1);
    }
    for (KadPeer p : response.providerPeers()) {
      if (targetPeer != null && !p.id().equals(targetPeer)) {
        continue; // looking for one peer's record: anyone else may have put theirs there
      }
      if (targetPeer != null && !p.addrs().isEmpty()) {
        found = p;
      }
      if (providers.size() < Math.max(wanted, k) && !providers.containsKey(p.id())) {
        providers.put(p.id(), p);
      }
    }
  }

  /** Records that {@code from} could not be asked or did not answer properly. */
  public void onFailure(PeerId from) {
    Candidate c = byPeer.get(from);
    if (c != null && c.state == State.ASKED) {
      c.state = State.FAILED;
      inFlight--;
    }
  }

  private boolean goalMet() {
    return switch (goal) {
      case CLOSEST -> false;
      case PEER -> found != null;
      case PROVIDERS -> providers.size() >= wanted;
    };
  }

  /**
   * Whether the lookup is over: its goal is met, or none of the k closest peers that did not fail
   * is waiting to be asked or being asked.
   */
  public boolean isDone() {
    if (goalMet()) {
      return true;
    }
    int seen = 0;
    for (Candidate c : candidates.values()) {
      if (seen >= k) {
        break;
      }
      if (c.state == State.FAILED) {
        continue;
      }
      seen++;
      if (c.state != State.ANSWERED) {
        return false;
      }
    }
    return true;
  }

  /** The k closest peers that answered, closest first (where to put a provider record). */
  public List<KadPeer> closestAnswered() {
    List<KadPeer> out = new ArrayList<>();
    for (Candidate c : candidates.values()) {
      if (c.state == State.ANSWERED && out.size() < k) {
        out.add(c.peer);
      }
    }
    return out;
  }

  /** The target peer as an answer named it, or {@code null}. */
  public KadPeer found() {
    return found;
  }

  /** The providers learnt so far, in the order learnt. */
  public List<KadPeer> providers() {
    return List.copyOf(providers.values());
  }

  /** Requests sent so far. */
  public int messagesSent() {
    return sent;
  }

  /** The greatest depth of a peer that answered (rounds of α queries needed). */
  public int depth() {
    return depth;
  }

  public KadId target() {
    return target;
  }

  public int inFlight() {
    return inFlight;
  }
}

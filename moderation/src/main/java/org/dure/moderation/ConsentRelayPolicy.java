package org.dure.moderation;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;
import org.dure.identity.PeerId;
import org.dure.net.host.UploadLimiter;
import org.dure.net.relay.RelayPolicy;
import org.dure.net.sync.SyncAccessPolicy;
import org.dure.store.wiki.SpaceId;

/**
 * Whom this computer relays for (circuit relay v2, {@code docs/protocol/relay.md}): with "help
 * others" off (the default), only for the members of my spaces: a peer may reserve a slot if it is
 * a member of a space I hold, and a circuit is joined only if both ends are members of one space I
 * hold. With "help others" on, for any peer. Never for a blocked peer, nor one banned from the
 * space that would allow it (the membership policy's {@link SyncAccessPolicy#spacesFor} leaves
 * those out). Every relayed byte is paced by the relay cap ({@link Resources#relayLimiter()}); the
 * bytes also go through the host's upload cap and are counted in the per-peer ledger like any other
 * (in from one end, out to the other). The settings are read at each request, so a change applies
 * to the next reservation or circuit.
 */
public final class ConsentRelayPolicy implements RelayPolicy {
  private final Supplier<ResourceSettings> settings;
  private final SyncAccessPolicy spaces;
  private final Blocklist blocklist;
  private final UploadLimiter limiter;

  public ConsentRelayPolicy(
      Supplier<ResourceSettings> settings,
      SyncAccessPolicy spaces,
      Blocklist blocklist,
      UploadLimiter limiter) {
    this.settings = settings;
    this.spaces = spaces;
    this.blocklist = blocklist;
    this.limiter = limiter;
  }

  @Override
  public boolean allowReservation(PeerId peer) {
    if (blocklist.isBlocked(peer)) {
      return false;
    }
    return settings.get().helpOthers() || !spaces.spacesFor(peer).isEmpty();
  }

  @Override
  public boolean allowCircuit(PeerId source, PeerId target) {
    if (blocklist.isBlocked(source) || blocklist.isBlocked(target)) {
      return false;
    }
    if (settings.get().helpOthers()) {
      return true;
    }
    Set<SpaceId> shared = new HashSet<>(spaces.spacesFor(source));
    shared.retainAll(spaces.spacesFor(target));
    return !shared.isEmpty();
  }

  @Override
  public UploadLimiter limiter() {
    return limiter;
  }
}

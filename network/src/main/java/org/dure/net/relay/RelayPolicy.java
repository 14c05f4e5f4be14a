package org.dure.net.relay;

import org.dure.identity.PeerId;
import org.dure.net.host.UploadLimiter;

/**
 * What the relay service asks before it serves a peer. The policy lives in the moderation module;
 * the default ({@link #REFUSE_ALL}) refuses every reservation and circuit: relaying for others is
 * opt-in. Implementations must be fast (they run on stream handler threads, once per request).
 */
public interface RelayPolicy {
  /** Refuses everything. */
  RelayPolicy REFUSE_ALL =
      new RelayPolicy() {
        @Override
        public boolean allowReservation(PeerId peer) {
          return false;
        }

        @Override
        public boolean allowCircuit(PeerId source, PeerId target) {
          return false;
        }
      };

  /**
   * Relays for anyone, paced by {@code limiter}: for tests and tools. A Dure node never uses it
   * (its policy asks for consent).
   */
  static RelayPolicy allowingAll(UploadLimiter limiter) {
    return new RelayPolicy() {
      @Override
      public boolean allowReservation(PeerId peer) {
        return true;
      }

      @Override
      public boolean allowCircuit(PeerId source, PeerId target) {
        return true;
      }

      @Override
      public UploadLimiter limiter() {
        return limiter;
      }
    };
  }

  /** May {@code peer} reserve a slot (be reachable through this relay)? */
  boolean allowReservation(PeerId peer);

  /**
   * May {@code source} connect to {@code target} (which holds a reservation) through this relay?
   */
  boolean allowCircuit(PeerId source, PeerId target);

  /**
   * Paces every relayed byte, both directions of every circuit together (the relay cap). Default:
   * unlimited. Called once per circuit; return the same live limiter each time.
   */
  default UploadLimiter limiter() {
    return Unlimited.LIMITER;
  }

  /** Holder of the shared unlimited limiter. */
  final class Unlimited {
    static final UploadLimiter LIMITER = new UploadLimiter();

    private Unlimited() {}
  }
}

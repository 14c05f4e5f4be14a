package org.dure.net.kad;

import java.util.ArrayList;
import java.util.List;
import org.dure.identity.Ed25519Keys;
import org.dure.identity.Identity;
import org.dure.identity.PeerId;

/** Deterministic peer IDs for the kad tests. */
final class KadTestPeers {
  private KadTestPeers() {}

  static PeerId peer(int i) {
    byte[] seed = new byte[32];
    seed[0] = (byte) i;
    seed[1] = (byte) (i >> 8);
    seed[2] = (byte) (i >> 16);
    seed[31] = 7;
    return new Identity(Ed25519Keys.fromSeed(seed)).peerId();
  }

  static List<PeerId> peers(int from, int n) {
    List<PeerId> out = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      out.add(peer(i));
    }
    return out;
  }
}

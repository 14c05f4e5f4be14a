package org.dure.net.kad;

import java.util.ArrayList;
import java.util.List;
import org.dure.identity.PeerId;
import org.dure.net.ProtocolViolationException;

/**
 * A DHT server's answers to requests, without I/O: FIND_NODE and GET_PROVIDERS from the {@link
 * RoutingTable} and the {@link ProviderStore}, ADD_PROVIDER into the store, PING. Dure stores no
 * values: GET_VALUE is answered with closer peers and no record (as a server without the record
 * does), PUT_VALUE is refused.
 */
public final class KadEngine {
  private final PeerId self;
  private final RoutingTable table;
  private final ProviderStore providers;
  private final KadConfig config;

  public KadEngine(PeerId self, RoutingTable table, ProviderStore providers, KadConfig config) {
    this.self = self;
    this.table = table;
    this.providers = providers;
    this.config = config;
  }

  /**
   * The answer to {@code request} from {@code from}, whose connection reaches as far as {@code
   * fromScope}, at {@code now} (epoch millis).
   *
   * @return the reply, or {@code null} when the request has none (ADD_PROVIDER)
   * @throws ProtocolViolationException for a request that breaks the spec (no key where one is
   *     required) or one that is not served (PUT_VALUE)
   */
  public KadMessage handle(PeerId from, AddressScope fromScope, KadMessage request, long now)
      throws ProtocolViolationException {
    byte[] key = request.key();
    return switch (request.type()) {
      case PING -> request.reply(List.of(), List.of());
      case FIND_NODE, GET_VALUE -> {
        requireKey(request);
        yield request.reply(closer(key, from), List.of());
      }
      case GET_PROVIDERS -> {
        requireKey(request);
        List<KadPeer> found = new ArrayList<>();
        for (ProviderStore.Provider p : providers.get(key, now)) {
          found.add(p.toKadPeer());
        }
        yield request.reply(closer(key, from), found);
      }
      case ADD_PROVIDER -> {
        requireKey(request);
        for (KadPeer p : request.providerPeers()) {
          // Spec: only the sender may add itself as a provider; others' records are ignored.
          if (!p.id().equals(from)) {
            continue;
          }
          var addrs = AddressScope.filter(p.addrs(), fromScope, ProviderStore.MAX_ADDRESSES);
          if (!addrs.isEmpty()) {
            providers.add(key, from, addrs, now);
          }
        }
        yield null;
      }
      case PUT_VALUE -> throw new ProtocolViolationException("PUT_VALUE is not served here");
    };
  }

  private static void requireKey(KadMessage m) throws ProtocolViolationException {
    if (m.key().length == 0) {
      throw new ProtocolViolationException(m.type() + " without a key");
    }
  }

  /** The k peers of the table closest to {@code key}, with addresses, but not the requester. */
  private List<KadPeer> closer(byte[] key, PeerId requester) {
    List<KadPeer> out = new ArrayList<>();
    for (RoutingTable.Entry e : table.closest(KadId.of(key), config.k() + 1)) {
      if (!e.peer().equals(requester) && !e.peer().equals(self) && !e.addresses().isEmpty()) {
        if (out.size() < config.k()) {
          out.add(e.toKadPeer());
        }
      }
    }
    return out;
  }
}

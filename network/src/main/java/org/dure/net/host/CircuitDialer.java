package org.dure.net.host;

import java.io.IOException;
import org.dure.net.multiaddr.Multiaddr;

/**
 * Dials {@code /p2p-circuit} addresses for a {@link Host} (installed by the relay client with
 * {@link Host#setCircuitDialer}); the host hands it every such address given to {@link Host#dial}.
 */
@FunctionalInterface
public interface CircuitDialer {
  /**
   * Opens a relayed connection to the peer named at the end of {@code address}, e.g. {@code
   * /ip4/…/tcp/…/p2p/RELAY/p2p-circuit/p2p/TARGET}.
   */
  Connection dial(Multiaddr address) throws IOException;
}

package org.dure.net.nat;

import java.io.IOException;
import java.time.Duration;

/**
 * One way of asking a router for a port mapping (NAT-PMP, UPnP). Every call returns or fails within
 * the implementation's bounded time.
 */
public interface MappingProtocol {
  /** {@code "NAT-PMP"}, {@code "UPnP"}: shown to the user. */
  String name();

  /**
   * Maps TCP {@code internalPort} on this computer, preferring the same external port; asking again
   * for a mapping that exists renews it.
   *
   * @param lifetime how long the mapping should last
   * @throws PortMappingException if the router refused, or answered nonsense
   * @throws IOException if no router answered
   */
  Lease map(int internalPort, Duration lifetime) throws IOException;

  /** Deletes {@code lease} on the router. */
  void unmap(Lease lease) throws IOException;
}

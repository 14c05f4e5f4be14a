package org.dure.net.host;

import org.dure.net.identify.IdentifyMessage;

/** Connection events. Called on the host's handler executor, never on the event loop. */
public interface ConnectionListener {
  default void connected(Connection connection) {}

  default void disconnected(Connection connection) {}

  /** After identify, and after each identify push received from the peer. */
  default void identified(Connection connection, IdentifyMessage message, boolean push) {}
}

package org.dure.node;

import java.time.Clock;
import org.dure.net.host.Connection;
import org.dure.net.host.ConnectionListener;
import org.dure.store.social.Friends;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Notes when friends were last seen: as they connect and as they disconnect. */
final class FriendPresence implements ConnectionListener {
  private static final Logger LOG = LoggerFactory.getLogger(FriendPresence.class);

  private final Friends friends;
  private final Clock clock;

  FriendPresence(Friends friends, Clock clock) {
    this.friends = friends;
    this.clock = clock;
  }

  @Override
  public void connected(Connection connection) {
    seen(connection);
  }

  @Override
  public void disconnected(Connection connection) {
    seen(connection);
  }

  private void seen(Connection connection) {
    try {
      friends.seen(connection.remotePeer(), clock.instant());
    } catch (RuntimeException e) {
      LOG.warn("Cannot note when {} was last seen: {}", connection.remotePeer(), e.toString());
    }
  }
}

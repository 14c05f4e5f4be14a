package org.dure.net.transport;

import io.netty.channel.Channel;
import org.dure.identity.LibP2pPublicKey;
import org.dure.identity.PeerId;

/** Told, on the event loop, when a connection is secured and has agreed on Yamux, or has failed. */
public interface UpgradeListener {
  /**
   * The channel is secured and talks Yamux; the listener must add the Yamux handlers at the end of
   * the pipeline before returning (bytes already received follow right after).
   */
  void onUpgraded(
      Channel channel, PeerId remotePeer, LibP2pPublicKey remoteKey, boolean earlyMuxer);

  /** The upgrade failed; the channel is being closed. */
  void onFailed(Channel channel, Throwable cause);
}

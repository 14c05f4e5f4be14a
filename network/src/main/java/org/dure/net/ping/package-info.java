/**
 * Ping, {@code /ipfs/ping/1.0.0}: the payload codec ({@link org.dure.net.ping.PingCodec}) and the
 * two sides of the exchange on a stream's bytes ({@link org.dure.net.ping.PingHandler}). The host
 * registers the responder and opens the streams; this package knows no host.
 */
package org.dure.net.ping;

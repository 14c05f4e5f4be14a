/**
 * Identify, {@code /ipfs/id/1.0.0} and identify push {@code /ipfs/id/push/1.0.0}: the message codec
 * ({@link org.dure.net.identify.IdentifyMessage}) and the exchange on a stream's bytes ({@link
 * org.dure.net.identify.IdentifyService}: what this node says about itself, fitted to the size
 * limit; reading and checking what a peer says). The host registers the handlers, opens the streams
 * and records what peers say in its peer store; this package knows no host.
 */
package org.dure.net.identify;

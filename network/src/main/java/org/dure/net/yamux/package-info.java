/**
 * Yamux stream multiplexer (hashicorp yamux spec, as used by libp2p {@code /yamux/1.0.0}): frame
 * record and codec, session and streams with flow control.
 */
package org.dure.net.yamux;

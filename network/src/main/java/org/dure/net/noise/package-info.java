/**
 * Noise XX secure channel per the libp2p noise spec: handshake state machine, handshake payload and
 * the transport frame codec.
 */
package org.dure.net.noise;

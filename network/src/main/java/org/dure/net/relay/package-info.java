/**
 * libp2p circuit relay v2 ({@code /libp2p/circuit/relay/0.2.0/hop} and {@code .../stop}): the
 * message codec ({@link org.dure.net.relay.HopMessage}, {@link org.dure.net.relay.StopMessage}),
 * the relay service ({@link org.dure.net.relay.RelayService}, asking a {@link
 * org.dure.net.relay.RelayPolicy}) and the client ({@link org.dure.net.relay.RelayClient}) that
 * reserves a slot, accepts relayed connections and dials {@code /p2p-circuit} addresses. Spec:
 * libp2p/specs {@code relay/circuit-v2.md}; what Dure implements of it: {@code
 * docs/protocol/relay.md}.
 */
package org.dure.net.relay;

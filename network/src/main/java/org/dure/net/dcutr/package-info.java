/**
 * Direct Connection Upgrade through Relay ({@code /libp2p/dcutr}): two peers that meet over a
 * relayed connection exchange their addresses, time a simultaneous TCP open and move to the direct
 * connection it gives. The wire message ({@link org.dure.net.dcutr.HolePunchMessage}), the protocol
 * steps without I/O ({@link org.dure.net.dcutr.DcutrEngine}) and the service on a host ({@link
 * org.dure.net.dcutr.DcutrService}). Spec: libp2p/specs {@code relay/DCUtR.md}; what Dure does:
 * {@code docs/protocol/nat-traversal.md}.
 */
package org.dure.net.dcutr;

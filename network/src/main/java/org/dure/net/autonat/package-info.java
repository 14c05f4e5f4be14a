/**
 * AutoNAT v2 ({@code /libp2p/autonat/2/dial-request} and {@code /libp2p/autonat/2/dial-back}):
 * asking peers to dial an address back to learn whether it is reachable from the internet, and
 * answering such requests for others. Not to be confused with {@code org.dure.net.nat}, which asks
 * the home router to forward a port. Wire messages ({@link org.dure.net.autonat.AutonatMessage},
 * {@link org.dure.net.autonat.DialBack}), the server's decisions without I/O ({@link
 * org.dure.net.autonat.AutonatServerEngine}), the shells ({@link
 * org.dure.net.autonat.AutonatServer}, {@link org.dure.net.autonat.AutonatClient}) and what the
 * answers add up to ({@link org.dure.net.autonat.Reachability}). Spec: libp2p/specs {@code
 * autonat/autonat-v2.md}; what Dure does: {@code docs/protocol/nat-traversal.md}.
 */
package org.dure.net.autonat;

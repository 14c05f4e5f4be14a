/**
 * The network page (online or offline, connections, relays, router, DHT, Dure nodes on the LAN) and
 * sharing a space (invite links and their QR codes). The views ask the {@link
 * org.dure.node.PeerNode}; they hold no network state of their own.
 */
package org.dure.ui.peers;

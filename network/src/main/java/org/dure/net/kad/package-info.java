/**
 * The libp2p Kademlia DHT ({@code /ipfs/kad/1.0.0}, the wire format of the IPFS Amino DHT; spec:
 * libp2p/specs {@code kad-dht/README.md}; what Dure implements of it and how Dure finds peers and
 * fellow members through it: {@code docs/protocol/dht.md}).
 *
 * <p>Values: {@link org.dure.net.kad.KadMessage} and {@link org.dure.net.kad.KadPeer} (the bounded
 * protobuf codec), {@link org.dure.net.kad.KadId} (the 256-bit XOR space). State without I/O:
 * {@link org.dure.net.kad.RoutingTable}, {@link org.dure.net.kad.ProviderStore}, {@link
 * org.dure.net.kad.KadLookup} (one iterative lookup) and {@link org.dure.net.kad.KadEngine} (the
 * server's answers). {@link org.dure.net.kad.KadDht} is the thin I/O shell on a {@link
 * org.dure.net.host.Host}, with {@code KadRpc} sending its requests and driving its lookups.
 */
package org.dure.net.kad;

/**
 * libp2p mDNS discovery (libp2p/specs {@code discovery/mdns.md}, see {@code
 * docs/protocol/mdns.md}): {@link org.dure.net.mdns.MdnsDiscovery} finds peers on the local network
 * and tells a {@link org.dure.net.mdns.MdnsListener}; {@link org.dure.net.mdns.DnsMessage} is the
 * bounded DNS codec it uses.
 */
package org.dure.net.mdns;

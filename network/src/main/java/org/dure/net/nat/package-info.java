/**
 * Asking the home router to forward the peer port: NAT-PMP (RFC 6886, {@link
 * org.dure.net.nat.NatPmpClient}) and UPnP IGD ({@link org.dure.net.nat.UpnpClient}), kept alive by
 * a {@link org.dure.net.nat.PortMapper} that reports a {@link org.dure.net.nat.PortMappingState}.
 * See {@code docs/port-mapping.md}. Everything a router answers is untrusted input: lengths are
 * checked, waits are bounded, and a bad reply is a {@link org.dure.net.nat.PortMappingException}.
 */
package org.dure.net.nat;

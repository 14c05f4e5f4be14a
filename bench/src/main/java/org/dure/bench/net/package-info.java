/**
 * The network suite: stream throughput between Java and js-libp2p hosts in every direction,
 * handshake latency and memory per idle connection, each server in its own process.
 */
package org.dure.bench.net;

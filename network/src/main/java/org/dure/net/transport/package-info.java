/** TCP connection upgrade: multistream-select, Noise, muxer selection, as Netty handlers. */
package org.dure.net.transport;

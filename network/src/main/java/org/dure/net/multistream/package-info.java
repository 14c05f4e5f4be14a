/**
 * multistream-select 1.0: the message codec ({@link org.dure.net.multistream.MultistreamCodec}),
 * the non-blocking single-protocol state machine of the connection upgrade ({@link
 * org.dure.net.multistream.MultistreamMachine}) and the blocking negotiation of Yamux streams
 * ({@link org.dure.net.multistream.MultistreamSelect}).
 */
package org.dure.net.multistream;

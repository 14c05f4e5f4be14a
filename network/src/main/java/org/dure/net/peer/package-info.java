/** Peer identity ({@link org.dure.net.peer.PeerId}) and what is known about peers. */
package org.dure.net.peer;

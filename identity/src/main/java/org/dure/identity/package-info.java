/**
 * Who a peer is: {@link org.dure.identity.PeerId} (libp2p peer IDs in binary and text form), the
 * libp2p public key encoding ({@link org.dure.identity.LibP2pPublicKey}), this node's key pair
 * ({@link org.dure.identity.Identity}) and the multiformats they are written in. Below the store
 * and the network; depends on nothing but the JDK.
 */
package org.dure.identity;

/** libp2p keys: the PublicKey protobuf, signature verification and the local identity. */
package org.dure.net.crypto;

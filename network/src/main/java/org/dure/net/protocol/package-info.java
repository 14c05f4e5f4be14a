/** Wire formats of the libp2p application protocols: identify and length-prefixed messages. */
package org.dure.net.protocol;

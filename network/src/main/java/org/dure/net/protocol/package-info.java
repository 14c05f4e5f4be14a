/** Message framing shared by the libp2p application protocols: unsigned-varint length prefixes. */
package org.dure.net.protocol;

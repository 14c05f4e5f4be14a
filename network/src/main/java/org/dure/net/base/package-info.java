/** Multiformats primitives (unsigned varint, base58, multibase, multihash) and protobuf I/O. */
package org.dure.net.base;

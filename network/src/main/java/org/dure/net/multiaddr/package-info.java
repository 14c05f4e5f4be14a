/** Multiaddr text and binary forms. */
package org.dure.net.multiaddr;

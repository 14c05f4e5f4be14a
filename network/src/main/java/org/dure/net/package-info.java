/**
 * Dure's libp2p stack: exception types shared by every layer. See {@code org.dure.net.host.Host}
 * for the entry point and {@code network/README.md} for the threading model.
 */
package org.dure.net;

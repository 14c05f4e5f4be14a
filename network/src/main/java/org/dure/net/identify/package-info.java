/** Identify, {@code /ipfs/id/1.0.0}: the message codec ({@link org.dure.net.identify.IdentifyMessage}). */
package org.dure.net.identify;

/** multistream-select 1.0: message codec and blocking negotiation. */
package org.dure.net.multistream;

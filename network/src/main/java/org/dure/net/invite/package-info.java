/**
 * Invites to spaces: signed {@code dure:invite/…} links and the {@code /dure/invite/1.0.0}
 * protocol.
 */
package org.dure.net.invite;

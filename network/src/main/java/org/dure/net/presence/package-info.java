/**
 * Presence, {@code /dure/presence/1.0.0}: who has which page open, ephemeral (never stored). The
 * announcement ({@link org.dure.net.presence.PresenceMessage}) and its codec ({@link
 * org.dure.net.presence.PresenceCodec}), the state of who is where without I/O ({@link
 * org.dure.net.presence.PresenceEngine}) and the service on the host ({@link
 * org.dure.net.presence.PresenceService}). Spec: {@code docs/protocol/presence.md}.
 */
package org.dure.net.presence;

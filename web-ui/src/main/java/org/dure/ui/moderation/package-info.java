/**
 * A space's members and moderation: roles, removing and blocking members, the moderation log and
 * reverting a peer's edits. The views ask the moderation module's {@link
 * org.dure.moderation.SpaceModerator} through the node, which decides what the user's role allows.
 */
package org.dure.ui.moderation;

/**
 * The policies, plugged into the hooks of the network and asked by the application before an
 * action. {@link org.dure.moderation.Permissions} is the one table of what each role may do in a
 * space; {@link org.dure.moderation.SpaceModerator} and {@link org.dure.moderation.CommentRules}
 * ask it for this node's user, {@link org.dure.moderation.MembershipPolicy} (the sync access
 * policy) and {@link org.dure.moderation.WriteRules} for each change from a peer, judged by its
 * signer. Also: blocked and muted peers, rate limits, resource caps, and the consent to relay or to
 * store for others.
 */
package org.dure.moderation;

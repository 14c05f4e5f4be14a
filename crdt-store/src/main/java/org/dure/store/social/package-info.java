/**
 * What members share about themselves and say to each other, on the wiki: profiles and avatars
 * ({@link org.dure.store.social.ProfileKind}), comments on pages ({@link
 * org.dure.store.social.CommentsKind}), @mention notifications, friends (local contacts, never
 * synced) and the activity feed.
 *
 * <p>May depend on {@code org.dure.store.doc} and {@code org.dure.store.wiki}.
 */
package org.dure.store.social;

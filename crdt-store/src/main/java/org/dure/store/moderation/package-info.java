/**
 * What moderation records, as the store keeps it (who may do what is the moderation module's
 * decision): bans and former members in a space's membership, pages hidden space-wide, reports and
 * the moderation log ({@link org.dure.store.moderation.ModerationKind}), muted peers; reverting a
 * peer's edits; invites; the usage ledger and resource settings.
 *
 * <p>May depend on {@code org.dure.store.doc}, {@code org.dure.store.wiki} and {@code
 * org.dure.store.social}.
 */
package org.dure.store.moderation;

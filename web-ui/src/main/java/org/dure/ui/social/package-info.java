/**
 * Profiles and comments: who people are (display name, bio, avatar) and the discussion under each
 * page. Views use the store's {@link org.dure.store.social.Profiles} and {@link
 * org.dure.store.social.Comments} only; they never touch Automerge or JDBC.
 */
package org.dure.ui.social;

/**
 * The wiki's views: spaces, pages, the editor, history and search. Views talk to the store's public
 * API ({@link org.dure.store.WikiStore}) only; they never touch Automerge or JDBC.
 */
package org.dure.ui.wiki;

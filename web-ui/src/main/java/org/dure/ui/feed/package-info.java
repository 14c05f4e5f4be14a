/**
 * The social views: the activity feed's parts, notifications of @mentions and friends. Views talk
 * to the store's public API only; they never touch Automerge or JDBC.
 */
package org.dure.ui.feed;

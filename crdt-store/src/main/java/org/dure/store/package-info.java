/**
 * The Dure store: {@link org.dure.store.WikiStore} opens a data directory (its lock file, database,
 * journal and identity), builds the document kernel and the features on it, hands them out and
 * closes them.
 *
 * <p>Its packages, each depending only on those listed before it: {@code format} (a validator of
 * the Automerge binary format), {@code doc} (the document kernel), {@code wiki} (spaces, their
 * membership, pages, history, links and search), {@code social} (profiles, comments, mentions,
 * friends, the activity feed), {@code moderation} (moderation records, reverting a peer's edits,
 * invites, the usage ledger) and {@code sync} (what the sync protocol needs; the ingest of what
 * peers send), which uses neither moderation nor is used by it. This package may depend on all of
 * them; none depends on it ({@code ArchitectureTest}). Outside the store, every package may use the
 * identity module below it: peers are named by {@link org.dure.identity.PeerId} in the API, and
 * kept as its base58 text in SQLite and in documents.
 *
 * <p>Callers (Vaadin sessions, the network) may call the store from any thread; see {@code
 * doc/concurrency.md} for the threads inside.
 */
package org.dure.store;

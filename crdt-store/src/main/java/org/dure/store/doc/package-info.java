/**
 * The document kernel: Automerge documents confined to single-threaded lanes and persisted in
 * SQLite with their history ({@link org.dure.store.doc.Documents}, on a {@link
 * org.dure.store.doc.DocumentStore}), this node's identity, the clock, and the change feed. It
 * knows nothing of pages, spaces or people: the features give each kind of document its meaning
 * ({@link org.dure.store.doc.DocumentKind}) and the database its tables ({@link
 * org.dure.store.doc.Schema}).
 *
 * <p>May depend on {@code org.dure.store.format} only, and on the identity module ({@code
 * org.dure.identity}). Which thread runs what, and who may wait on whom: {@code concurrency.md} in
 * this package.
 */
package org.dure.store.doc;

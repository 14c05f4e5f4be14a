/**
 * What the sync protocol needs from the store ({@link org.dure.store.sync.StoreSync}): the spaces
 * and documents to offer a peer, sync sessions and Automerge sync messages, snapshots; and the
 * ingest of what peers send: every byte checked before native code sees it ({@link
 * org.dure.store.sync.Untrusted}), signed authorship ({@link org.dure.store.sync.Attestations},
 * {@link org.dure.store.sync.AuthorPolicy}, the views of a document as a change's author saw it),
 * the quarantine, in-flight records, crash recovery and the native sandbox. Documents are named
 * here as sync names them ({@link org.dure.store.sync.DocumentRef}); each kind's rules are its
 * {@link org.dure.store.doc.DocumentKind}'s.
 *
 * <p>May depend on {@code org.dure.store.format}, {@code org.dure.store.doc}, {@code
 * org.dure.store.wiki} and {@code org.dure.store.social}.
 */
package org.dure.store.sync;

/**
 * The Dure document store: spaces and wiki pages as Automerge documents persisted in SQLite.
 *
 * <p>Concurrency: every Automerge {@code Document} is confined to one thread. Documents are
 * assigned to a fixed set of single-threaded lanes by id; all reads and writes of a document run on
 * its lane ({@link org.dure.store.doc.DocumentLanes}). SQLite is reached through one connection
 * guarded by a lock ({@link org.dure.store.doc.Database}). Callers (Vaadin sessions, later the
 * network) may call {@link org.dure.store.WikiStore} from any thread.
 */
package org.dure.store;

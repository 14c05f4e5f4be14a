/**
 * A Java-side validator of the Automerge binary format ({@link
 * org.dure.store.format.AutomergeFormat}), run on bytes from peers and storage before they reach
 * Automerge's native code, which aborts the JVM on some malformed inputs.
 *
 * <p>Format reference: the Automerge binary format specification
 * (automerge.org/automerge-binary-format-spec) and the Rust implementation this binding embeds
 * (automerge 0.5.7, {@code storage/} and {@code sync.rs}). Stateless; safe to call from any thread.
 *
 * <p>Depends on nothing else of the store.
 */
package org.dure.store.format;

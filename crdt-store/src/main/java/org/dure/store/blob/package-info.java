/**
 * Attachments: a content-addressed store of blobs on disk ({@link org.dure.store.blob.BlobStore}),
 * apart from the Automerge documents. A blob is cut into chunks of {@value
 * org.dure.store.blob.BlobManifest#CHUNK_SIZE} bytes, each named by its SHA-256; its {@link
 * org.dure.store.blob.BlobManifest} (name, media type, size, chunk hashes) is named by the SHA-256
 * of its encoding, the blob's root hash ({@link org.dure.store.blob.BlobHash}). Every chunk is
 * verified before it is stored, so a blob may be held in part and completed later from anyone.
 *
 * <p>May depend on {@code org.dure.store.doc} only (for {@link org.dure.store.doc.PrivateFiles}).
 */
package org.dure.store.blob;

/**
 * Attachments shared the BitTorrent way, {@code /dure/blobs/1.0.0} ({@code
 * docs/protocol/blobs.md}): a blob's manifest and chunks asked for by root hash, each chunk checked
 * before it is kept, the chunks of one blob fetched from several members at once. The frames
 * ({@link org.dure.net.blobs.BlobFrame}, {@link org.dure.net.blobs.BlobFrameCodec}), the server's
 * answers ({@link org.dure.net.blobs.BlobServerEngine}) and a fetch's state ({@link
 * org.dure.net.blobs.BlobFetchEngine}) without I/O, the service on a host ({@link
 * org.dure.net.blobs.BlobService}) and the hook that decides who may have what ({@link
 * org.dure.net.blobs.BlobAccessPolicy}, implemented in moderation).
 */
package org.dure.net.blobs;

/**
 * The sync protocol {@code /dure/sync/1.0.0} ({@code docs/protocol/sync.md}): replicates spaces
 * between peers over one stream per connection, on top of {@link org.dure.store.sync.StoreSync}.
 *
 * <p>{@link org.dure.net.sync.SyncFrameCodec} turns bytes into {@link org.dure.net.sync.SyncFrame}s
 * (every length bounded before allocating); {@link org.dure.net.sync.SyncService} attaches to a
 * {@link org.dure.net.host.Host} and a {@link org.dure.store.WikiStore} and runs one session per
 * stream; who sees and writes what is asked of a {@link org.dure.net.sync.SyncAccessPolicy}.
 *
 * <p>Concurrency: per session, one reader thread (the stream handler's, or a virtual thread on the
 * dialing side) reads frames and applies them to the store; one writer thread is the only one that
 * writes to the stream: control frames first, then queued documents round-robin, one sync message
 * or one snapshot chunk per turn. Store listeners (called on whatever thread changed a document)
 * only queue document ids and wake the writers.
 */
package org.dure.net.sync;

/**
 * The sync protocol {@code /dure/sync/1.0.0} ({@code docs/protocol/sync.md}): replicates spaces
 * between peers over one stream per connection, on top of {@link org.dure.store.sync.StoreSync}.
 *
 * <p>{@link org.dure.net.sync.SyncFrameCodec} turns bytes into {@link org.dure.net.sync.SyncFrame}s
 * (every length bounded before allocating); {@link org.dure.net.sync.SyncService} attaches to a
 * {@link org.dure.net.host.Host} and a {@link org.dure.store.WikiStore} and runs one session per
 * stream; who sees and writes what is asked of a {@link org.dure.net.sync.SyncAccessPolicy}, what a
 * peer may cost of a {@link org.dure.net.sync.PeerQuota}.
 *
 * <p>A session is a state machine without I/O, {@code SyncEngine} (frames in; frames to write,
 * store calls through a {@code SyncStore}, and what to do with time out: a throttle's pause, when a
 * HELLO may go, when a transfer stalls), in an I/O shell, {@code SyncSession}. The engine's parts:
 * {@code SessionState} (what both directions share: offers, NEEDs, the writer's queues), {@code
 * DocumentRequests} (what to ask for), {@code SyncSender} (the frames of a writer turn), {@code
 * InboundTransfers} and {@code TransferBudget} (transfers in parts and their caps), {@code
 * HelloGuard} and {@code PeerAttestations} (what a peer's HELLOs and attestations may cost). Each
 * sync message is read once, as an {@link org.dure.store.format.SyncMessage}.
 *
 * <p>Concurrency: per session, one reader thread (the stream handler's, or a virtual thread on the
 * dialing side) reads frames and feeds them to the engine, which applies them to the store; one
 * writer thread, the only one writing to the stream, polls the engine: control frames first, then
 * queued documents round-robin, one sync message or one snapshot chunk per turn. Store listeners
 * (called on whatever thread changed a document) and the service's watchdog only queue document
 * ids, check deadlines and wake the writer. The engine's shared state is guarded by its {@code
 * SessionState}, which never calls the store, the policy or the shell while holding its lock other
 * than to signal a wake-up.
 *
 * <p>May depend on {@code org.dure.net} (host, peer ids, errors) and {@code org.dure.store};
 * nothing in {@code org.dure.net} depends on it.
 */
package org.dure.net.sync;

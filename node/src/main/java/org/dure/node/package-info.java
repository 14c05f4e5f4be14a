/**
 * One Dure node put together: {@link org.dure.node.DureNode} is the composition root (store,
 * moderation policies, mentions watcher, peer) that the web application, {@code --headless} and the
 * tests all use; {@link org.dure.node.PeerNode} follows the {@link org.dure.node.OfflineSwitch} and
 * answers the UI about the network; an {@code OnlineSession} is what runs while online (host,
 * invites, sync, {@link org.dure.node.NatTraversal}, mDNS, {@link org.dure.node.DhtReach}). Wiring
 * only: the protocols are in {@code network}, the decisions in {@code moderation}. Depends on the
 * store, network and moderation modules, never on {@code org.dure.ui} or {@code org.dure.app}.
 */
package org.dure.node;

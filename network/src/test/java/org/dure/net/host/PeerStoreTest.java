package org.dure.net.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dure.identity.Identity;
import org.dure.identity.PeerId;
import org.dure.net.multiaddr.Multiaddr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeerStoreTest {
  @Test
  void savesAndLoadsEverything(@TempDir Path dir) throws Exception {
    Identity id = new Identity(Identity.generateEd25519());
    PeerStore s = new PeerStore();
    s.addAddresses(id.peerId(), List.of(Multiaddr.parse("/ip4/1.2.3.4/tcp/5/p2p/" + id.peerId())));
    s.setProtocols(id.peerId(), List.of("/a/1", "/b/2"));
    s.setAgent(id.peerId(), "agent/1 (x)", "ipfs/0.1.0");
    s.setPublicKey(id.peerId(), id.publicKey());
    Path f = dir.resolve("p.txt");
    s.save(f);
    PeerStore.PeerRecord r = PeerStore.load(f).get(id.peerId()).orElseThrow();
    assertEquals(List.of(Multiaddr.parse("/ip4/1.2.3.4/tcp/5")), r.addresses());
    assertEquals(List.of("/a/1", "/b/2"), r.protocols());
    assertEquals("agent/1 (x)", r.agentVersion());
    assertEquals(id.publicKey(), r.publicKey());
  }

  @Test
  void keyOfAnotherPeerIsNotStored() {
    PeerStore s = new PeerStore();
    PeerId a = new Identity(Identity.generateEd25519()).peerId();
    s.setPublicKey(a, new Identity(Identity.generateEd25519()).publicKey());
    assertTrue(s.get(a).isEmpty());
  }

  @Test
  void loadSkipsBadAndOverlongLinesAndBoundsLists(@TempDir Path dir) throws Exception {
    PeerId good = new Identity(Identity.generateEd25519()).peerId();
    List<String> addrs = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      addrs.add("/ip4/10.0.0." + (i % 250) + "/tcp/" + (1000 + i));
    }
    String lines =
        "# dure peerstore v1\n"
            + "garbage\n"
            + "12D3KooWnotapeer\t\t\t\t\t\n"
            + "x".repeat(PeerStore.MAX_LINE + 10)
            + "\n"
            + good
            + "\t"
            + String.join(",", addrs)
            + "\t/p/1\tagent\tipfs/0.1.0\tnot-base64!\n";
    Path f = dir.resolve("p.txt");
    Files.writeString(f, lines, StandardCharsets.UTF_8);
    PeerStore s = PeerStore.load(f);
    assertEquals(List.of(), s.peers().stream().filter(p -> !p.equals(good)).toList());
    assertTrue(s.get(good).isEmpty(), "a line with an invalid key is skipped as a whole");

    Files.writeString(
        f,
        good + "\t" + String.join(",", addrs) + "\t/p/1\tagent\tipfs/0.1.0\t\n",
        StandardCharsets.UTF_8);
    PeerStore.PeerRecord r = PeerStore.load(f).get(good).orElseThrow();
    assertEquals(PeerStore.MAX_ADDRESSES, r.addresses().size());
    assertNull(r.publicKey());
  }

  @Test
  void aFullStoreForgetsTheLeastRecentlySeenStrangerBeforeADialledFriend() {
    PeerStore s = new PeerStore();
    PeerId friend = new Identity(Identity.generateEd25519()).peerId();
    s.addAddresses(friend, List.of(Multiaddr.parse("/ip4/10.0.0.1/tcp/4001")));
    s.markDialled(friend);
    PeerId early = new Identity(Identity.generateEd25519()).peerId();
    s.setAgent(early, "stranger", "");
    List<PeerId> strangers = new ArrayList<>();
    for (int i = 0; i < PeerStore.MAX_PEERS + 50; i++) {
      PeerId p = new Identity(Identity.generateEd25519()).peerId();
      strangers.add(p);
      s.setAgent(p, "fresh", "");
    }
    assertEquals(PeerStore.MAX_PEERS, s.size());
    assertTrue(s.get(friend).isPresent(), "the dialled friend stays");
    assertTrue(s.get(early).isEmpty(), "the stranger seen least recently went first");
    assertTrue(s.get(strangers.get(strangers.size() - 1)).isPresent(), "the newest is in");
    // Seeing a peer again keeps it.
    PeerId seen = strangers.get(100);
    s.setAgent(seen, "again", "");
    for (int i = 0; i < 200; i++) {
      s.setAgent(new Identity(Identity.generateEd25519()).peerId(), "fresh", "");
    }
    assertTrue(s.get(seen).isPresent());
    assertTrue(s.get(strangers.get(101)).isEmpty());
  }
}

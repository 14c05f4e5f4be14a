package org.dure.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dure.api.NodeInfo;
import org.dure.identity.Identity;
import org.dure.identity.PeerId;
import org.dure.moderation.Resources;
import org.dure.net.invite.InviteLink;
import org.dure.node.DhtReach;
import org.dure.node.OfflineSwitch;
import org.dure.store.WikiStore;
import org.dure.store.moderation.UsageTables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeCommandsTest {
  @TempDir Path dir;
  private ByteArrayOutputStream out;
  private ByteArrayOutputStream err;

  private int run(String stdin, String... args) throws Exception {
    out = new ByteArrayOutputStream();
    err = new ByteArrayOutputStream();
    String name = args[0];
    Command c =
        CommandRegistry.standard().all().stream()
            .filter(x -> x.name().equals(name))
            .findFirst()
            .orElseThrow();
    return c.run(
        List.of(args).subList(1, args.length),
        new Command.Context(
            dir,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void createASpaceWriteAndReadAPageListPages() throws Exception {
    assertEquals(0, run("", "space", "create", "Village"));
    String id = out().strip();
    assertEquals(0, run("# Harvest\n\n벼와 콩.\n", "page", "put", "Village/Harvest"));
    assertEquals(0, run("", "page", "get", id + "/harvest"));
    assertEquals("# Harvest\n\n벼와 콩.\n", out());
    assertEquals(0, run("# Harvest\n\nRice.\n", "page", "put", "village/Harvest"));
    assertEquals(0, run("", "pages", "Village"));
    assertEquals("Harvest\n", out().replace("\r\n", "\n"));
    assertEquals(0, run("", "page", "get", "Village/Harvest"));
    assertEquals("# Harvest\n\nRice.\n", out());
    assertEquals(0, run("", "status"));
    assertTrue(out().contains("Village  (1 pages)"), out());

    assertEquals(1, run("", "pages", "Nowhere"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("No space \"Nowhere\""));
    assertEquals(2, run("", "page", "get", "no-slash"));
  }

  @Test
  void settingsAreShownAndChangedOnAStoppedDure() throws Exception {
    assertEquals(0, run("", "settings"));
    assertTrue(out().contains("consent.helpOthers=false"), out());
    assertEquals(0, run("", "settings", "consent.helpOthers=true", "network.portMapping=false"));
    assertTrue(out().contains("consent.helpOthers=true"), out());
    try (WikiStore store = WikiStore.open(dir);
        Resources r = new Resources(store, Clock.systemUTC())) {
      assertTrue(r.settings().helpOthers(), "stored");
      assertFalse(r.settings().portMapping());
    }
    assertEquals(2, run("", "settings", "no.such=1"));
    assertEquals(2, run("", "settings", "cap.uploadKiBps=-5"));
    assertEquals(2, run("", "settings", "helpOthers"));
    assertEquals(0, run("", "settings"));
    assertTrue(out().contains("consent.helpOthers=true"), "unchanged by the refused ones");
  }

  @Test
  void usageOnAStoppedDureReadsTheStoredLedger() throws Exception {
    org.dure.identity.PeerId friend = org.dure.identity.Identity.ephemeral().peerId();
    try (WikiStore store = WikiStore.open(dir)) {
      store
          .usageTables()
          .add(
              Map.of(friend, new UsageTables.Delta(2048, 1024, 1)),
              Instant.parse("2026-01-01T00:00:00Z"));
    }
    assertEquals(0, run("", "usage"));
    assertTrue(out().contains("storage kept for others: 0 B of 2.0 GiB"), out());
    assertTrue(out().contains(friend + "  2.0 KiB  1.0 KiB  1  0  2026-01-01T00:00:00Z"), out());
    assertEquals(2, run("", "usage", "extra"));
  }

  @Test
  void aRunningDureKeepsTheStoreAndTheCommandSaysSo() throws Exception {
    try (WikiStore running = WikiStore.open(dir)) {
      assertEquals(1, run("", "status"));
      assertTrue(
          err.toString(StandardCharsets.UTF_8).contains("local API does not answer"),
          err.toString());
    }
  }

  @Test
  void offlineOnOffAndStatusWithoutARunningDure() throws Exception {
    OfflineSwitch offline = new OfflineSwitch(dir);
    assertEquals(0, run("", "offline", "on"));
    assertTrue(offline.isOffline());
    assertEquals(0, run("", "offline", "status"));
    assertTrue(out().endsWith("offline\n"));
    assertEquals(0, run("", "offline", "off"));
    assertFalse(offline.isOffline());
    assertEquals(2, run("", "offline", "sideways"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage: dure offline on|off|status"));
  }

  @Test
  void networkCommandsSayToStartDureWhenItIsNotRunning() throws Exception {
    assertEquals(1, run("", "invite", "create", "My wiki"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("Dure is not running"));
    assertEquals(1, run("", "connect", "/ip4/127.0.0.1/tcp/1"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("Start it first"));
    assertEquals(1, run("", "peers"));
  }

  @Test
  void commandsGoThroughTheLocalApiOfARunningDure() throws Exception {
    try (HeadlessDure running =
        HeadlessDure.start(dir, 0, List.of("/ip4/127.0.0.1/tcp/0"), false, null)) {
      NodeInfo info = NodeInfo.read(dir).orElseThrow();
      assertEquals(running.apiUrl(), info.api());
      assertEquals(running.node().status().peerId(), info.peerId());
      assertTrue(info.listen().get(0).startsWith("/ip4/127.0.0.1/tcp/"), info.listen().toString());

      // The store is locked by the running node: these only work through its API.
      assertEquals(0, run("", "status"));
      assertTrue(out().contains("Dure: running, online"), out());
      assertTrue(out().contains("listening on " + info.listen().get(0)), out());
      assertEquals(0, run("", "space", "create", "Village"));
      assertEquals(0, run("Rice and beans.\n", "page", "put", "Village/Harvest"));
      assertEquals(0, run("", "page", "get", "village/harvest"));
      assertEquals("Rice and beans.\n", out());
      assertEquals(0, run("", "pages", "Village"));
      assertEquals("Harvest\n", out());
      assertEquals(0, run("", "invite", "create", "Village", "--role", "reader"));
      assertTrue(out().startsWith("dure:invite/"), out());
      assertEquals(2, run("", "invite", "create", "Village", "--role", "king"));
      assertTrue(err.toString(StandardCharsets.UTF_8).contains("Unknown role"));
      assertEquals(1, run("", "invite", "create", "Village", "--peer-id-only"));
      assertTrue(
          err.toString(StandardCharsets.UTF_8).contains("The DHT is off (--no-dht)"),
          err.toString(StandardCharsets.UTF_8));
      assertEquals(0, run("", "peers"));
      assertEquals("", out());
      assertEquals(0, run("", "offline", "on"));
      assertEquals(0, run("", "status"));
      assertTrue(out().contains("Dure: running, offline"), out());
      assertEquals(0, run("", "offline", "off"));
      assertEquals(0, run("", "offline", "status"));
      assertEquals("online\n", out());
    }
    assertTrue(NodeInfo.read(dir).isEmpty(), "node.json is removed when Dure stops");
    // Stopped again: the command opens the data directory itself and finds what the API wrote.
    assertEquals(0, run("", "page", "get", "Village/Harvest"));
    assertEquals("Rice and beans.\n", out());
  }

  @Test
  void anInviteWithOnlyThePeerIdFromTheCommandLine() throws Exception {
    try (HeadlessDure running =
        HeadlessDure.start(
            dir, 0, List.of("/ip4/127.0.0.1/tcp/0"), false, DhtReach.Options.only(List.of()))) {
      assertEquals(0, run("", "space", "create", "Village"));
      assertEquals(0, run("", "invite", "create", "Village", "--peer-id-only", "--role", "reader"));
      InviteLink link = InviteLink.parse(out().strip());
      assertTrue(link.addresses().isEmpty(), link.addresses().toString());
      assertEquals(running.node().status().peerId(), link.inviter().toString());
      assertEquals("reader", link.role());
      assertEquals(0, run("", "invite", "create", "Village", "--role", "reader"));
      assertFalse(
          InviteLink.parse(out().strip()).addresses().isEmpty(),
          "without the flag the link carries the addresses");
      assertEquals(2, run("", "invite", "create", "Village", "--peer-id-only", "--valid"));
    }
  }

  private static final String FRIEND = newPeer();
  private static final String OTHER = newPeer();

  private static String newPeer() {
    return new Identity(Identity.generateEd25519()).peerId().toString();
  }

  /** members, role, block, unblock, mute, unmute: the same on the store and through the API. */
  private void moderationCommands(String space, String friend) throws Exception {
    assertEquals(0, run("", "role", space, friend, "editor"));
    assertEquals(0, run("", "members", space));
    String[] lines = out().split("\n");
    assertTrue(lines.length >= 2, out());
    assertTrue(lines[0].startsWith("owner "), out());
    assertTrue(out().contains("editor     " + friend), out());
    assertEquals(0, run("", "role", space, friend, "reader"));
    assertEquals(0, run("", "members", space));
    assertTrue(out().contains("reader     " + friend), out());
    assertEquals(2, run("", "role", space, friend, "owner"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("Unknown role"));
    assertEquals(2, run("", "role", space, "not-a-peer", "reader"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("not a peer ID"));

    assertEquals(0, run("", "block", friend, "--reason", "spam"));
    assertEquals(0, run("", "mute", friend));
    assertEquals(2, run("", "block"));
  }

  @Test
  void membersRolesBlocksAndMutesOnAStoppedStoreAndThroughTheApi() throws Exception {
    assertEquals(0, run("", "space", "create", "Village"));
    moderationCommands("Village", FRIEND);
    try (WikiStore store = WikiStore.open(dir)) {
      assertEquals(Map.of(PeerId.parse(FRIEND), "spam"), store.blockedPeers());
      assertEquals(Set.of(PeerId.parse(FRIEND)), store.moderation().mutedPeers().keySet());
    }
    assertEquals(0, run("", "unblock", FRIEND));
    assertEquals(0, run("", "unmute", FRIEND));

    try (HeadlessDure running =
        HeadlessDure.start(dir, 0, List.of("/ip4/127.0.0.1/tcp/0"), false, null)) {
      moderationCommands("Village", OTHER);
      assertTrue(running.node().blocklist().isBlocked(PeerId.parse(OTHER)));
      assertTrue(running.node().mutes().isMuted(PeerId.parse(OTHER)));
      assertFalse(
          running.node().blocklist().isBlocked(PeerId.parse(FRIEND)),
          "unblocked on the store before");
      assertEquals(0, run("", "unblock", OTHER));
      assertFalse(running.node().blocklist().isBlocked(PeerId.parse(OTHER)));
      assertEquals(0, run("", "unmute", OTHER));
      assertFalse(running.node().mutes().isMuted(PeerId.parse(OTHER)));
      assertEquals(0, run("", "invite", "create", "Village", "--role", "moderator"));
      assertTrue(out().startsWith("dure:invite/"), out());
    }
  }

  @Test
  void revertByRevertsAPeersEditsOnAStoppedStoreAndThroughTheApi() throws Exception {
    assertEquals(0, run("", "space", "create", "Village"));
    assertEquals(0, run("Rice.\n", "page", "put", "Village/Harvest"));
    String me;
    try (WikiStore store = WikiStore.open(dir)) {
      me = store.identity().peerId().toString();
    }
    assertEquals(2, run("", "revert-by", "Village", me));
    assertEquals(2, run("", "revert-by", "Village", me, "--since", "yesterday"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("is not a time"));
    assertEquals(2, run("", "revert-by", "Village", "nobody", "--since", "2020-01-01T00:00Z"));

    assertEquals(0, run("", "revert-by", "Village", FRIEND, "--since", "2020-01-01T00:00Z"));
    assertTrue(out().contains(FRIEND + " made no edits in Village"), out());
    assertEquals(
        0, run("", "revert-by", "Village", me, "--since", "2020-01-01T00:00Z", "--reason", "test"));
    assertTrue(out().contains("now hidden: Harvest"), out());
    assertEquals(0, run("", "pages", "Village"));
    assertEquals("", out(), "the page I created since then is hidden");

    try (HeadlessDure running =
        HeadlessDure.start(dir, 0, List.of("/ip4/127.0.0.1/tcp/0"), false, null)) {
      assertEquals(0, run("", "revert-by", "Village", OTHER, "--since", "2020-01-01"));
      assertTrue(out().contains(OTHER + " made no edits in Village"), out());
      assertEquals(2, run("", "revert-by", "Village", "nobody", "--since", "2020-01-01"));
    }
  }
}

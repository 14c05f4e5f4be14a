package org.dure.moderation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.dure.net.host.Connection;
import org.dure.net.host.Host;
import org.dure.store.WikiStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResourcesTest {
  @TempDir Path dir;

  @Test
  void defaultsAreDocumentedValuesAndHelpingOthersIsOff() {
    ResourceSettings d = ResourceSettings.defaults();
    assertFalse(d.helpOthers());
    assertEquals(600, d.changesPerMinute());
    assertEquals(1 << 20, d.maxChangeBytes());
    assertEquals(4 << 20, d.maxPageBytes());
    assertEquals(120, d.pagesPerHour());
    assertEquals(16 << 20, d.maxMessageBytes());
    assertEquals(64, d.maxStreamsPerPeer());
    assertTrue(d.portMapping(), "the peer port is opened on the router by default");
    assertEquals(d, ResourceSettings.fromMap(d.toMap()));
  }

  @Test
  void portMappingIsStoredAndMustBeTrueOrFalse() {
    Map<String, String> m = new java.util.HashMap<>(ResourceSettings.defaults().toMap());
    m.put("network.portMapping", "false");
    assertFalse(ResourceSettings.fromMap(m).portMapping());
    m.remove("network.portMapping");
    assertTrue(ResourceSettings.fromMap(m).portMapping(), "settings stored before it: on");
    var e =
        assertThrows(
            ResourceSettings.InvalidSettingException.class,
            () -> ResourceSettings.fromMap(Map.of("network.portMapping", "yes")));
    assertEquals("network.portMapping", e.key());
  }

  @Test
  void invalidSettingsSayWhichAndWhy() {
    var e =
        assertThrows(
            ResourceSettings.InvalidSettingException.class,
            () -> ResourceSettings.fromMap(Map.of("limit.changesPerMinute", "0")));
    assertEquals("limit.changesPerMinute", e.key());
    assertTrue(e.getMessage().contains("between 1 and"));
    assertThrows(
        ResourceSettings.InvalidSettingException.class,
        () -> ResourceSettings.fromMap(Map.of("cap.uploadKiBps", "fast")));
  }

  @Test
  void settingsAreStoredAndTheUploadCapAppliesLive() {
    try (WikiStore store = WikiStore.open(dir)) {
      Resources r = new Resources(store, Clock.systemUTC());
      assertTrue(r.uploadLimiter().isUnlimited());
      Map<String, String> m = ResourceSettings.defaults().toMap();
      m.put("cap.uploadKiBps", "512");
      m.put("cap.relayKiBps", "64");
      m.put("consent.helpOthers", "true");
      r.update(ResourceSettings.fromMap(m));
      assertEquals(512 * 1024, r.uploadLimiter().bytesPerSecond());
      assertEquals(64 * 1024, r.relayLimiter().bytesPerSecond());
    }
    try (WikiStore store = WikiStore.open(dir)) {
      Resources r = new Resources(store, Clock.systemUTC());
      assertTrue(r.settings().helpOthers());
      assertEquals(512, r.settings().uploadKiBps());
      assertEquals(512 * 1024, r.uploadLimiter().bytesPerSecond());
    }
  }

  @Test
  void theLedgerSurvivesARestart() throws Exception {
    String other;
    long out;
    long atStop;
    try (WikiStore store = WikiStore.open(dir);
        Host b = Host.builder().listen("/ip4/127.0.0.1/tcp/0").build().start()) {
      Resources r = new Resources(store, Clock.systemUTC());
      try (Host a =
          Host.builder()
              .identity(store.identity().keyPair())
              .listen("/ip4/127.0.0.1/tcp/0")
              .uploadLimiter(r.uploadLimiter())
              .build()
              .start()) {
        r.attach(a);
        Connection c = a.dial(b.listenAddresses().get(0));
        for (int i = 0; i < 5; i++) {
          a.ping(c);
        }
        other = b.peerId().toString();
        UsageLedger.PeerUsage live = r.usage().peers().get(0);
        assertEquals(other, live.peer());
        assertEquals(1, live.openConnections());
        assertTrue(live.bytesOut() > 0 && live.bytesIn() > 0);
        r.flush();
        a.ping(c); // more after the flush: saved when the node stops
        atStop = a.traffic().of(b.peerId()).bytesOut();
        r.detach();
        // The connection may still send a few bytes (a window update) until it is closed.
        out = a.traffic().of(b.peerId()).bytesOut();
      }
      r.close();
    }
    try (WikiStore store = WikiStore.open(dir)) {
      Resources r = new Resources(store, Clock.systemUTC());
      UsageLedger.PeerUsage saved = r.usage().peers().get(0);
      assertEquals(other, saved.peer());
      assertTrue(
          saved.bytesOut() >= atStop && saved.bytesOut() <= out,
          "every byte counted before the stop is kept: "
              + saved.bytesOut()
              + " saved, "
              + atStop
              + " counted at the stop");
      assertEquals(1, saved.connections());
      assertEquals(0, saved.openConnections());
    }
  }
}

package org.dure.net.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.dure.net.ProtocolViolationException;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.SpaceId;
import org.junit.jupiter.api.Test;

class PresenceCodecTest {
  private final PresenceMessage here =
      new PresenceMessage(SpaceId.random(), PageId.random(), true, 50);

  @Test
  void aMessageRoundTripsInFiftyFiveBytes() throws Exception {
    byte[] b = PresenceCodec.encode(here);
    assertEquals(PresenceCodec.LENGTH, b.length);
    assertEquals(here, PresenceCodec.decode(b));
    PresenceMessage gone = new PresenceMessage(here.space(), here.page(), false, 1);
    assertEquals(gone, PresenceCodec.decode(PresenceCodec.encode(gone)));
  }

  @Test
  void everyMalformedFieldIsAProtocolError() {
    assertThrows(ProtocolViolationException.class, () -> PresenceCodec.decode(new byte[54]));
    assertThrows(ProtocolViolationException.class, () -> PresenceCodec.decode(new byte[56]));
    for (int[] bad : new int[][] {{0, 2}, {1, 'A'}, {30, '1'}, {53, 2}, {54, 0}, {54, 121}}) {
      byte[] b = PresenceCodec.encode(here);
      b[bad[0]] = (byte) bad[1];
      assertThrows(
          ProtocolViolationException.class,
          () -> PresenceCodec.decode(b),
          "byte " + bad[0] + " = " + bad[1]);
    }
  }
}

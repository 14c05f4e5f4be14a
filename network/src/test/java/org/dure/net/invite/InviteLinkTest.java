package org.dure.net.invite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.dure.identity.Identity;
import org.dure.identity.PeerId;
import org.dure.net.multiaddr.Multiaddr;
import org.junit.jupiter.api.Test;

class InviteLinkTest {
  private static final KeyPair KEYS = Identity.generateEd25519();
  private static final PeerId INVITER = new Identity(KEYS).peerId();
  private static final String SPACE = "abcdefghijklmnopqrstuvwxyz";

  private static InviteLink link() {
    byte[] secret = new byte[32];
    new Random(1).nextBytes(secret);
    return new InviteLink(
        INVITER,
        List.of(
            Multiaddr.parse("/ip4/192.168.1.20/tcp/4001"), Multiaddr.parse("/ip6/::1/tcp/4001")),
        SPACE,
        "마을 위키",
        "editor",
        secret,
        Instant.parse("2026-12-01T00:00:00Z"));
  }

  @Test
  void aSignedLinkReadsBackAsItWasMade() throws InviteException {
    InviteLink original = link();
    String text = original.sign(KEYS);
    assertTrue(text.startsWith("dure:invite/"), text);
    assertTrue(text.length() < 400, "short enough for a QR code: " + text.length());
    InviteLink read = InviteLink.parse("  " + text + "\n");
    assertEquals(INVITER, read.inviter());
    assertEquals(original.addresses(), read.addresses());
    assertEquals(SPACE, read.spaceId());
    assertEquals("마을 위키", read.spaceName());
    assertEquals("editor", read.role());
    assertArrayEquals(original.secret(), read.secret());
    assertEquals(original.expires(), read.expires());
    assertFalse(read.isExpired(Instant.parse("2026-11-30T23:59:59Z")));
    assertTrue(read.isExpired(Instant.parse("2026-12-01T00:00:00Z")));
  }

  @Test
  void aLinkMayCarryOnlyThePeerId() throws InviteException {
    InviteLink l = link();
    InviteLink bare =
        new InviteLink(
            l.inviter(), List.of(), l.spaceId(), l.spaceName(), l.role(), l.secret(), l.expires());
    InviteLink read = InviteLink.parse(bare.sign(KEYS));
    assertEquals(List.of(), read.addresses(), "found through the DHT when accepted");
    assertEquals(INVITER, read.inviter());
  }

  @Test
  void anAlteredLinkIsRefusedWithAClearMessage() {
    String text = link().sign(KEYS);
    byte[] bytes = Base64.getUrlDecoder().decode(text.substring(InviteLink.PREFIX.length()));
    // Swap one byte of the first address (an attacker redirecting the invitee).
    bytes[1 + 1 + INVITER.toBytes().length + 1 + 2 + 2] ^= 1;
    String altered =
        InviteLink.PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    InviteException e = assertThrows(InviteException.class, () -> InviteLink.parse(altered));
    assertTrue(e.getMessage().contains("signature"), e.getMessage());
  }

  @Test
  void signingNeedsTheInvitersKey() {
    assertThrows(IllegalArgumentException.class, () -> link().sign(Identity.generateEd25519()));
  }

  @Test
  void garbageNeverThrowsAnythingButInviteException() {
    String text = link().sign(KEYS);
    byte[] good = Base64.getUrlDecoder().decode(text.substring(InviteLink.PREFIX.length()));
    Random rnd = new Random(3);
    for (String s :
        List.of("", "dure:", "dure:invite/", "http://x", "dure:invite/@@@", "x".repeat(5000))) {
      assertThrows(InviteException.class, () -> InviteLink.parse(s), s);
    }
    for (int i = 0; i < 5000; i++) {
      byte[] m;
      switch (rnd.nextInt(3)) {
        case 0 -> {
          m = good.clone();
          m[rnd.nextInt(m.length)] = (byte) rnd.nextInt(256);
        }
        case 1 -> m = java.util.Arrays.copyOf(good, rnd.nextInt(good.length));
        default -> {
          m = new byte[rnd.nextInt(300)];
          rnd.nextBytes(m);
        }
      }
      String s = InviteLink.PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(m);
      try {
        InviteLink.parse(s);
      } catch (InviteException expected) {
        // refused with a message: fine
      }
    }
  }
}

package org.dure.net.dcutr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.dure.identity.Identity;
import org.dure.identity.PeerId;
import org.junit.jupiter.api.Test;

/**
 * Two peers that dialled each other through a relay both start a hole punch (each is the side that
 * did not dial one of the two relayed connections); both must keep the same one, whichever order
 * the CONNECTs cross in. Before PunchRoles, each node refused the other's CONNECT because it was
 * punching itself: both punches failed with "stream reset by remote" (the NAT lab's restarted B).
 */
class PunchRolesTest {
  private final PeerId small;
  private final PeerId large;

  PunchRolesTest() {
    List<PeerId> two =
        List.of(
                new Identity(Identity.generateEd25519()).peerId(),
                new Identity(Identity.generateEd25519()).peerId())
            .stream()
            .sorted()
            .toList();
    small = two.get(0);
    large = two.get(1);
  }

  @Test
  void whenBothPunchAtOnceBothKeepThePunchOfTheSmallerPeerId() {
    PunchRoles atSmall = new PunchRoles(small);
    PunchRoles atLarge = new PunchRoles(large);
    assertTrue(atSmall.startInitiator(large));
    assertTrue(atLarge.startInitiator(small));

    // The CONNECTs cross: each arrives at a node that is punching itself.
    assertEquals(PunchRoles.Answer.REFUSE_OURS_WINS, atSmall.startResponder(large));
    assertEquals(PunchRoles.Answer.SERVE, atLarge.startResponder(small));
    assertTrue(atLarge.yielded(small), "the larger one's punch stands down");
    assertFalse(atSmall.yielded(large));
    assertTrue(atSmall.winsOver(large));
    assertFalse(atLarge.winsOver(small), "its refused CONNECT is no failure of the punch");

    atLarge.endResponder(small, atLarge.servedAttempt(small));
    atLarge.endInitiator(small);
    atSmall.endInitiator(large);
    assertFalse(atLarge.yielded(small));
    assertTrue(atLarge.startInitiator(small), "a later punch may start again");
  }

  @Test
  void theSameOutcomeWhenOneConnectArrivesBeforeTheOtherNodeStartsItsOwnPunch() {
    PunchRoles atSmall = new PunchRoles(small);
    PunchRoles atLarge = new PunchRoles(large);
    // The larger one's CONNECT reaches the smaller one first, which then serves it...
    assertTrue(atLarge.startInitiator(small));
    assertEquals(PunchRoles.Answer.SERVE, atSmall.startResponder(large));
    // ...and does not start its own punch meanwhile (two punches would fight over the ports).
    assertFalse(atSmall.startInitiator(large));
    assertFalse(atLarge.yielded(small));

    // The other order: the smaller one starts first, then the larger one's CONNECT arrives there.
    PunchRoles atSmall2 = new PunchRoles(small);
    PunchRoles atLarge2 = new PunchRoles(large);
    assertTrue(atSmall2.startInitiator(large));
    assertEquals(PunchRoles.Answer.SERVE, atLarge2.startResponder(small));
    assertFalse(atLarge2.startInitiator(small), "it serves the punch of the smaller one");
  }

  @Test
  void aSecondConnectFromThePeerReplacesTheAttemptBeingServed() {
    PunchRoles roles = new PunchRoles(small);
    assertEquals(PunchRoles.Answer.SERVE, roles.startResponder(large));
    long first = roles.servedAttempt(large);
    // The peer's first dial gave up a moment before ours: its retry is served, not refused.
    assertEquals(PunchRoles.Answer.SERVE_REPLACING, roles.startResponder(large));
    long second = roles.servedAttempt(large);
    assertFalse(roles.isCurrentResponder(large, first), "the first attempt stands down");
    assertTrue(roles.isCurrentResponder(large, second));
    roles.endResponder(large, first); // the replaced attempt ending leaves the newer one served
    assertTrue(roles.responding(large));
    assertFalse(roles.startInitiator(large), "no punch of our own while the peer's is served");
    roles.endResponder(large, second);
    assertFalse(roles.responding(large));
    assertEquals(PunchRoles.Answer.SERVE, roles.startResponder(large));
  }

  @Test
  void theRetryOfTheWinningPunchReplacesItsFirstAttemptAlsoWhileOursStandsDown() {
    // large's own punch yielded to small's; small's second CONNECT is served like its first.
    PunchRoles atLarge = new PunchRoles(large);
    assertTrue(atLarge.startInitiator(small));
    assertEquals(PunchRoles.Answer.SERVE, atLarge.startResponder(small));
    assertTrue(atLarge.yielded(small));
    assertEquals(PunchRoles.Answer.SERVE_REPLACING, atLarge.startResponder(small));
    assertTrue(atLarge.yielded(small));
  }
}

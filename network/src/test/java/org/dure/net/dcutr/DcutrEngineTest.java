package org.dure.net.dcutr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.dure.net.ProtocolViolationException;
import org.dure.net.multiaddr.Multiaddr;
import org.junit.jupiter.api.Test;

/** Both sides of one DCUtR attempt, message by message, with the clock passed in. */
class DcutrEngineTest {
  private static final Multiaddr A_ADDR = Multiaddr.parse("/ip4/203.0.113.10/tcp/4001");
  private static final Multiaddr B_ADDR = Multiaddr.parse("/ip4/198.51.100.20/tcp/4001");

  @Test
  void bConnectsATimesTheRoundTripAndBothDialWithTheSpecsRoles() throws Exception {
    DcutrEngine b = DcutrEngine.initiator(List.of(B_ADDR), false);
    DcutrEngine a = DcutrEngine.responder(List.of(A_ADDR), false);

    HolePunchMessage connect = b.start(1_000_000_000L);
    assertEquals(HolePunchMessage.connect(List.of(B_ADDR)), connect);

    List<DcutrEngine.Step> aSteps = a.onMessage(connect, 0);
    assertEquals(List.of(new DcutrEngine.Send(HolePunchMessage.connect(List.of(A_ADDR)))), aSteps);
    assertFalse(a.isDone());

    // A's CONNECT arrives 80 ms after B sent its own.
    HolePunchMessage reply = ((DcutrEngine.Send) aSteps.get(0)).message();
    List<DcutrEngine.Step> bSteps = b.onMessage(reply, 1_080_000_000L);
    assertEquals(new DcutrEngine.Send(HolePunchMessage.sync()), bSteps.get(0));
    DcutrEngine.Dial bDial = assertInstanceOf(DcutrEngine.Dial.class, bSteps.get(1));
    assertEquals(Duration.ofMillis(40), bDial.delay(), "half the round trip");
    assertEquals(List.of(A_ADDR), bDial.addresses());
    assertFalse(bDial.client(), "B is the server of the punched connection");
    assertTrue(b.isDone());

    List<DcutrEngine.Step> aDial = a.onMessage(HolePunchMessage.sync(), 0);
    assertEquals(List.of(new DcutrEngine.Dial(Duration.ZERO, List.of(B_ADDR), true)), aDial);
    assertTrue(a.isDone());
  }

  @Test
  void messagesOutOfTurnAreProtocolViolations() throws Exception {
    DcutrEngine a = DcutrEngine.responder(List.of(A_ADDR), false);
    assertThrows(ProtocolViolationException.class, () -> a.onMessage(HolePunchMessage.sync(), 0));

    DcutrEngine a2 = DcutrEngine.responder(List.of(A_ADDR), false);
    a2.onMessage(HolePunchMessage.connect(List.of(B_ADDR)), 0);
    assertThrows(
        ProtocolViolationException.class,
        () -> a2.onMessage(HolePunchMessage.connect(List.of(B_ADDR)), 0));

    DcutrEngine b = DcutrEngine.initiator(List.of(B_ADDR), false);
    b.start(0);
    assertThrows(ProtocolViolationException.class, () -> b.onMessage(HolePunchMessage.sync(), 0));
    assertThrows(IllegalStateException.class, () -> b.start(0));
  }

  @Test
  void onlyPublicDirectTcpAddressesAreDialledAtMostEight() throws Exception {
    List<Multiaddr> offered = new ArrayList<>();
    offered.add(Multiaddr.parse("/ip4/192.168.1.5/tcp/4001"));
    offered.add(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001"));
    offered.add(Multiaddr.parse("/ip4/10.0.0.1/tcp/4001"));
    offered.add(
        Multiaddr.parse(
            "/ip4/203.0.113.1/tcp/4001/p2p/12D3KooWA4Xop1JaT3MHxwYMkCepYsv4iPVopMXwCz5iHYdBfeSB"
                + "/p2p-circuit"));
    offered.add(Multiaddr.parse("/ip4/203.0.113.1/udp/4001"));
    for (int i = 1; i <= 12; i++) {
      offered.add(Multiaddr.parse("/ip4/203.0.113." + i + "/tcp/4001"));
    }
    DcutrEngine a = DcutrEngine.responder(List.of(A_ADDR), false);
    a.onMessage(HolePunchMessage.connect(offered), 0);
    DcutrEngine.Dial d = (DcutrEngine.Dial) a.onMessage(HolePunchMessage.sync(), 0).get(0);
    assertEquals(DcutrEngine.MAX_DIALS, d.addresses().size());
    assertEquals(Multiaddr.parse("/ip4/203.0.113.1/tcp/4001"), d.addresses().get(0));

    DcutrEngine none = DcutrEngine.responder(List.of(A_ADDR), false);
    assertThrows(
        ProtocolViolationException.class,
        () -> none.onMessage(HolePunchMessage.connect(offered.subList(0, 5)), 0),
        "nothing to punch to: the attempt fails at once");

    DcutrEngine lan = DcutrEngine.responder(List.of(A_ADDR), true);
    lan.onMessage(HolePunchMessage.connect(offered.subList(0, 3)), 0);
    assertEquals(
        3,
        ((DcutrEngine.Dial) lan.onMessage(HolePunchMessage.sync(), 0).get(0)).addresses().size());
  }

  /**
   * B's router may still track an unanswered SYN of B to A_ADDR (its reconnector's): B dials that
   * address before SYNC, so its SYN is out before A's can arrive; the other address keeps the
   * spec's half round trip after SYNC.
   */
  @Test
  void bDialsAnAddressItsRouterMayTrackBeforeSyncAndTheOthersHalfARoundTripAfter()
      throws Exception {
    Multiaddr other = Multiaddr.parse("/ip4/203.0.113.11/tcp/4001");
    DcutrEngine b = DcutrEngine.initiator(List.of(B_ADDR), false, A_ADDR::equals);
    b.start(1_000_000_000L);
    List<DcutrEngine.Step> steps =
        b.onMessage(HolePunchMessage.connect(List.of(A_ADDR, other)), 1_080_000_000L);
    assertEquals(
        List.of(
            new DcutrEngine.Dial(Duration.ZERO, List.of(A_ADDR), false),
            new DcutrEngine.Send(HolePunchMessage.sync()),
            new DcutrEngine.Dial(Duration.ofMillis(40), List.of(other), false)),
        steps,
        "the dial first, then SYNC, then the rest");
    assertTrue(b.isDone());
  }

  @Test
  void whenEveryAddressIsDialledFirstSyncIsTheLastStep() throws Exception {
    DcutrEngine b = DcutrEngine.initiator(List.of(B_ADDR), false, a -> true);
    b.start(0);
    List<DcutrEngine.Step> steps = b.onMessage(HolePunchMessage.connect(List.of(A_ADDR)), 10);
    assertEquals(
        List.of(
            new DcutrEngine.Dial(Duration.ZERO, List.of(A_ADDR), false),
            new DcutrEngine.Send(HolePunchMessage.sync())),
        steps);
  }

  /** A's router may track a SYN of A to B_ADDR: A dials it as soon as it reads CONNECT. */
  @Test
  void aDialsAnAddressItsRouterMayTrackBeforeItAnswersConnect() throws Exception {
    Multiaddr other = Multiaddr.parse("/ip4/198.51.100.21/tcp/4001");
    DcutrEngine a = DcutrEngine.responder(List.of(A_ADDR), false, B_ADDR::equals);
    List<DcutrEngine.Step> onConnect =
        a.onMessage(HolePunchMessage.connect(List.of(B_ADDR, other)), 0);
    assertEquals(
        List.of(
            new DcutrEngine.Dial(Duration.ZERO, List.of(B_ADDR), true),
            new DcutrEngine.Send(HolePunchMessage.connect(List.of(A_ADDR)))),
        onConnect);
    assertFalse(a.isDone());
    assertEquals(
        List.of(new DcutrEngine.Dial(Duration.ZERO, List.of(other), true)),
        a.onMessage(HolePunchMessage.sync(), 0),
        "the rest on SYNC, as the spec says");
    assertTrue(a.isDone());

    DcutrEngine all = DcutrEngine.responder(List.of(A_ADDR), false, x -> true);
    all.onMessage(HolePunchMessage.connect(List.of(B_ADDR)), 0);
    assertEquals(List.of(), all.onMessage(HolePunchMessage.sync(), 0), "nothing left to dial");
    assertTrue(all.isDone());
  }
}

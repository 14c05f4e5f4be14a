package org.dure.net.dcutr;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.dure.net.ProtocolViolationException;
import org.dure.net.multiaddr.IpScope;
import org.dure.net.multiaddr.Multiaddr;

/**
 * One DCUtR attempt as a state machine without threads, sockets or clocks (times are passed in).
 *
 * <p>In the spec's names, A dialled B through a relay; B, the inbound side, starts ({@link
 * #initiator}): it sends CONNECT with its addresses and times the round trip; A ({@link
 * #responder}) answers CONNECT with its own; B sends SYNC and dials A's addresses half a round trip
 * later, while A dials B's as soon as SYNC arrives. "For the purpose of all protocols run on top of
 * this TCP connection, A is assumed to be the client and B the server": {@link Dial#client()}.
 *
 * <p>Only direct TCP addresses with a public IP (any IP if {@code allowPrivate}) are dialled, at
 * most {@link #MAX_DIALS} of them: a peer cannot make us dial an unbounded list or its relay.
 *
 * <p>Addresses that {@code dialFirst} names (this node's router may still track an unanswered SYN
 * of ours to them, see {@link org.dure.net.host.Host#mayHoldStaleMapping}) are dialled at once,
 * before this side's next message: such a router lets the other side's SYN in before ours has left
 * if we are late, and then drops our listener's answer, so our SYN must be out first. B dials them
 * before SYNC, A before its CONNECT; the other addresses keep the spec's timing. The steps are
 * carried out in the order given: a {@link Dial} before a {@link Send} has its SYNs on the wire
 * before the message is written.
 */
public final class DcutrEngine {
  /** Most addresses dialled in one attempt. */
  public static final int MAX_DIALS = 8;

  /** What to do next. */
  public sealed interface Step permits Send, Dial {}

  /** Write this message on the stream. */
  public record Send(HolePunchMessage message) implements Step {}

  /**
   * After {@code delay}, dial each of {@code addresses} at once as the {@code client} (A) or server
   * (B) of the resulting connection. The attempt's dials all count: the first connection any of
   * them makes is the punched one.
   */
  public record Dial(Duration delay, List<Multiaddr> addresses, boolean client) implements Step {
    public Dial {
      addresses = List.copyOf(addresses);
    }
  }

  private enum State {
    NEW,
    AWAIT_CONNECT,
    AWAIT_SYNC,
    DONE
  }

  private final boolean initiator;
  private final List<Multiaddr> own;
  private final boolean allowPrivate;
  private final Predicate<Multiaddr> dialFirst;
  private State state = State.NEW;
  private long sentAt;
  private List<Multiaddr> late = List.of();

  private DcutrEngine(
      boolean initiator,
      List<Multiaddr> own,
      boolean allowPrivate,
      Predicate<Multiaddr> dialFirst) {
    this.initiator = initiator;
    this.own = List.copyOf(own);
    this.allowPrivate = allowPrivate;
    this.dialFirst = dialFirst;
  }

  /** B: the side that received the relayed connection. */
  public static DcutrEngine initiator(List<Multiaddr> ownAddresses, boolean allowPrivate) {
    return initiator(ownAddresses, allowPrivate, a -> false);
  }

  /** B, dialling the addresses {@code dialFirst} names before it sends SYNC. */
  public static DcutrEngine initiator(
      List<Multiaddr> ownAddresses, boolean allowPrivate, Predicate<Multiaddr> dialFirst) {
    return new DcutrEngine(true, ownAddresses, allowPrivate, dialFirst);
  }

  /** A: the side that dialled through the relay and is asked to punch. */
  public static DcutrEngine responder(List<Multiaddr> ownAddresses, boolean allowPrivate) {
    return responder(ownAddresses, allowPrivate, a -> false);
  }

  /** A, dialling the addresses {@code dialFirst} names before it answers CONNECT. */
  public static DcutrEngine responder(
      List<Multiaddr> ownAddresses, boolean allowPrivate, Predicate<Multiaddr> dialFirst) {
    DcutrEngine e = new DcutrEngine(false, ownAddresses, allowPrivate, dialFirst);
    e.state = State.AWAIT_CONNECT;
    return e;
  }

  /**
   * B's first message: CONNECT with its addresses; the round trip is timed from {@code nowNanos}.
   */
  public HolePunchMessage start(long nowNanos) {
    if (!initiator || state != State.NEW) {
      throw new IllegalStateException("only a new initiator starts");
    }
    state = State.AWAIT_CONNECT;
    sentAt = nowNanos;
    return HolePunchMessage.connect(own);
  }

  /** Whether the attempt has exchanged its messages (every dial has been given). */
  public boolean isDone() {
    return state == State.DONE;
  }

  /**
   * Takes one message from the other side.
   *
   * @throws ProtocolViolationException for a message out of turn, or a CONNECT without an address
   *     we could dial (the attempt cannot succeed)
   */
  public List<Step> onMessage(HolePunchMessage m, long nowNanos) throws ProtocolViolationException {
    switch (state) {
      case AWAIT_CONNECT -> {
        if (m.type() != HolePunchMessage.Type.CONNECT) {
          throw new ProtocolViolationException("expected CONNECT, got " + m.type());
        }
        List<Multiaddr> theirs = dialable(m.addresses());
        if (theirs.isEmpty()) {
          throw new ProtocolViolationException("CONNECT carries no address to punch a hole to");
        }
        List<Multiaddr> first = new ArrayList<>();
        List<Multiaddr> rest = new ArrayList<>();
        for (Multiaddr a : theirs) {
          (dialFirst.test(a) ? first : rest).add(a);
        }
        List<Step> steps = new ArrayList<>();
        if (!first.isEmpty()) {
          steps.add(new Dial(Duration.ZERO, first, !initiator));
        }
        if (initiator) {
          state = State.DONE;
          Duration rtt = Duration.ofNanos(Math.max(0, nowNanos - sentAt));
          steps.add(new Send(HolePunchMessage.sync()));
          if (!rest.isEmpty()) {
            steps.add(new Dial(rtt.dividedBy(2), rest, false));
          }
          return List.copyOf(steps);
        }
        state = State.AWAIT_SYNC;
        late = List.copyOf(rest);
        steps.add(new Send(HolePunchMessage.connect(own)));
        return List.copyOf(steps);
      }
      case AWAIT_SYNC -> {
        if (m.type() != HolePunchMessage.Type.SYNC) {
          throw new ProtocolViolationException("expected SYNC, got " + m.type());
        }
        state = State.DONE;
        return late.isEmpty() ? List.of() : List.of(new Dial(Duration.ZERO, late, true));
      }
      default -> throw new ProtocolViolationException("unexpected DCUtR message " + m.type());
    }
  }

  private List<Multiaddr> dialable(List<Multiaddr> addresses) {
    List<Multiaddr> out = new ArrayList<>();
    for (Multiaddr a : addresses) {
      Multiaddr bare = a.withoutPeerId();
      if (IpScope.isDialableTcp(bare, allowPrivate) && !out.contains(bare)) {
        out.add(bare);
        if (out.size() == MAX_DIALS) {
          break;
        }
      }
    }
    return out;
  }
}

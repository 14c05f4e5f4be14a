package org.dure.net.dcutr;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
   * (B) of the resulting connection; the attempt ends here.
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
  private State state = State.NEW;
  private long sentAt;
  private List<Multiaddr> theirs = List.of();

  private DcutrEngine(boolean initiator, List<Multiaddr> own, boolean allowPrivate) {
    this.initiator = initiator;
    this.own = List.copyOf(own);
    this.allowPrivate = allowPrivate;
  }

  /** B: the side that received the relayed connection. */
  public static DcutrEngine initiator(List<Multiaddr> ownAddresses, boolean allowPrivate) {
    return new DcutrEngine(true, ownAddresses, allowPrivate);
  }

  /** A: the side that dialled through the relay and is asked to punch. */
  public static DcutrEngine responder(List<Multiaddr> ownAddresses, boolean allowPrivate) {
    DcutrEngine e = new DcutrEngine(false, ownAddresses, allowPrivate);
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

  /** Whether the attempt has reached its dial. */
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
        theirs = dialable(m.addresses());
        if (theirs.isEmpty()) {
          throw new ProtocolViolationException("CONNECT carries no address to punch a hole to");
        }
        if (initiator) {
          state = State.DONE;
          Duration rtt = Duration.ofNanos(Math.max(0, nowNanos - sentAt));
          return List.of(
              new Send(HolePunchMessage.sync()), new Dial(rtt.dividedBy(2), theirs, false));
        }
        state = State.AWAIT_SYNC;
        return List.of(new Send(HolePunchMessage.connect(own)));
      }
      case AWAIT_SYNC -> {
        if (m.type() != HolePunchMessage.Type.SYNC) {
          throw new ProtocolViolationException("expected SYNC, got " + m.type());
        }
        state = State.DONE;
        return List.of(new Dial(Duration.ZERO, theirs, true));
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

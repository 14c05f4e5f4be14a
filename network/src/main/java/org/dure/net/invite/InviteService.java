package org.dure.net.invite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.dure.identity.PeerId;
import org.dure.net.host.Connection;
import org.dure.net.host.Host;
import org.dure.net.host.Stream;
import org.dure.net.multiaddr.Multiaddr;
import org.dure.store.WikiStore;
import org.dure.store.moderation.Invites;
import org.dure.store.wiki.Membership;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.Space;
import org.dure.store.wiki.SpaceId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Invites over {@code /dure/invite/1.0.0}. The inviter makes a signed link ({@link #createLink});
 * the invitee {@link #accept accepts} it: dials the inviter, sends the space id and the link's
 * secret, and the inviter, if the invite is unused and unexpired, adds the invitee's peer ID (as
 * authenticated by the connection, never as claimed) to the space's membership. From then on the
 * space syncs between them.
 *
 * <p>Request: one length-prefixed message of 58 bytes (space id, 26 ASCII bytes; secret, 32 bytes).
 * Reply: one length-prefixed message: a status byte (0 accepted, 1 refused) and UTF-8 text (the
 * space's name, or why it was refused), at most 1 KiB.
 */
public final class InviteService {
  private static final Logger LOG = LoggerFactory.getLogger(InviteService.class);
  public static final String PROTOCOL = "/dure/invite/1.0.0";
  private static final int REQUEST = 26 + 32;
  private static final int MAX_REPLY = 1024;
  static final int RELAYED_IN_LINK = 3;

  /** A successful acceptance. */
  public record Accepted(SpaceId space, String spaceName, PeerId inviter) {}

  private final Host host;
  private final WikiStore store;
  private final Clock clock;

  public InviteService(Host host, WikiStore store, Clock clock) {
    this.host = host;
    this.store = store;
    this.clock = clock;
  }

  /** Serves invite redemptions on the host. */
  public InviteService start() {
    host.setHandler(PROTOCOL, this::serve);
    return this;
  }

  /**
   * Makes a single-use invite link to {@code space} with {@code role}, carrying this node's current
   * listen addresses.
   */
  public String createLink(SpaceId space, Role role, Duration validity) {
    return link(
        store,
        space,
        role,
        validity,
        shareableAddresses(
            host.listenAddresses(), host.externalAddresses(), host.relayedAddresses()));
  }

  /**
   * Makes a single-use invite link that carries only the inviter's peer ID, no address: the invitee
   * finds the inviter through the host's peer routing (the DHT, where the inviter publishes where
   * it can be reached). Such a link stays good when the inviter's addresses change, and can be made
   * while offline.
   */
  public static String createPeerIdOnlyLink(
      WikiStore store, SpaceId space, Role role, Duration validity) {
    return link(store, space, role, validity, List.of());
  }

  private static String link(
      WikiStore store, SpaceId space, Role role, Duration validity, List<Multiaddr> addresses) {
    Space s = store.space(space);
    Invites.Created created = store.invites().create(space, role, validity);
    InviteLink link =
        new InviteLink(
            store.identity().peerId(),
            addresses,
            space.value(),
            s.name(),
            role.key(),
            created.secret(),
            created.expires());
    return link.sign(store.identity().keyPair());
  }

  /**
   * The addresses worth putting in a link: every non-loopback one (at most {@link
   * InviteLink#MAX_ADDRESSES}), or the loopback ones if there is nothing else (same machine).
   */
  static List<Multiaddr> shareableAddresses(List<Multiaddr> listening) {
    return shareableAddresses(listening, List.of());
  }

  /**
   * As {@link #shareableAddresses(List)}, then the {@code external} ones (a port forwarded on the
   * router), which always fit: the listen addresses give up places for them. LAN addresses come
   * first so that a friend on the same network connects directly.
   */
  static List<Multiaddr> shareableAddresses(List<Multiaddr> listening, List<Multiaddr> external) {
    return shareableAddresses(listening, external, List.of());
  }

  /**
   * As {@link #shareableAddresses(List, List)}, then up to {@value #RELAYED_IN_LINK} of the {@code
   * relayed} ones ({@code …/p2p/RELAY/p2p-circuit}), for which the listen addresses give up places
   * too: a friend dials them only when no direct address answers.
   */
  static List<Multiaddr> shareableAddresses(
      List<Multiaddr> listening, List<Multiaddr> external, List<Multiaddr> relayed) {
    List<Multiaddr> rel = new ArrayList<>();
    for (Multiaddr a : relayed) {
      Multiaddr bare = a.withoutPeerId();
      if (!rel.contains(bare) && rel.size() < RELAYED_IN_LINK) {
        rel.add(bare);
      }
    }
    List<Multiaddr> out =
        directAddresses(listening, external, InviteLink.MAX_ADDRESSES - rel.size());
    out.addAll(rel);
    return out;
  }

  private static List<Multiaddr> directAddresses(
      List<Multiaddr> listening, List<Multiaddr> external, int max) {
    List<Multiaddr> ext = new ArrayList<>();
    for (Multiaddr a : external) {
      Multiaddr bare = a.withoutPeerId();
      if (!ext.contains(bare) && ext.size() < max) {
        ext.add(bare);
      }
    }
    List<Multiaddr> lan = new ArrayList<>();
    List<Multiaddr> loop = new ArrayList<>();
    for (Multiaddr a : listening) {
      Multiaddr bare = a.withoutPeerId();
      if (!ext.contains(bare)) {
        (isLoopback(bare) ? loop : lan).add(bare);
      }
    }
    List<Multiaddr> local = lan.isEmpty() && ext.isEmpty() ? loop : lan;
    List<Multiaddr> out =
        new ArrayList<>(local.subList(0, Math.min(local.size(), max - ext.size())));
    out.addAll(ext);
    return out;
  }

  private static boolean isLoopback(Multiaddr a) {
    try {
      return a.toTcpSocketAddress().getAddress().isLoopbackAddress();
    } catch (RuntimeException e) {
      return false;
    }
  }

  private void serve(Stream stream) throws IOException {
    PeerId remote = stream.remotePeer();
    byte[] request = stream.readMessage(REQUEST);
    if (request == null || request.length != REQUEST) {
      stream.reset();
      return;
    }
    String spaceText = new String(request, 0, 26, StandardCharsets.US_ASCII);
    byte[] secret = Arrays.copyOfRange(request, 26, REQUEST);
    String reply;
    boolean ok = false;
    try {
      SpaceId space = new SpaceId(spaceText);
      Optional<Membership> m = store.invites().redeem(space, secret, remote);
      if (m.isPresent()) {
        ok = true;
        reply = store.space(space).name();
        LOG.info("{} joined space {} through an invite", remote, space);
      } else {
        reply = "This invite was already used, has expired, or is not for this space.";
      }
    } catch (IllegalArgumentException | java.util.NoSuchElementException e) {
      reply = "This invite is not for a space here.";
    }
    byte[] text = reply.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[1 + Math.min(text.length, MAX_REPLY - 1)];
    out[0] = (byte) (ok ? 0 : 1);
    System.arraycopy(text, 0, out, 1, out.length - 1);
    stream.writeMessage(out);
    stream.closeWrite();
    stream.close();
  }

  /**
   * Accepts an invite: checks it, dials the inviter (at the link's addresses, else through the
   * host's peer routing: an invite may carry no address) and redeems it.
   *
   * @throws InviteException with a message for the user (expired, unreachable, refused...)
   */
  public Accepted accept(String linkText) throws InviteException {
    InviteLink link = InviteLink.parse(linkText);
    if (link.inviter().equals(host.peerId())) {
      throw new InviteException("This is your own invite; send it to a friend.");
    }
    if (link.isExpired(clock.instant())) {
      throw new InviteException("This invite has expired; ask for a new one.");
    }
    SpaceId space = new SpaceId(link.spaceId());
    // Accept the space from the inviter before redeeming, so the sync that follows takes it.
    store.invites().join(space, link.inviter());
    host.peerStore().addAddresses(link.inviter(), link.addresses());
    Connection c;
    try {
      c = host.connect(link.inviter());
    } catch (IOException e) {
      throw new InviteException(
          (link.addresses().isEmpty()
                  ? "Could not find the inviter (the invite carries only their peer ID: they are"
                      + " looked for at known addresses and through the DHT)"
                  : "Could not reach the inviter at " + link.addresses())
              + " ("
              + e.getMessage()
              + "). Both computers must be online and reachable; try again later.",
          e);
    }
    try (Stream s = c.newStream(PROTOCOL)) {
      byte[] request = new byte[REQUEST];
      System.arraycopy(link.spaceId().getBytes(StandardCharsets.US_ASCII), 0, request, 0, 26);
      System.arraycopy(link.secret(), 0, request, 26, 32);
      s.setReadTimeout(Duration.ofSeconds(30).toMillis());
      s.writeMessage(request);
      s.closeWrite();
      byte[] reply = s.readMessage(MAX_REPLY);
      if (reply == null || reply.length < 1) {
        throw new InviteException("The inviter did not answer; try again.");
      }
      String text = new String(reply, 1, reply.length - 1, StandardCharsets.UTF_8);
      if (reply[0] != 0) {
        throw new InviteException("The inviter refused: " + text);
      }
      return new Accepted(space, text, link.inviter());
    } catch (IOException e) {
      throw new InviteException("The invite could not be sent: " + e.getMessage(), e);
    }
  }
}

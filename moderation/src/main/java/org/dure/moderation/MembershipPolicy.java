package org.dure.moderation;

import java.util.LinkedHashSet;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.dure.net.peer.PeerId;
import org.dure.net.sync.SyncAccessPolicy;
import org.dure.store.DamagedDocumentException;
import org.dure.store.DocumentRef;
import org.dure.store.Role;
import org.dure.store.SpaceId;
import org.dure.store.WikiStore;
import org.dure.store.format.FieldPath;

/**
 * Who sees and writes a space ({@code docs/protocol/sync.md}): a space is offered to its members
 * only, never to a peer on its ban list; a space not held yet is taken only from the peer whose
 * invite the user accepted; page and index changes are applied from owners, moderators and editors,
 * not from readers; membership changes (roles, removals, bans) only from the owner and moderators,
 * and a peer sending others is penalised; the moderation document (reports, log) takes changes from
 * every member. A blocked peer gets nothing.
 *
 * <p>These rules apply twice to changes: to the peer that sends them ({@link #mayChange}), and to
 * the author their signed attestation proves ({@link #mayAuthor}), whoever relays them. The author
 * rule reads the membership this node holds when the changes arrive: a member whose role lets it
 * write the document; or a former member (removed or banned, recorded with the role it had and when
 * it left) for changes it signed before it left; or, while this node has no membership of the space
 * yet (it is joining, and takes the space from the member whose invite it accepted), any validly
 * signed author. A local block does not apply to authors: blocking is about connections and my own
 * feed, and refusing a blocked member's edits would split my copy of the space from everyone
 * else's.
 *
 * <p>Some fields are guarded ({@link #guardedKeys}, {@link #mayWriteField}): a change that writes
 * the index's {@code hidden} map (hides, unhides, edits a hide), the moderation log or a report's
 * resolution is taken only from an author who is owner or moderator by the same reading of the
 * membership.
 */
public final class MembershipPolicy implements SyncAccessPolicy {
  private final WikiStore store;
  private final Blocklist blocklist;

  public MembershipPolicy(WikiStore store, Blocklist blocklist) {
    this.store = store;
    this.blocklist = blocklist;
  }

  @Override
  public Set<SpaceId> spacesFor(PeerId peer) {
    if (blocklist.isBlocked(peer.toString())) {
      return Set.of();
    }
    Set<SpaceId> out = new LinkedHashSet<>(store.sync().spacesSharedWith(peer.toString()));
    out.removeIf(s -> store.moderation().isBanned(s, peer.toString()));
    return out;
  }

  @Override
  public boolean acceptsSpace(PeerId peer, SpaceId space) {
    return !blocklist.isBlocked(peer.toString()) && store.invites().joined(space, peer.toString());
  }

  @Override
  public boolean mayWrite(PeerId peer, SpaceId space) {
    return role(peer, space)
        .map(r -> r != Role.READER)
        .orElseGet(() -> trustedInviter(peer, space));
  }

  @Override
  public boolean mayChange(PeerId peer, DocumentRef doc) {
    return switch (doc.kind()) {
      case MEMBERS ->
          role(peer, doc.space())
              .map(r -> r == Role.OWNER || r == Role.MODERATOR)
              .orElseGet(() -> trustedInviter(peer, doc.space()));
      case MODERATION -> role(peer, doc.space()).isPresent() || trustedInviter(peer, doc.space());
      default -> mayWrite(peer, doc.space());
    };
  }

  @Override
  public boolean mayAuthor(PeerId author, DocumentRef doc, long attestedTime) {
    return authorHas(author, doc.space(), attestedTime, r -> allows(r, doc.kind()));
  }

  /** In a space's index, the {@code hidden} map (pages hidden space-wide). */
  private static final Set<String> INDEX_GUARDED = Set.of("hidden");

  /** In the moderation document, the {@code reports} and the {@code log}. */
  private static final Set<String> MODERATION_GUARDED = Set.of("reports", "log");

  /** The fields of a report that resolve it. */
  private static final Set<String> RESOLUTION = Set.of("resolvedBy", "resolvedAt", "resolution");

  @Override
  public Set<String> guardedKeys(DocumentRef doc) {
    return switch (doc.kind()) {
      case SPACE -> INDEX_GUARDED;
      case MODERATION -> MODERATION_GUARDED;
      default -> Set.of();
    };
  }

  /**
   * Fields only owners and moderators write: in a space's index, {@code hidden} (hide, unhide, or
   * change a hide); in the moderation document, the {@code log}, a report's resolution ({@code
   * resolvedBy}, {@code resolvedAt}, {@code resolution}) and the {@code reports} map itself
   * (replacing or deleting it); in both, a write into an object whose place is unknown. Any member
   * writes the rest of a report. The role is judged like {@link #mayAuthor}'s: by the membership
   * this node holds when the change arrives (a former owner or moderator for changes signed before
   * it left; every author while joining).
   */
  @Override
  public boolean mayWriteField(PeerId author, DocumentRef doc, long attestedTime, FieldPath path) {
    boolean moderatorsOnly =
        switch (doc.kind()) {
          case SPACE -> true;
          case MODERATION ->
              !"reports".equals(path.key())
                  || path.entry() == null
                  || (path.field() != null && RESOLUTION.contains(path.field()));
          default -> false;
        };
    return !moderatorsOnly
        || authorHas(
            author, doc.space(), attestedTime, r -> r == Role.OWNER || r == Role.MODERATOR);
  }

  /**
   * Whether the author of changes attested at {@code attestedTime} has a role {@code allowed}
   * accepts: its role in the membership this node holds (none if banned), or, for a former member,
   * the role it had if the changes were made before it left; always while this node holds no
   * membership of the space (joining: the inviter's copy is taken, every signature checked).
   */
  private boolean authorHas(
      PeerId author, SpaceId space, long attestedTime, Predicate<Role> allowed) {
    String p = author.toString();
    org.dure.store.Membership members;
    try {
      members = store.membership(space);
    } catch (NoSuchElementException | DamagedDocumentException e) {
      return true;
    }
    Optional<Role> role =
        store.moderation().isBanned(space, p) ? Optional.empty() : members.roleOf(p);
    if (role.isPresent()) {
      return allowed.test(role.get());
    }
    var former = store.moderation().formerMembers(space).get(p);
    return former != null
        && attestedTime < former.until().toEpochMilli()
        && allowed.test(former.role());
  }

  /** Whether {@code role} may change a document of {@code kind}. */
  private static boolean allows(Role role, DocumentRef.Kind kind) {
    return switch (kind) {
      case MEMBERS -> role == Role.OWNER || role == Role.MODERATOR;
      case MODERATION -> true;
      default -> role != Role.READER;
    };
  }

  @Override
  public boolean penalizesRefused(DocumentRef doc) {
    // An honest peer never sends membership changes it may not make (sync strips them on the way
    // out), so whoever does is forging them.
    return doc.kind() == DocumentRef.Kind.MEMBERS;
  }

  /** The peer's role, if it is a member that is neither blocked nor banned. */
  private Optional<Role> role(PeerId peer, SpaceId space) {
    String p = peer.toString();
    if (blocklist.isBlocked(p)) {
      return Optional.empty();
    }
    try {
      if (store.moderation().isBanned(space, p)) {
        return Optional.empty();
      }
      return store.membership(space).roleOf(p);
    } catch (NoSuchElementException | DamagedDocumentException e) {
      return Optional.empty();
    }
  }

  /**
   * While the membership has not arrived, the inviter we joined through is trusted for it (it sends
   * the membership itself).
   */
  private boolean trustedInviter(PeerId peer, SpaceId space) {
    if (blocklist.isBlocked(peer.toString())) {
      return false;
    }
    try {
      store.membership(space);
      return false; // the membership is here and does not list the peer
    } catch (NoSuchElementException | DamagedDocumentException e) {
      return store.invites().joined(space, peer.toString());
    }
  }
}

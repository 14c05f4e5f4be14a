package org.dure.moderation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.dure.identity.PeerId;
import org.dure.store.WikiStore;
import org.dure.store.doc.DamagedDocumentException;
import org.dure.store.moderation.EditReverts;
import org.dure.store.moderation.Invites;
import org.dure.store.moderation.ModerationRecords;
import org.dure.store.sync.DocumentRef;
import org.dure.store.wiki.Membership;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.SpaceId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this node's user may do to a space, checked against their role ({@link Permissions}) before
 * the store records it: only the owner and moderators invite, change roles, remove, ban and unban
 * members, hide and unhide pages, resolve reports and revert a peer's edits; moderators only touch
 * editors and readers, the owner moderators too; nobody changes the owner; any member reports.
 * Every such action is written to the space's moderation log (who, what, when, why), which every
 * member sees.
 *
 * <p>Peers check the same rules on what they receive ({@link MembershipPolicy}, {@link
 * WriteRules}).
 */
public final class SpaceModerator {
  private static final Logger LOG = LoggerFactory.getLogger(SpaceModerator.class);

  /** Log actions (the log stores these keys; the UI translates them). */
  public static final String ROLE = "role";

  public static final String REMOVE = "remove";
  public static final String BAN = "ban";
  public static final String UNBAN = "unban";
  public static final String HIDE = "hide";
  public static final String UNHIDE = "unhide";
  public static final String RESOLVE = "resolve";
  public static final String REVERT = "revert";

  private final WikiStore store;

  public SpaceModerator(WikiStore store) {
    this.store = store;
  }

  /** This node's user's role in the space, if a member. */
  public Optional<Role> myRole(SpaceId space) {
    try {
      return store.membership(space).roleOf(store.identity().peerId());
    } catch (NoSuchElementException | DamagedDocumentException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether this node's user may edit the space's pages: a member whose role may write pages (not a
   * reader), as peers judge its edits.
   */
  public boolean mayEditPages(SpaceId space) {
    return myRole(space).map(r -> Permissions.mayWrite(r, DocumentRef.Kind.PAGE)).orElse(false);
  }

  /** Whether this node's user is the space's owner or one of its moderators. */
  public boolean canModerate(SpaceId space) {
    return myRole(space).map(SpaceModerator::moderates).orElse(false);
  }

  static boolean moderates(Role r) {
    return Permissions.moderates(r);
  }

  /**
   * Refuses unless this node's user may take {@code peer} from its role now to {@code to} (empty:
   * out of the space), as {@link Permissions#mayMove} says.
   */
  private void requireMayMove(SpaceId space, PeerId peer, Optional<Role> from, Optional<Role> to) {
    requireModerator(space);
    requireNotOwner(space, peer);
    Role me = myRole(space).orElseThrow();
    if (!Permissions.mayMove(me, from, to)) {
      throw new NotAllowedException(
          "Only the owner of this space can "
              + (to.isPresent() && to.get() == Role.MODERATOR
                  ? "make moderators."
                  : "change, remove or ban a moderator.")
              + " (your role: "
              + me.key()
              + ")");
    }
  }

  private void requireModerator(SpaceId space) {
    if (!canModerate(space)) {
      throw new NotAllowedException(
          "Only the owner and moderators of this space can do that"
              + myRole(space).map(r -> " (your role: " + r.key() + ")").orElse("")
              + ".");
    }
  }

  private void requireNotOwner(SpaceId space, PeerId peer) {
    if (store.membership(space).owner().equals(peer)) {
      throw new NotAllowedException("Nobody can change, remove or ban the owner of a space.");
    }
  }

  /**
   * The roles this node's user may give a peer that has {@code from} now (empty: not a member), in
   * the order moderator, editor, reader; empty if it may not change that peer at all.
   */
  public List<Role> rolesToGive(SpaceId space, Optional<Role> from) {
    Optional<Role> me = myRole(space);
    if (me.isEmpty()) {
      return List.of();
    }
    return java.util.stream.Stream.of(Role.MODERATOR, Role.EDITOR, Role.READER)
        .filter(to -> Permissions.mayMove(me.get(), from, Optional.of(to)))
        .toList();
  }

  /** Whether this node's user may remove or ban a member that has {@code role}. */
  public boolean mayManage(SpaceId space, Role role) {
    return myRole(space).map(me -> Permissions.mayBan(me, Optional.of(role))).orElse(false);
  }

  // ---------------------------------------------------------------- membership

  public Membership membership(SpaceId space) {
    return store.membership(space);
  }

  public Map<PeerId, ModerationRecords.Ban> banned(SpaceId space) {
    return store.moderation().banned(space);
  }

  /** Makes an invite link's secret with {@code role} (owner and moderators only). */
  public Invites.Created invite(SpaceId space, Role role, Duration validity) {
    requireModerator(space);
    if (!Permissions.mayInvite(myRole(space).orElseThrow(), role)) {
      throw new NotAllowedException("Only the owner of this space can invite moderators.");
    }
    return store.invites().create(space, role, validity);
  }

  /** Adds {@code peer} with {@code role}, or changes its role. */
  public Membership setRole(SpaceId space, PeerId peer, Role role) {
    requireModerator(space);
    requireNotOwner(space, peer);
    if (role == Role.OWNER) {
      throw new NotAllowedException("A space has one owner, its creator.");
    }
    requireMayMove(space, peer, store.membership(space).roleOf(peer), Optional.of(role));
    Membership m = store.addMember(space, peer, role);
    log(space, ROLE, peer.toString(), role.key());
    return m;
  }

  public Membership remove(SpaceId space, PeerId peer, String reason) {
    requireMayMove(space, peer, store.membership(space).roleOf(peer), Optional.empty());
    Membership m = store.removeMember(space, peer);
    log(space, REMOVE, peer.toString(), reason);
    return m;
  }

  /** Removes {@code peer} and bans it: no peer offers it the space or takes its changes. */
  public Membership ban(SpaceId space, PeerId peer, String reason) {
    requireMayMove(space, peer, store.membership(space).roleOf(peer), Optional.empty());
    Membership m = store.moderation().ban(space, peer, reason);
    log(space, BAN, peer.toString(), reason);
    return m;
  }

  public void unban(SpaceId space, PeerId peer) {
    var former = store.moderation().formerMembers(space).get(peer);
    requireMayMove(space, peer, Optional.ofNullable(former).map(f -> f.role()), Optional.empty());
    store.moderation().unban(space, peer);
    log(space, UNBAN, peer.toString(), "");
  }

  // ---------------------------------------------------------------- pages

  public void hide(PageId page, String reason) {
    SpaceId space = store.summary(page).spaceId();
    requireModerator(space);
    store.moderation().hide(page, reason);
    log(space, HIDE, page.value(), reason);
  }

  public void unhide(PageId page) {
    SpaceId space = store.summary(page).spaceId();
    requireModerator(space);
    store.moderation().unhide(page);
    log(space, UNHIDE, page.value(), "");
  }

  /**
   * Reverts every edit {@code peer} (see {@link EditReverts#peerIdOf} for text) made to the space's
   * pages since {@code since}, as new changes, and hides the pages it created since (owner and
   * moderators only). The log gets one {@link #REVERT} entry naming the peer, and a {@link #HIDE}
   * entry per hidden page.
   *
   * @see EditReverts
   */
  public EditReverts.Report revertEditsBy(
      SpaceId space, PeerId peer, Instant since, String reason, EditReverts.Progress progress) {
    requireModerator(space);
    EditReverts.Report r = store.reverts().revertEditsBy(space, peer, since, reason, progress);
    for (PageSummary p : r.created()) {
      ModerationRecords.Hidden h = store.moderation().hidden(space).get(p.id());
      log(space, HIDE, p.id().value(), h == null ? "" : h.reason());
    }
    String summary =
        "since "
            + since
            + ": "
            + r.changed().size()
            + " pages changed, "
            + r.partly().size()
            + " partly, "
            + r.created().size()
            + " hidden"
            + (reason == null || reason.isBlank() ? "" : "; " + reason.strip());
    log(space, REVERT, r.author().toString(), truncate(summary));
    return r;
  }

  private static String truncate(String s) {
    return s.length() <= ModerationRecords.MAX_REASON
        ? s
        : s.substring(0, ModerationRecords.MAX_REASON);
  }

  public Map<PageId, ModerationRecords.Hidden> hidden(SpaceId space) {
    return store.moderation().hidden(space);
  }

  // ---------------------------------------------------------------- reports and log

  /** Reports a page (at {@code version}, 0 for the whole page); any member may. */
  public String report(PageId page, long version, String reason) {
    SpaceId space = store.summary(page).spaceId();
    if (myRole(space).isEmpty()) {
      throw new NotAllowedException("Only members of this space can report its pages.");
    }
    return store.moderation().report(page, version, reason);
  }

  public void resolve(SpaceId space, String reportId, String resolution) {
    requireModerator(space);
    store.moderation().resolve(space, reportId, resolution);
    log(space, RESOLVE, reportId, resolution);
  }

  /** Open reports first, then resolved ones; newest first within each. */
  public List<ModerationRecords.Report> reports(SpaceId space) {
    List<ModerationRecords.Report> all =
        new java.util.ArrayList<>(store.moderation().reports(space));
    all.sort(java.util.Comparator.comparing((ModerationRecords.Report r) -> !r.open()));
    return all;
  }

  public List<ModerationRecords.LogEntry> log(SpaceId space) {
    return store.moderation().log(space);
  }

  private void log(SpaceId space, String action, String target, String reason) {
    try {
      store.moderation().log(space, action, target, reason == null ? "" : reason);
    } catch (NoSuchElementException e) {
      // The space's moderation records have not arrived here yet: the action itself stands.
      LOG.warn("Not logged ({} {} in {}): {}", action, target, space, e.getMessage());
    }
  }
}

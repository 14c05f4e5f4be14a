package org.dure.moderation;

import java.util.Optional;
import org.dure.store.sync.DocumentRef;
import org.dure.store.wiki.Role;

/**
 * What each role may do in a space: the one table that every rule asks, whether it judges this
 * node's user before an action ({@link SpaceModerator}) or a change from a peer ({@link
 * MembershipPolicy}, {@link WriteRules}).
 *
 * <table>
 *   <caption>Roles</caption>
 *   <tr><th>role</th><th>may</th></tr>
 *   <tr><td>owner</td><td>everything below, and manage moderators; hand the space over</td></tr>
 *   <tr><td>moderator</td><td>invite, add, remove, ban and unban editors and readers, and change
 *       them between editor and reader; hide pages and comments, resolve reports, keep the
 *       log</td></tr>
 *   <tr><td>editor</td><td>edit pages and the index; rename, move, delete and restore pages;
 *       comment, report, keep a profile</td></tr>
 *   <tr><td>reader</td><td>read; report</td></tr>
 * </table>
 *
 * <p>Nobody changes, removes or bans the owner; nobody but the owner touches a moderator.
 */
public final class Permissions {

  private Permissions() {}

  /** Whether {@code role} moderates: the owner and moderators. */
  public static boolean moderates(Role role) {
    return role == Role.OWNER || role == Role.MODERATOR;
  }

  /**
   * Whether a member with role {@code actor} may take a peer's membership from {@code from} to
   * {@code to} (empty: not a member; so adding, removing, banning and unbanning are such moves).
   * The owner moves anyone but itself between moderator, editor, reader and nothing; a moderator
   * moves only between editor, reader and nothing.
   */
  public static boolean mayMove(Role actor, Optional<Role> from, Optional<Role> to) {
    if (from.equals(Optional.of(Role.OWNER)) || to.equals(Optional.of(Role.OWNER))) {
      return false;
    }
    return switch (actor) {
      case OWNER -> true;
      case MODERATOR -> below(from) && below(to);
      case EDITOR, READER -> false;
    };
  }

  /** Nothing, an editor or a reader: what a moderator may manage. */
  private static boolean below(Optional<Role> r) {
    return r.isEmpty() || r.get() == Role.EDITOR || r.get() == Role.READER;
  }

  /** Whether {@code actor} may ban a peer that has {@code role} now (empty: not a member). */
  public static boolean mayBan(Role actor, Optional<Role> role) {
    return mayMove(actor, role, Optional.empty());
  }

  /** Whether {@code actor} may lift a ban on a peer that had {@code roleBefore} when banned. */
  public static boolean mayUnban(Role actor, Optional<Role> roleBefore) {
    return mayMove(actor, roleBefore, Optional.empty());
  }

  /** Whether {@code actor} may invite someone as {@code role}. */
  public static boolean mayInvite(Role actor, Role role) {
    return mayMove(actor, Optional.empty(), Optional.of(role));
  }

  /** Whether {@code role} may comment on pages and reply: anyone but a reader. */
  public static boolean mayComment(Role role) {
    return mayWrite(role, DocumentRef.Kind.COMMENTS);
  }

  /**
   * Whether {@code role} may hide and show again comments (and a hide by a member counts only while
   * that member has such a role): the owner and moderators.
   */
  public static boolean mayHideComments(Role role) {
    return moderates(role);
  }

  /**
   * Whether {@code role} may rename, move, delete and restore pages (and a deletion written by a
   * member counts only while that member has such a role): anyone but a reader.
   */
  public static boolean mayDeletePages(Role role) {
    return role != Role.READER;
  }

  /** Whether {@code role} may hand the space over (write its {@code owner}). */
  public static boolean mayHandOver(Role role) {
    return role == Role.OWNER;
  }

  /**
   * Whether {@code role} may author changes to a document of {@code kind} at all (what it may write
   * inside is {@link WriteRules}'): the membership only as owner or moderator; the moderation
   * records as any member (anyone reports); everything else (index, pages, profiles, comments) as
   * anyone but a reader.
   */
  public static boolean mayWrite(Role role, DocumentRef.Kind kind) {
    return switch (kind) {
      case MEMBERS -> moderates(role);
      case MODERATION -> true;
      default -> role != Role.READER;
    };
  }
}

package org.dure.moderation;

import java.util.LinkedHashSet;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import org.dure.identity.PeerId;
import org.dure.net.sync.SyncAccessPolicy;
import org.dure.store.WikiStore;
import org.dure.store.doc.DamagedDocumentException;
import org.dure.store.format.FieldWrite;
import org.dure.store.social.Profiles;
import org.dure.store.sync.DocumentRef;
import org.dure.store.sync.DocumentView;
import org.dure.store.sync.Refusal;
import org.dure.store.wiki.Membership;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.SpaceId;

/**
 * Who sees and writes a space ({@code docs/protocol/sync.md}, {@code docs/SECURITY.md}): a space is
 * offered to its members only, never to a peer on its ban list; a space not held yet is taken only
 * from the peer whose invite the user accepted. A blocked peer gets nothing.
 *
 * <p>Changes are judged by who signed them, never by who sent them: any member relays every signed
 * change. An author may write a document as {@link Permissions#mayWrite} says for its role, and
 * make each write as {@link WriteRules} says: in the membership, judged on the membership as the
 * author saw it when it wrote (the change's dependencies), so every node decides alike whatever
 * order changes arrive in; elsewhere on the membership this node holds when the changes arrive. A
 * profile is written only by the member it belongs to.
 *
 * <p>Outside the membership, the author's role is read from the membership held here: a member
 * whose role lets it write the document; or a former member (removed or banned, recorded with the
 * role it had and when it left) for changes it signed before it left; or, while this node has no
 * membership of the space yet (it is joining, and takes the space from the member whose invite it
 * accepted), any validly signed author. A local block does not apply to authors: blocking is about
 * connections and my own feed, and refusing a blocked member's edits would split my copy of the
 * space from everyone else's.
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
    if (blocklist.isBlocked(peer)) {
      return Set.of();
    }
    Set<SpaceId> out = new LinkedHashSet<>(store.sync().spacesSharedWith(peer));
    out.removeIf(s -> store.moderation().isBanned(s, peer));
    return out;
  }

  @Override
  public boolean acceptsSpace(PeerId peer, SpaceId space) {
    return !blocklist.isBlocked(peer) && store.invites().joined(space, peer);
  }

  @Override
  public boolean mayAuthor(PeerId author, DocumentRef doc, long attestedTime) {
    return switch (doc.kind()) {
      // Every write is judged on the membership as its author saw it (WriteRules).
      case MEMBERS -> true;
      case PROFILE ->
          doc.id().equals(Profiles.docId(doc.space(), author))
              && roleNow(author, doc.space(), attestedTime)
                  .map(r -> Permissions.mayWrite(r, doc.kind()))
                  .orElse(false);
      default ->
          roleNow(author, doc.space(), attestedTime)
              .map(r -> Permissions.mayWrite(r, doc.kind()))
              .orElse(false);
    };
  }

  @Override
  public Set<String> guardedKeys(DocumentRef doc) {
    return store.sync().kindOf(doc).guardedKeys();
  }

  @Override
  public Refusal checkWrite(
      PeerId author, DocumentRef doc, long attestedTime, FieldWrite write, DocumentView asSeen) {
    return WriteRules.check(
        author.toString(), doc, write, asSeen, () -> roleNow(author, doc.space(), attestedTime));
  }

  /**
   * The role of the author of changes attested at {@code attestedTime} by the membership this node
   * holds: its role (none if banned), or, for a former member, the role it had if the changes were
   * made before it left; while this node holds no membership of the space (joining: the inviter's
   * copy is taken, every signature checked), a moderator's, so that no author is refused.
   */
  private Optional<Role> roleNow(PeerId author, SpaceId space, long attestedTime) {
    Membership members;
    try {
      members = store.membership(space);
    } catch (NoSuchElementException | DamagedDocumentException e) {
      return Optional.of(Role.MODERATOR);
    }
    Optional<Role> role =
        store.moderation().isBanned(space, author) ? Optional.empty() : members.roleOf(author);
    if (role.isPresent()) {
      return role;
    }
    var former = store.moderation().formerMembers(space).get(author);
    return former != null && attestedTime < former.until().toEpochMilli()
        ? Optional.of(former.role())
        : Optional.empty();
  }
}

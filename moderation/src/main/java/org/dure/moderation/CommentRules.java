package org.dure.moderation;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.dure.store.WikiStore;
import org.dure.store.doc.DamagedDocumentException;
import org.dure.store.social.Comments;
import org.dure.store.social.Comments.Comment;
import org.dure.store.social.Comments.Entry;
import org.dure.store.social.Comments.Reason;
import org.dure.store.social.Comments.RefusedException;
import org.dure.store.wiki.Membership;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.SpaceId;

/**
 * What this node's user may do to a page's comments, asked of {@link Permissions} before the store
 * records it: members other than readers comment and reply, the owner and moderators hide and show
 * again. The thread it shows counts a hide only while whoever hid the comment has such a role.
 * (Editing and deleting one's own comment is the store's check: it binds a comment to its author.)
 *
 * <p>Peers check the same rules on the changes they receive ({@link WriteRules}), by signer.
 */
public final class CommentRules {
  private final WikiStore store;

  public CommentRules(WikiStore store) {
    this.store = store;
  }

  /** Whether this node's user may comment in {@code space}. */
  public boolean canComment(SpaceId space) {
    return myRole(space).map(Permissions::mayComment).orElse(false);
  }

  /** Whether this node's user may hide comments in {@code space}. */
  public boolean canHide(SpaceId space) {
    return myRole(space).map(Permissions::mayHideComments).orElse(false);
  }

  /**
   * Adds a comment to the page's thread.
   *
   * @throws RefusedException with {@link Reason#NOT_A_WRITER} if this node's user may not comment
   *     there, or the store's reasons (empty, too long...)
   */
  public Comment add(PageId page, String body) {
    requireWriter(page);
    return store.comments().add(page, body);
  }

  /** Adds a reply to comment {@code parentId}; refused like {@link #add}. */
  public Comment reply(PageId page, String parentId, String body) {
    requireWriter(page);
    return store.comments().reply(page, parentId, body);
  }

  /**
   * Hides or shows again a comment.
   *
   * @throws RefusedException with {@link Reason#NOT_A_MODERATOR} unless this node's user is the
   *     space's owner or a moderator
   */
  public void hide(PageId page, String commentId, boolean hidden) {
    if (!canHide(spaceOf(page))) {
      throw new RefusedException(
          Reason.NOT_A_MODERATOR, "Only the space's owner and moderators may hide comments.");
    }
    store.comments().hide(page, commentId, hidden);
  }

  /**
   * The page's thread as {@link Comments#thread} has it, except that a hide counts only while the
   * member who hid the comment may hide comments (one demoted since, or never allowed, hides
   * nothing).
   */
  public List<Entry> thread(PageId page) {
    List<Entry> all = store.comments().thread(page);
    if (all.isEmpty()) {
      return all;
    }
    Optional<Membership> members = membership(spaceOf(page));
    List<Entry> out = new ArrayList<>(all.size());
    for (Entry e : all) {
      Comment c = e.comment();
      boolean counts =
          c.hiddenBy()
              .flatMap(p -> members.flatMap(m -> m.roleOf(p)))
              .map(Permissions::mayHideComments)
              .orElse(false);
      out.add(c.hidden() && !counts ? new Entry(shown(c), e.depth()) : e);
    }
    return out;
  }

  private static Comment shown(Comment c) {
    return new Comment(
        c.id(),
        c.page(),
        c.author(),
        c.parent(),
        c.body(),
        c.created(),
        c.edited(),
        c.deleted(),
        false,
        c.hiddenBy());
  }

  private void requireWriter(PageId page) {
    if (!canComment(spaceOf(page))) {
      throw new RefusedException(
          Reason.NOT_A_WRITER,
          "Only members who may edit this space can comment (readers' changes are not taken"
              + " by others).");
    }
  }

  private Optional<Role> myRole(SpaceId space) {
    return membership(space).flatMap(m -> m.roleOf(store.identity().peerId()));
  }

  private Optional<Membership> membership(SpaceId space) {
    try {
      return Optional.of(store.membership(space));
    } catch (NoSuchElementException | DamagedDocumentException e) {
      return Optional.empty();
    }
  }

  private SpaceId spaceOf(PageId page) {
    return store.summary(page).spaceId();
  }
}

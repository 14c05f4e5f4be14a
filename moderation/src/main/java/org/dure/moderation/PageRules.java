package org.dure.moderation;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.dure.store.WikiStore;
import org.dure.store.doc.DamagedDocumentException;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.Space;
import org.dure.store.wiki.SpaceId;

/**
 * What this node's user may do to pages as a whole, asked of {@link Permissions} before the store
 * records it: members other than readers rename, move (to a space where they may do the same),
 * delete and restore pages.
 *
 * <p>Peers check the same rule on the changes they receive, by signer: a reader's or a non-member's
 * changes to a page are not taken at all ({@link MembershipPolicy}), and a page's deletion mark
 * must name its signer ({@link WriteRules}).
 */
public final class PageRules {
  private final WikiStore store;

  public PageRules(WikiStore store) {
    this.store = store;
  }

  /** Whether this node's user may rename, move, delete and restore pages of {@code space}. */
  public boolean canChangePages(SpaceId space) {
    return myRole(space).map(Permissions::mayDeletePages).orElse(false);
  }

  /** The spaces other than the page's own that this node's user may move it to. */
  public List<Space> moveTargets(PageId page) {
    SpaceId from = store.summary(page).spaceId();
    return store.spaces().stream()
        .filter(s -> !s.id().equals(from) && canChangePages(s.id()))
        .toList();
  }

  /**
   * Renames a page; links to its former title keep leading to it.
   *
   * @throws NotAllowedException if this node's user may not
   * @throws IllegalArgumentException if the title is not allowed or taken
   */
  public long rename(PageId page, String title) {
    require(store.summary(page).spaceId());
    return store.wiki().pages().rename(page, title, Optional.empty());
  }

  /** Moves a page to its space's trash; refused like {@link #rename}. */
  public long delete(PageId page) {
    require(store.summary(page).spaceId());
    return store.wiki().pages().delete(page, Optional.empty());
  }

  /** Takes a page out of its space's trash; refused like {@link #rename}. */
  public long restore(PageId page) {
    require(store.summary(page).spaceId());
    return store.wiki().pages().restore(page, Optional.empty());
  }

  /**
   * Moves a page to {@code target} (the old one goes to its space's trash); this node's user must
   * be allowed to in both spaces.
   */
  public PageSummary move(PageId page, SpaceId target) {
    require(store.summary(page).spaceId());
    require(target);
    return store.wiki().pages().move(page, target);
  }

  private void require(SpaceId space) {
    if (!canChangePages(space)) {
      throw new NotAllowedException(
          "Only editors, moderators and the owner of a space can rename, move, delete or restore"
              + " its pages"
              + myRole(space).map(r -> " (your role: " + r.key() + ")").orElse("")
              + ".");
    }
  }

  private Optional<Role> myRole(SpaceId space) {
    try {
      return store.membership(space).roleOf(store.identity().peerId());
    } catch (NoSuchElementException | DamagedDocumentException e) {
      return Optional.empty();
    }
  }
}

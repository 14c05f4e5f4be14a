package org.dure.node;

import java.io.IOException;
import org.dure.moderation.NotAllowedException;
import org.dure.moderation.Permissions;
import org.dure.moderation.SpaceModerator;
import org.dure.store.WikiStore;
import org.dure.store.sync.DocumentRef;
import org.dure.store.vault.Attachments;
import org.dure.store.vault.ImportReport;
import org.dure.store.vault.PageHtml;
import org.dure.store.vault.Progress;
import org.dure.store.vault.VaultExport;
import org.dure.store.vault.VaultImport;
import org.dure.store.vault.VaultLimits;
import org.dure.store.vault.VaultSink;
import org.dure.store.vault.VaultSource;
import org.dure.store.wiki.SpaceId;

/**
 * Export and import of a space put together for the UI and the local API: the store's vault code
 * ({@code org.dure.store.vault}), this node's attachments, and the permission table's word on who
 * may import (whoever may write pages: not a reader).
 *
 * <p>Attachments: {@link Attachments#NONE} until the attachment store exists; wiring it is giving
 * {@link #ATTACHMENTS}'s place an {@link Attachments} over that store.
 */
public final class SpaceVaults {
  /** The attachments export copies and import stores (none yet: import reports them). */
  private static final Attachments ATTACHMENTS = Attachments.NONE;

  private final WikiStore store;
  private final SpaceModerator moderator;
  private final VaultLimits limits;

  public SpaceVaults(WikiStore store, SpaceModerator moderator, VaultLimits limits) {
    this.store = store;
    this.moderator = moderator;
    this.limits = limits;
  }

  public SpaceVaults(WikiStore store, SpaceModerator moderator) {
    this(store, moderator, VaultLimits.defaults());
  }

  public VaultLimits limits() {
    return limits;
  }

  /** Whether this node's user may import pages into the space (its role may write pages). */
  public boolean mayImport(SpaceId space) {
    return moderator
        .myRole(space)
        .map(r -> Permissions.mayWrite(r, DocumentRef.Kind.PAGE))
        .orElse(false);
  }

  /** Writes the space as a Markdown vault. */
  public VaultExport.Summary exportMarkdown(SpaceId space, VaultSink sink, Progress progress)
      throws IOException {
    return new VaultExport(store.wiki(), ATTACHMENTS).markdown(space, sink, progress);
  }

  /** Writes the space as a static HTML site rendered by {@code html}. */
  public VaultExport.Summary exportHtml(
      SpaceId space, PageHtml html, VaultSink sink, Progress progress) throws IOException {
    return new VaultExport(store.wiki(), ATTACHMENTS).html(space, html, sink, progress);
  }

  /**
   * Imports the source into the space.
   *
   * @throws NotAllowedException if this node's user may not write pages there
   */
  public ImportReport importFrom(
      SpaceId space, VaultSource source, VaultImport.OnClash onClash, Progress progress)
      throws IOException {
    if (!mayImport(space)) {
      throw new NotAllowedException(
          "Only the editors, moderators and owner of this space can add pages to it"
              + moderator.myRole(space).map(r -> " (your role: " + r.key() + ")").orElse("")
              + ". Ask its owner for the editor role.");
    }
    return new VaultImport(store.wiki(), ATTACHMENTS, limits).run(space, source, onClash, progress);
  }
}

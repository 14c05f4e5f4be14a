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
 * <p>Attachments: export copies each attachment a page shows or links that is whole here and held
 * for the space into {@code attachments/} ({@link VaultAttachments}); import stores each file a
 * page refers to as an attachment of the space (within the node's limit per attachment, else the
 * report says so) and points the link at it.
 */
public final class SpaceVaults {
  private final WikiStore store;
  private final SpaceModerator moderator;
  private final Attachments attachments;
  private final VaultLimits limits;

  /**
   * @param attachments what export copies and import stores ({@link Attachments#NONE}: none)
   */
  public SpaceVaults(
      WikiStore store, SpaceModerator moderator, Attachments attachments, VaultLimits limits) {
    this.store = store;
    this.moderator = moderator;
    this.attachments = attachments;
    this.limits = limits;
  }

  /** Over the node's attachments, with the default limits. */
  public SpaceVaults(
      WikiStore store, SpaceModerator moderator, org.dure.node.Attachments attachments) {
    this(store, moderator, new VaultAttachments(attachments), VaultLimits.defaults());
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
    return new VaultExport(store.wiki(), attachments).markdown(space, sink, progress);
  }

  /** Writes the space as a static HTML site rendered by {@code html}. */
  public VaultExport.Summary exportHtml(
      SpaceId space, PageHtml html, VaultSink sink, Progress progress) throws IOException {
    return new VaultExport(store.wiki(), attachments).html(space, html, sink, progress);
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
    return new VaultImport(store.wiki(), attachments, limits).run(space, source, onClash, progress);
  }
}

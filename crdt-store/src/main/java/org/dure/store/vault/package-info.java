/**
 * A space as files and back: export to a Markdown folder that Obsidian opens as a vault ({@link
 * org.dure.store.vault.VaultExport}) or to a static HTML site, and import of a Markdown folder,
 * Obsidian vault or zip of one ({@link org.dure.store.vault.VaultImport}). The file layout ({@link
 * org.dure.store.vault.VaultNames}), the front matter ({@link org.dure.store.vault.FrontMatter})
 * and the rewriting of links between {@code [[Title]]} and file names ({@link
 * org.dure.store.vault.VaultLinks}) are here; rendering Markdown to safe HTML is the caller's
 * ({@link org.dure.store.vault.PageHtml}), and so are attachments ({@link
 * org.dure.store.vault.Attachments}).
 *
 * <p>Reading a folder or zip is bounded before anything is read ({@link
 * org.dure.store.vault.VaultLimits}) and never follows a link out of the folder. Pages are created
 * through {@link org.dure.store.wiki.Pages#create}, the normal write path: signed edits like any
 * other. Who may import is the caller's to check (the moderation module's permission table).
 *
 * <p>May depend on {@code org.dure.store.doc} and {@code org.dure.store.wiki}.
 */
package org.dure.store.vault;

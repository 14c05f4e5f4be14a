package org.dure.node;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dure.store.WikiStore;
import org.dure.store.blob.BlobHash;
import org.dure.store.blob.BlobManifest;
import org.dure.store.blob.BlobStore;
import org.dure.store.blob.BlobTooLargeException;
import org.dure.store.vault.Attachments;
import org.dure.store.wiki.SpaceId;

/**
 * The node's attachments as export and import see them: a link destination {@code
 * /attachments/ROOT} (or its {@code ?thumb}) names an attachment when the blob is whole here and
 * recorded for the space exported (another space's blob is never copied out); a file imported is
 * put into the blob store for the space, its media type guessed from its extension, and named by
 * its route.
 */
public final class VaultAttachments implements Attachments {
  private static final Pattern DESTINATION =
      Pattern.compile(Pattern.quote(org.dure.node.Attachments.ROUTE) + "([0-9a-f]{64})(\\?thumb)?");

  private static final Map<String, String> MEDIA_TYPES =
      Map.ofEntries(
          Map.entry("png", "image/png"),
          Map.entry("jpg", "image/jpeg"),
          Map.entry("jpeg", "image/jpeg"),
          Map.entry("gif", "image/gif"),
          Map.entry("webp", "image/webp"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("pdf", "application/pdf"),
          Map.entry("txt", "text/plain"),
          Map.entry("md", "text/markdown"),
          Map.entry("csv", "text/csv"),
          Map.entry("html", "text/html"),
          Map.entry("htm", "text/html"),
          Map.entry("json", "application/json"),
          Map.entry("zip", "application/zip"),
          Map.entry("mp3", "audio/mpeg"),
          Map.entry("mp4", "video/mp4"),
          Map.entry("odt", "application/vnd.oasis.opendocument.text"),
          Map.entry(
              "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
          Map.entry("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));

  private final org.dure.node.Attachments attachments;

  public VaultAttachments(org.dure.node.Attachments attachments) {
    this.attachments = attachments;
  }

  /**
   * The attachments of a stopped data directory (a command-line process): its blob store and its
   * limit per attachment, nothing fetched.
   */
  public static VaultAttachments inDataDir(WikiStore store, Path dataDir) {
    return new VaultAttachments(
        new org.dure.node.Attachments(
            store, org.dure.node.Attachments.openStore(dataDir), null, dataDir));
  }

  @Override
  public Optional<Attachment> find(SpaceId space, String destination) {
    Matcher m = DESTINATION.matcher(destination == null ? "" : destination.strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    BlobHash root = new BlobHash(m.group(1));
    BlobStore blobs = attachments.blobs();
    try {
      Optional<BlobManifest> manifest = blobs.manifest(root);
      if (manifest.isEmpty()
          || !blobs.isComplete(root)
          || !blobs.spaces(root).contains(space.value())) {
        return Optional.empty();
      }
      BlobManifest mf = manifest.get();
      return Optional.of(new Attachment(root.hex(), mf.name(), mf.size()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  @Override
  public void copy(Attachment attachment, OutputStream out) throws IOException {
    try (InputStream in = attachments.blobs().open(new BlobHash(attachment.id()))) {
      in.transferTo(out);
    } catch (IllegalStateException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  @Override
  public boolean canStore() {
    return true;
  }

  /**
   * {@inheritDoc}
   *
   * @throws BlobTooLargeException if {@code size} (or what is read) is over this node's limit per
   *     attachment
   */
  @Override
  public String store(SpaceId space, String fileName, InputStream bytes, long size)
      throws IOException {
    if (size > attachments.maxBytes()) {
      throw new BlobTooLargeException(size, attachments.maxBytes());
    }
    try {
      BlobManifest m = attachments.put(space, fileName, mediaTypeOf(fileName), bytes);
      return org.dure.node.Attachments.ROUTE + m.root().hex();
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** The media type of a file named {@code fileName}, by its extension; else octet-stream. */
  static String mediaTypeOf(String fileName) {
    String n = fileName == null ? "" : fileName;
    int dot = n.lastIndexOf('.');
    String ext = dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    return MEDIA_TYPES.getOrDefault(ext, "application/octet-stream");
  }
}

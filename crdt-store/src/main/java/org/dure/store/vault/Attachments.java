package org.dure.store.vault;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import org.dure.store.wiki.SpaceId;

/**
 * What export and import need of a space's attachments. Pages refer to attachments by link
 * destinations ({@code ![caption](…)}, {@code [file](…)}); export copies each one a page refers to
 * into {@link VaultNames#ATTACHMENTS} and points the link there, import stores each file a page
 * refers to by relative path and points the link at what {@link #store} returns.
 *
 * <p>The node's implementation is {@code org.dure.node.VaultAttachments}; {@link #NONE} (no
 * destination names an attachment, import reports the images and files it found instead of storing
 * them) is for code without an attachment store.
 */
public interface Attachments {

  /**
   * An attachment as a page refers to it.
   *
   * @param id identifies its bytes (e.g. the root hash); two links with the same id are one file
   * @param fileName the name to save it under (made safe and unique by the exporter)
   */
  record Attachment(String id, String fileName, long size) {}

  /** The attachment that a link destination in a page of {@code space} names, if any. */
  Optional<Attachment> find(SpaceId space, String destination);

  /** Copies the attachment's bytes to {@code out}. */
  void copy(Attachment attachment, OutputStream out) throws IOException;

  /** Whether {@link #store} stores anything (false: import reports files instead). */
  boolean canStore();

  /**
   * Stores a file found beside an imported page as an attachment of {@code space}.
   *
   * @param size the file's size, known before it is read
   * @return the link destination that names it in a page
   */
  String store(SpaceId space, String fileName, InputStream bytes, long size) throws IOException;

  /** No attachments: nothing to export, nothing stored on import. */
  Attachments NONE =
      new Attachments() {
        @Override
        public Optional<Attachment> find(SpaceId space, String destination) {
          return Optional.empty();
        }

        @Override
        public void copy(Attachment attachment, OutputStream out) throws IOException {
          throw new IOException("No attachment store");
        }

        @Override
        public boolean canStore() {
          return false;
        }

        @Override
        public String store(SpaceId space, String fileName, InputStream bytes, long size)
            throws IOException {
          throw new IOException("No attachment store");
        }
      };
}

package org.dure.ui.attach;

import com.vaadin.flow.component.Composite;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.upload.Upload;
import com.vaadin.flow.server.streams.UploadEvent;
import com.vaadin.flow.server.streams.UploadHandler;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.dure.node.Attachments;
import org.dure.store.blob.BlobManifest;
import org.dure.store.blob.BlobTooLargeException;
import org.dure.store.wiki.SpaceId;
import org.dure.ui.base.Notices;

/**
 * Attaches images and files to the page being edited: chosen with the button or dropped on it,
 * streamed into the blob store (never whole in memory, refused past the limit per attachment), and
 * the Markdown that shows or links each ({@code ![name](/attachments/ROOT)}) handed to {@code
 * insert}.
 */
public final class AttachmentUpload extends Composite<Upload> {
  private static final long serialVersionUID = 1L;

  private final transient Attachments attachments;
  private final transient Supplier<SpaceId> space;
  private final transient Consumer<String> insert;

  /**
   * @param space the space of the page being edited
   * @param insert takes the Markdown of each attachment stored
   */
  public AttachmentUpload(
      Attachments attachments, Supplier<SpaceId> space, Consumer<String> insert) {
    this.attachments = attachments;
    this.space = space;
    this.insert = insert;
  }

  @Override
  protected Upload initContent() {
    Upload upload = new Upload(new Handler());
    upload.setId("attachment-upload");
    upload.setMaxFiles(20);
    upload.setMaxFileSize((int) Math.min(Integer.MAX_VALUE, attachments.maxBytes()));
    upload.setDropLabel(
        new com.vaadin.flow.component.html.Span(getTranslation("attachments.upload.drop")));
    Button button =
        new Button(getTranslation("attachments.upload.button"), VaadinIcon.PAPERCLIP.create());
    upload.setUploadButton(button);
    upload.addFileRejectedListener(
        e ->
            Notices.notifyError(
                getTranslation(
                    "attachments.upload.tooLarge", e.getFileName(), attachments.maxBytes() >> 20)));
    return upload;
  }

  /** Streams one file into the blob store and hands its Markdown to the editor. */
  private final class Handler implements UploadHandler {
    private static final long serialVersionUID = 1L;

    @Override
    public void handleUploadRequest(UploadEvent event) throws IOException {
      UI ui = event.getUI();
      String name = event.getFileName();
      try (InputStream in = event.getInputStream()) {
        BlobManifest m = attachments.put(space.get(), name, event.getContentType(), in);
        ui.access(
            () -> {
              insert.accept(Attachments.markdownFor(m));
              Notices.notifySuccess(getTranslation("attachments.upload.done", m.name()));
            });
      } catch (BlobTooLargeException e) {
        ui.access(
            () ->
                Notices.notifyError(
                    getTranslation("attachments.upload.tooLarge", name, e.limit() >> 20)));
      } catch (IOException | RuntimeException e) {
        ui.access(
            () ->
                Notices.notifyError(
                    getTranslation("attachments.upload.failed", name, e.getMessage())));
      }
    }

    @Override
    public long getFileSizeMax() {
      return attachments.maxBytes();
    }
  }
}

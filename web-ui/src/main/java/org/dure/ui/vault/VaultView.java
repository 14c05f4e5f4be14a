package org.dure.ui.vault;

import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import com.vaadin.flow.component.upload.Upload;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.streams.DownloadEvent;
import com.vaadin.flow.server.streams.DownloadHandler;
import com.vaadin.flow.server.streams.UploadEvent;
import com.vaadin.flow.server.streams.UploadHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.dure.moderation.NotAllowedException;
import org.dure.moderation.SpaceModerator;
import org.dure.node.Attachments;
import org.dure.node.SpaceVaults;
import org.dure.store.WikiStore;
import org.dure.store.vault.ImportReport;
import org.dure.store.vault.MemorySource;
import org.dure.store.vault.Progress;
import org.dure.store.vault.VaultException;
import org.dure.store.vault.VaultImport;
import org.dure.store.vault.VaultNames;
import org.dure.store.vault.VaultSource;
import org.dure.store.vault.ZipSink;
import org.dure.store.vault.ZipSource;
import org.dure.store.wiki.Space;
import org.dure.ui.base.Links;
import org.dure.ui.base.Notices;
import org.dure.ui.render.MarkdownRenderer;
import org.dure.ui.render.StaticSiteHtml;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A space's files: download it as a zip of Markdown files (an Obsidian vault) or of a web site, and
 * import a zip of a Markdown folder or Markdown files into it, with progress and a report of what
 * was skipped, renamed or left out.
 */
@Route("space/:spaceId/files")
public class VaultView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(VaultView.class);

  private final transient WikiStore store;
  private final transient SpaceVaults vaults;
  private final transient StaticSiteHtml html;
  private final H1 heading = new H1();
  private final VerticalLayout importPanel = new VerticalLayout();
  private final RadioButtonGroup<VaultImport.OnClash> onClash = new RadioButtonGroup<>();
  private final Paragraph uploaded = new Paragraph();
  private final Button start = new Button();
  private final ProgressBar progress = new ProgressBar();
  private final VaultReport report = new VaultReport();
  private final transient Uploads uploads = new Uploads();
  private String title = "Dure";
  private Optional<Space> space = Optional.empty();
  private volatile boolean importing;

  public VaultView(WikiStore store, MarkdownRenderer renderer, Attachments attachments) {
    this.store = store;
    this.vaults = new SpaceVaults(store, new SpaceModerator(store), attachments);
    this.html = new StaticSiteHtml(renderer);
    setId("vault-view");
    start.addClickListener(e -> space.ifPresent(this::startImport));
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    String raw = event.getRouteParameters().get("spaceId").orElse("");
    space = Links.findSpace(store, raw);
    removeAll();
    if (space.isEmpty()) {
      add(Notices.noSuchSpace(raw));
      title = getTranslation("core.title.page", getTranslation("core.notfound.title"));
      return;
    }
    Space s = space.get();
    title = getTranslation("core.title.page", getTranslation("vault.title", s.name()));
    heading.setText(getTranslation("vault.title", s.name()));
    Anchor back = new Anchor(Links.spaceHref(s.id()), getTranslation("vault.back", s.name()));
    add(heading, back, exportPanel(s), new H2(getTranslation("vault.import.heading")));
    buildImport(s);
    add(importPanel, report);
  }

  private VerticalLayout exportPanel(Space s) {
    String base = VaultNames.baseName(s.name());
    Anchor markdown =
        download(
            "vault-export-markdown",
            getTranslation("vault.export.markdown"),
            base + ".zip",
            sink -> vaults.exportMarkdown(s.id(), sink, Progress.NONE));
    Anchor site =
        download(
            "vault-export-html",
            getTranslation("vault.export.html"),
            base + " (web).zip",
            sink -> vaults.exportHtml(s.id(), html, sink, Progress.NONE));
    VerticalLayout panel =
        new VerticalLayout(
            new H2(getTranslation("vault.export.heading")),
            new Paragraph(getTranslation("vault.export.text")),
            new HorizontalLayout(markdown, site));
    panel.setPadding(false);
    return panel;
  }

  /** Writes an export into a zip. */
  private interface Export {
    void write(ZipSink sink) throws IOException;
  }

  private Anchor download(String id, String text, String fileName, Export export) {
    String folder = fileName.substring(0, fileName.length() - 4);
    DownloadHandler handler =
        (DownloadEvent event) -> {
          event.setFileName(fileName);
          event.setContentType("application/zip");
          try (ZipSink sink = new ZipSink(event.getOutputStream(), folder)) {
            export.write(sink);
          }
        };
    Anchor a = new Anchor(handler, text);
    a.setId(id);
    a.getElement().setAttribute("download", true);
    a.getElement().setAttribute("router-ignore", true);
    a.addClassName("vault-download");
    a.getElement().getThemeList().add("primary");
    return a;
  }

  private void buildImport(Space s) {
    importPanel.removeAll();
    importPanel.setPadding(false);
    if (!vaults.mayImport(s.id())) {
      Paragraph no = new Paragraph(getTranslation("vault.import.notAllowed"));
      no.setId("vault-import-not-allowed");
      importPanel.add(no);
      return;
    }
    onClash.setId("vault-on-clash");
    onClash.setLabel(getTranslation("vault.import.onClash"));
    onClash.setItems(VaultImport.OnClash.SKIP, VaultImport.OnClash.RENAME);
    onClash.setItemLabelGenerator(
        c -> getTranslation("vault.import.onClash." + c.name().toLowerCase(Locale.ROOT)));
    onClash.setValue(VaultImport.OnClash.SKIP);

    Upload upload = new Upload(uploads);
    upload.setId("vault-upload");
    upload.setAcceptedFileTypes(".zip", ".md", "application/zip", "text/markdown");
    upload.setMaxFileSize((int) Math.min(Integer.MAX_VALUE, vaults.limits().maxTotalBytes()));
    upload.addFileRejectedListener(
        e -> Notices.notifyError(getTranslation("vault.import.rejected", e.getErrorMessage())));
    uploaded.setId("vault-uploaded");
    uploaded.addClassName("dure-muted");

    start.setText(getTranslation("vault.import.start"));
    start.setId("vault-import-start");
    start.setIcon(VaadinIcon.UPLOAD.create());
    start.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    start.setEnabled(false);
    progress.setId("vault-progress");
    progress.setVisible(false);
    importPanel.add(
        new Paragraph(getTranslation("vault.import.text")),
        onClash,
        upload,
        uploaded,
        start,
        progress);
    showUploads();
  }

  private void showUploads() {
    int n = uploads.count();
    uploaded.setText(n == 0 ? "" : getTranslation("vault.import.files", n));
    start.setEnabled(n > 0 && !importing);
  }

  private void startImport(Space s) {
    UI ui = UI.getCurrent();
    VaultImport.OnClash clash = onClash.getValue();
    importing = true;
    start.setEnabled(false);
    progress.setVisible(true);
    progress.setIndeterminate(true);
    report.clear();
    Uploads taken = uploads.takeAll();
    showUploads();
    Thread.ofVirtual()
        .name("dure-import")
        .start(
            () -> {
              ImportReport r = null;
              String error = null;
              try (VaultSource source = taken.source(vaults)) {
                r =
                    vaults.importFrom(
                        s.id(),
                        source,
                        clash,
                        (done, total) ->
                            ui.access(
                                () -> {
                                  progress.setIndeterminate(false);
                                  progress.setValue(total == 0 ? 1 : (double) done / total);
                                }));
              } catch (VaultException | NotAllowedException e) {
                error = e.getMessage();
              } catch (IOException | RuntimeException e) {
                LOG.warn("Import into {} failed", s.id(), e);
                error = ui.getTranslation("vault.import.failed", e.getMessage());
              } finally {
                taken.delete();
              }
              ImportReport done = r;
              String failed = error;
              ui.access(
                  () -> {
                    importing = false;
                    progress.setVisible(false);
                    if (done != null) {
                      report.show(done, store, s.id());
                    } else {
                      report.failed(failed);
                    }
                    showUploads();
                  });
            });
  }

  @Override
  protected void onDetach(DetachEvent detachEvent) {
    if (!importing) {
      uploads.takeAll().delete();
    }
    super.onDetach(detachEvent);
  }

  @Override
  public String getPageTitle() {
    return title;
  }

  /**
   * What was uploaded for the next import: one zip (kept in a temporary file) or Markdown files (in
   * memory), each bounded by the import's limits while it arrives.
   */
  private final class Uploads implements UploadHandler {
    private static final long serialVersionUID = 1L;
    private Path zip;
    private final Map<String, byte[]> markdown = new LinkedHashMap<>();

    synchronized int count() {
      return (zip == null ? 0 : 1) + markdown.size();
    }

    /** Hands over what was uploaded and starts afresh. */
    synchronized Uploads takeAll() {
      Uploads taken = new Uploads();
      taken.zip = zip;
      taken.markdown.putAll(markdown);
      zip = null;
      markdown.clear();
      return taken;
    }

    VaultSource source(SpaceVaults v) throws VaultException {
      return zip != null ? ZipSource.open(zip, v.limits()) : new MemorySource(markdown, v.limits());
    }

    void delete() {
      if (zip != null) {
        try {
          Files.deleteIfExists(zip);
        } catch (IOException e) {
          LOG.debug("Could not delete {}", zip, e);
        }
      }
    }

    @Override
    public void handleUploadRequest(UploadEvent event) throws IOException {
      String name = event.getFileName() == null ? "" : event.getFileName();
      boolean isZip = name.toLowerCase(Locale.ROOT).endsWith(".zip");
      long max = isZip ? vaults.limits().maxTotalBytes() : vaults.limits().maxFileBytes();
      UI ui = event.getUI();
      if (!isZip && !name.toLowerCase(Locale.ROOT).endsWith(".md")) {
        event.reject(ui.getTranslation("vault.import.notVault"));
        return;
      }
      if (isZip) {
        Path file = Files.createTempFile("dure-import", ".zip");
        boolean kept = false;
        try (InputStream in = event.getInputStream();
            OutputStream out = Files.newOutputStream(file)) {
          if (copy(in, out, max) > max) {
            event.reject(ui.getTranslation("vault.import.tooLarge", max >> 20));
            return;
          }
          synchronized (this) {
            Path old = zip;
            zip = file;
            markdown.clear();
            if (old != null) {
              Files.deleteIfExists(old);
            }
          }
          kept = true;
        } finally {
          if (!kept) {
            Files.deleteIfExists(file);
          }
        }
      } else {
        byte[] bytes;
        try (InputStream in = event.getInputStream()) {
          bytes = in.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 8));
        }
        if (bytes.length > max) {
          event.reject(ui.getTranslation("vault.import.tooLarge", max >> 20));
          return;
        }
        synchronized (this) {
          if (zip != null) {
            Files.deleteIfExists(zip);
            zip = null;
          }
          markdown.put(name, bytes);
        }
      }
      ui.access(VaultView.this::showUploads);
    }

    @Override
    public long getFileSizeMax() {
      return vaults.limits().maxTotalBytes() + 1;
    }

    private static long copy(InputStream in, OutputStream out, long max) throws IOException {
      byte[] buf = new byte[64 * 1024];
      long total = 0;
      int n;
      while ((n = in.read(buf)) > 0) {
        total += n;
        if (total > max) {
          return total;
        }
        out.write(buf, 0, n);
      }
      return total;
    }
  }
}

package org.dure.ui.attach;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.progressbar.ProgressBar;
import java.util.List;
import org.dure.net.blobs.BlobService;
import org.dure.node.Attachments;
import org.dure.store.blob.BlobHash;
import org.dure.store.wiki.Page;

/**
 * Fetches the attachments a shown page refers to and this computer lacks, from the members of its
 * space who are online (several at once), with a progress bar; when some arrive, {@code refresh}
 * shows the page again. Says what could not be fetched and that it comes when a member who has it
 * is online. Invisible when nothing is missing.
 */
public final class PageAttachments extends Div {
  private static final long serialVersionUID = 1L;

  private final transient Attachments attachments;
  private final transient Page page;
  private final transient Runnable refresh;
  private final ProgressBar bar = new ProgressBar(0, 1);
  private final Span text = new Span();
  private transient Thread worker;

  public PageAttachments(Attachments attachments, Page page, Runnable refresh) {
    this.attachments = attachments;
    this.page = page;
    this.refresh = refresh;
    setId("page-attachments");
    addClassName("dure-muted");
    add(text, bar);
    setVisible(false);
  }

  @Override
  protected void onAttach(AttachEvent event) {
    List<BlobHash> missing = attachments.missing(page.body());
    if (missing.isEmpty() || worker != null) {
      return;
    }
    setVisible(true);
    text.setText(getTranslation("attachments.fetch.progress", missing.size()));
    bar.setIndeterminate(true);
    UI ui = event.getUI();
    worker = Thread.ofVirtual().name("dure-page-attachments").start(() -> fetch(ui, missing));
  }

  @Override
  protected void onDetach(DetachEvent event) {
    if (worker != null) {
      worker.interrupt();
      worker = null;
    }
  }

  private void fetch(UI ui, List<BlobHash> missing) {
    int fetched = 0;
    int failed = 0;
    String problem = "";
    for (BlobHash root : missing) {
      try {
        BlobService.Result r =
            attachments.fetch(
                page.spaceId(),
                root,
                (done, total) ->
                    ui.access(
                        () -> {
                          if (total > 0) {
                            bar.setIndeterminate(false);
                            bar.setValue(Math.min(1.0, (double) done / total));
                          }
                        }));
        if (r.complete()) {
          fetched++;
        } else {
          failed++;
          problem = r.problem();
        }
      } catch (InterruptedException e) {
        return;
      } catch (java.io.IOException | RuntimeException e) {
        failed++;
        problem = e.getMessage();
      }
    }
    int got = fetched;
    int lacking = failed;
    String why = problem;
    ui.access(
        () -> {
          if (lacking > 0) {
            bar.setVisible(false);
            text.setText(getTranslation("attachments.fetch.failed", lacking, why));
          } else {
            setVisible(false);
          }
          if (got > 0) {
            refresh.run();
          }
        });
  }
}

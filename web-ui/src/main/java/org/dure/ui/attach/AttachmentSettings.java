package org.dure.ui.attach;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.IntegerField;
import org.dure.node.Attachments;
import org.dure.store.blob.BlobManifest;
import org.dure.ui.base.Notices;

/**
 * The settings of attachments: the largest attachment taken (uploads and fetches), in MiB; and the
 * collection of attachments no page refers to any more, run now ({@link
 * Attachments#collectGarbage}; it also runs on its own every few hours).
 */
public final class AttachmentSettings extends VerticalLayout {
  private static final long serialVersionUID = 1L;

  private final IntegerField limit = new IntegerField();

  public AttachmentSettings(Attachments attachments) {
    setId("attachment-settings");
    setPadding(false);
    limit.setId("attachment-limit");
    limit.setLabel(getTranslation("attachments.settings.limit"));
    limit.setHelperText(getTranslation("attachments.settings.limit.help"));
    limit.setMin(1);
    limit.setMax((int) (BlobManifest.MAX_SIZE >> 20));
    limit.setStepButtonsVisible(true);
    limit.setValue((int) (attachments.maxBytes() >> 20));
    Button save = new Button(getTranslation("attachments.settings.save"));
    save.setId("attachment-limit-save");
    save.addClickListener(
        e -> {
          Integer v = limit.getValue();
          try {
            if (v == null) {
              throw new IllegalArgumentException(getTranslation("attachments.settings.limit.help"));
            }
            attachments.setMaxMiB(v);
            Notices.notifySuccess(getTranslation("attachments.settings.saved"));
          } catch (RuntimeException ex) {
            Notices.notifyError(ex.getMessage());
          }
        });
    HorizontalLayout row = new HorizontalLayout(limit, save);
    row.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
    Button collect = new Button(getTranslation("blobguard.collect.button"));
    collect.setId("attachment-collect");
    collect.addClickListener(e -> collect(attachments, collect));
    Paragraph help = new Paragraph(getTranslation("blobguard.collect.help"));
    help.addClassName("dure-muted");
    add(new H2(getTranslation("attachments.settings.title")), row, collect, help);
  }

  /** Collects garbage on a virtual thread (it reads every page), the button disabled meanwhile. */
  private void collect(Attachments attachments, Button button) {
    UI ui = UI.getCurrent();
    button.setEnabled(false);
    button.setText(getTranslation("blobguard.collect.running"));
    Thread.ofVirtual()
        .name("dure-collect-attachments")
        .start(
            () -> {
              Attachments.Collected c = null;
              String error = null;
              try {
                c = attachments.collectGarbage();
              } catch (java.io.IOException | RuntimeException ex) {
                error = String.valueOf(ex.getMessage());
              }
              Attachments.Collected done = c;
              String failed = error;
              ui.access(
                  () -> {
                    button.setEnabled(true);
                    button.setText(getTranslation("blobguard.collect.button"));
                    if (done != null) {
                      Notices.notifySuccess(
                          getTranslation(
                              "blobguard.collect.done",
                              done.deleted(),
                              String.format(
                                  java.util.Locale.ROOT, "%.1f", done.bytes() / 1048576.0),
                              done.unreferenced()));
                    } else {
                      Notices.notifyError(getTranslation("blobguard.collect.failed", failed));
                    }
                  });
            });
  }
}

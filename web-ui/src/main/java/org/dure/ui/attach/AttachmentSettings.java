package org.dure.ui.attach;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.IntegerField;
import org.dure.node.Attachments;
import org.dure.store.blob.BlobManifest;
import org.dure.ui.base.Notices;

/** The settings of attachments: the largest attachment taken (uploads and fetches), in MiB. */
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
    add(new H2(getTranslation("attachments.settings.title")), row);
  }
}

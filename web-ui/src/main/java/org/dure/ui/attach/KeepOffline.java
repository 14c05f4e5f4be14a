package org.dure.ui.attach;

import com.vaadin.flow.component.checkbox.Checkbox;
import org.dure.node.Attachments;
import org.dure.store.wiki.SpaceId;

/**
 * The "keep offline" switch of a space: fetch every attachment of its pages, not only those shown.
 */
public final class KeepOffline extends Checkbox {
  private static final long serialVersionUID = 1L;

  public KeepOffline(Attachments attachments, SpaceId space) {
    setLabel(getTranslation("attachments.space.keepOffline"));
    setId("keep-offline");
    setValue(attachments.keepsOffline(space));
    setTooltipText(getTranslation("attachments.space.keepOffline.help"));
    addValueChangeListener(
        e -> {
          if (e.isFromClient()) {
            attachments.setKeepOffline(space, e.getValue());
          }
        });
  }
}

package org.dure.ui.limits;

import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.VaadinRequest;
import org.dure.moderation.Resources;
import org.dure.node.Attachments;
import org.dure.node.PeerNode;
import org.dure.ui.attach.AttachmentSettings;
import org.dure.ui.base.Appearance;

/** Limits, caps and consent: stored and applied at once, without a restart. */
@Route(SettingsView.ROUTE)
@Menu(title = "moderation.settings.nav", order = 5, icon = "vaadin:cog")
public class SettingsView extends VerticalLayout implements HasDynamicTitle {
  private static final long serialVersionUID = 1L;
  public static final String ROUTE = "settings";

  public SettingsView(PeerNode node, Attachments attachments) {
    this(node.resources());
    add(new AttachmentSettings(attachments));
  }

  SettingsView(Resources resources) {
    setId("settings-view");
    Paragraph intro = new Paragraph(getTranslation("moderation.settings.intro"));
    Paragraph relay = new Paragraph(getTranslation("moderation.settings.relayNote"));
    SettingsForm form =
        new SettingsForm(
            resources.settings(),
            s -> {
              try {
                resources.update(s);
                Notification.show(getTranslation("moderation.settings.saved"))
                    .addThemeVariants(NotificationVariant.LUMO_SUCCESS);
              } catch (RuntimeException e) {
                Notification n =
                    Notification.show(
                        getTranslation("moderation.settings.saveFailed", e.getMessage()));
                n.addThemeVariants(NotificationVariant.LUMO_ERROR);
              }
            });
    Select<Appearance.Choice> appearance = new Select<>();
    appearance.setId("appearance");
    appearance.setLabel(getTranslation("core.appearance.label"));
    appearance.setItems(Appearance.Choice.values());
    appearance.setItemLabelGenerator(c -> getTranslation("core.appearance." + c.key()));
    appearance.setValue(Appearance.current(VaadinRequest.getCurrent()));
    appearance.addValueChangeListener(
        e -> {
          if (e.isFromClient() && e.getValue() != null) {
            getUI().ifPresent(ui -> Appearance.choose(ui, e.getValue()));
          }
        });
    add(new H1(getTranslation("moderation.settings.title")), appearance, intro, relay, form);
  }

  @Override
  public String getPageTitle() {
    return getTranslation("moderation.settings.title") + " · Dure";
  }
}

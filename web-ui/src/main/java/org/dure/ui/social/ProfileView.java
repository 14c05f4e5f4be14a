package org.dure.ui.social;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.component.upload.Upload;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.streams.UploadEvent;
import com.vaadin.flow.server.streams.UploadHandler;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Optional;
import org.dure.identity.PeerId;
import org.dure.store.WikiStore;
import org.dure.store.social.Avatar;
import org.dure.store.social.Avatars;
import org.dure.store.social.Profiles;

/**
 * {@code profile}: edit this node's profile (display name, bio, avatar), saved into every space it
 * belongs to. {@code profile/PEERID}: someone's profile, read only.
 */
@Route("profile/:peerId?")
@Menu(title = "social.nav.profile", order = 2, icon = "vaadin:user")
public class ProfileView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {
  private static final long serialVersionUID = 1L;

  private final transient WikiStore store;
  private final TextField name = new TextField();
  private final TextArea bio = new TextArea();
  private final com.vaadin.flow.component.avatar.Avatar preview =
      new com.vaadin.flow.component.avatar.Avatar();
  private final Paragraph error = new Paragraph();
  private final Button removePicture = new Button();
  private Upload upload;
  private transient Optional<Avatar> picture = Optional.empty();
  private String title = "";

  public ProfileView(WikiStore store) {
    this.store = store;
    setId("profile-view");
  }

  /** The address of {@code peerId}'s profile page. */
  public static String href(PeerId peerId) {
    return "profile/" + peerId;
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    removeAll();
    String peer = event.getRouteParameters().get("peerId").orElse("");
    if (peer.isEmpty() || peer.equals(store.identity().peerId().toString())) {
      showEditor();
    } else {
      showProfile(peer);
    }
  }

  private void showProfile(String peer) {
    // The address is typed or linked: text that is no peer ID names nobody with a profile.
    Optional<PeerId> id;
    try {
      id = Optional.of(PeerId.parseBase58(peer));
    } catch (IllegalArgumentException e) {
      id = Optional.empty();
    }
    Optional<Profiles.Profile> p = id.flatMap(store.profiles()::profile);
    String shown =
        p.map(Profiles.Profile::displayName)
            .orElseGet(() -> peer.length() > 8 ? "…" + peer.substring(peer.length() - 8) : peer);
    title = getTranslation("social.profile.titleOf", shown);
    com.vaadin.flow.component.avatar.Avatar big =
        new com.vaadin.flow.component.avatar.Avatar(shown);
    big.addThemeName("xlarge");
    p.flatMap(Profiles.Profile::avatar).ifPresent(a -> big.setImage(a.dataUrl()));
    H2 heading = new H2(shown);
    heading.setId("profile-name");
    HorizontalLayout top = new HorizontalLayout(big, heading);
    top.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
    add(top);
    if (p.isEmpty()) {
      Paragraph none = new Paragraph(getTranslation("social.profile.none"));
      none.setId("profile-none");
      none.addClassName("dure-muted");
      add(none);
    } else if (!p.get().bio().isBlank()) {
      Paragraph b = new Paragraph(p.get().bio());
      b.setId("profile-bio");
      b.getStyle().set("white-space", "pre-wrap");
      add(b);
    }
    Span idText = new Span(getTranslation("social.profile.peerId", peer));
    idText.addClassName("dure-muted");
    add(idText);
  }

  private void showEditor() {
    title = getTranslation("social.profile.title");
    Optional<Profiles.Profile> mine = store.profiles().mine();
    H2 heading = new H2(getTranslation("social.profile.title"));
    Paragraph intro = new Paragraph(getTranslation("social.profile.intro"));
    intro.addClassName("dure-muted");

    name.setId("profile-name-field");
    name.setLabel(getTranslation("social.profile.name"));
    name.setHelperText(getTranslation("social.profile.nameHelp", Profiles.MAX_NAME));
    name.setMaxLength(Profiles.MAX_NAME);
    name.setWidthFull();
    name.setValue(mine.map(Profiles.Profile::name).orElse(""));

    bio.setId("profile-bio-field");
    bio.setLabel(getTranslation("social.profile.bio"));
    bio.setMaxLength(Profiles.MAX_BIO);
    bio.setWidthFull();
    bio.setValue(mine.map(Profiles.Profile::bio).orElse(""));

    picture = mine.flatMap(Profiles.Profile::avatar);
    preview.setId("profile-preview");
    preview.addThemeName("xlarge");
    showPreview();

    upload = new Upload(new BoundedUpload());
    upload.setId("profile-upload");
    upload.setMaxFiles(1);
    upload.setMaxFileSize(Avatars.MAX_UPLOAD);
    upload.setAcceptedFileTypes("image/png", "image/jpeg", "image/gif", "image/webp");
    upload.addFileRejectedListener(e -> showError(rejection(e.getErrorMessage())));

    removePicture.setText(getTranslation("social.profile.removePicture"));
    removePicture.setId("profile-remove-picture");
    removePicture.addClickListener(
        e -> {
          picture = Optional.empty();
          showPreview();
        });

    error.setId("profile-error");
    error.addClassName("dure-error");
    error.getStyle().set("color", "var(--lumo-error-text-color)");
    error.setVisible(false);

    Button save = new Button(getTranslation("social.profile.save"));
    save.setId("profile-save");
    save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    save.addClickListener(e -> save());

    HorizontalLayout pictureRow = new HorizontalLayout(preview, upload, removePicture);
    pictureRow.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
    setMaxWidth("40em");
    add(heading, intro, pictureRow, error, name, bio, save);
  }

  private void showPreview() {
    preview.setName(name.getValue().isBlank() ? null : name.getValue());
    preview.setImage(picture.map(Avatar::dataUrl).orElse(null));
    removePicture.setEnabled(picture.isPresent());
  }

  /** Saves the form into every space this node belongs to. */
  void save() {
    try {
      store.profiles().save(name.getValue(), bio.getValue(), picture);
    } catch (IllegalArgumentException e) {
      showError(
          getTranslation("social.profile.error.tooLong", Profiles.MAX_NAME, Profiles.MAX_BIO));
      return;
    }
    error.setVisible(false);
    showPreview();
    Notification.show(
            getTranslation("social.profile.saved"), 3000, Notification.Position.BOTTOM_START)
        .setId("profile-saved");
  }

  /**
   * Takes an uploaded picture (on the UI thread): checked, scaled and shown in the preview, or the
   * reason it cannot be used shown.
   */
  void acceptUpload(byte[] bytes) {
    if (upload != null) {
      upload.clearFileList(); // the next file replaces this one
    }
    try {
      picture = Optional.of(Avatars.fromUpload(bytes));
      error.setVisible(false);
      showPreview();
    } catch (Avatars.RefusedException e) {
      showError(refusal(e.reason()));
    }
  }

  private String refusal(Avatars.Reason reason) {
    return switch (reason) {
      case FILE_TOO_LARGE ->
          getTranslation("social.profile.error.fileTooLarge", Avatars.MAX_UPLOAD / (1024 * 1024));
      case DIMENSIONS_TOO_LARGE ->
          getTranslation("social.profile.error.dimensions", Avatars.MAX_DIMENSION);
      default -> getTranslation("social.profile.error." + reason.name().toLowerCase(Locale.ROOT));
    };
  }

  /** Why the browser refused a file before sending it (Vaadin's English reason, translated). */
  private String rejection(String reason) {
    String r = reason == null ? "" : reason.toLowerCase(Locale.ROOT);
    if (r.contains("big")) {
      return getTranslation(
          "social.profile.error.fileTooLarge", Avatars.MAX_UPLOAD / (1024 * 1024));
    }
    if (r.contains("type")) {
      return getTranslation("social.profile.error.not_an_image");
    }
    return getTranslation("social.profile.error.rejected");
  }

  private void showError(String message) {
    error.setText(message);
    error.setVisible(true);
  }

  /**
   * Reads an upload into memory, at most {@link Avatars#MAX_UPLOAD} bytes (one more tells it was
   * larger), and hands it to the UI.
   */
  private final class BoundedUpload implements UploadHandler {
    private static final long serialVersionUID = 1L;

    @Override
    public void handleUploadRequest(UploadEvent event) throws IOException {
      byte[] bytes;
      try (InputStream in = event.getInputStream()) {
        bytes = in.readNBytes(Avatars.MAX_UPLOAD + 1);
      }
      UI ui = event.getUI();
      ui.access(() -> acceptUpload(bytes));
    }

    @Override
    public long getFileSizeMax() {
      return Avatars.MAX_UPLOAD + 1L;
    }
  }

  @Override
  public String getPageTitle() {
    return title + " · Dure";
  }
}

package org.dure.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.dure.store.WikiStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Profiles and comments in Chromium: set a display name and upload an avatar, then comment on a
 * page and reply, and see the name beside the comments.
 */
@BrowserTest
class SocialBrowserTest {
  @TempDir Path files;

  @Test
  void profileWithAvatarThenACommentAndAReply(Page page, BrowserTestSupport.Dure dure)
      throws Exception {
    BufferedImage img = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(new Color(40, 140, 90));
    g.fillRect(0, 0, 640, 480);
    g.setColor(Color.WHITE);
    g.fillOval(160, 80, 320, 320);
    g.dispose();
    Path picture = files.resolve("me.png");
    ImageIO.write(img, "png", picture.toFile());
    Path notAPicture = Files.writeString(files.resolve("fake.png"), "not really a picture");

    // The profile: a name, a refused file, then a real picture.
    page.navigate(dure.url("profile"));
    page.locator("#profile-name-field input").fill("Ana Tester");
    page.locator("#profile-upload input[type=file]").setInputFiles(notAPicture);
    assertThat(page.locator("#profile-error")).isVisible();
    page.locator("#profile-upload input[type=file]").setInputFiles(picture);
    assertThat(page.locator("#profile-error")).isHidden();
    assertThat(page.locator("#profile-preview img"))
        .hasAttribute("src", Pattern.compile("^data:image/(png|jpeg);base64,"));
    dure.screenshot("profile");
    page.locator("#profile-save").click();
    assertThat(page.locator("vaadin-notification-card").first()).isVisible(); // "saved"

    // A page, a comment and a reply.
    // The home page is the activity feed: open the default space to add a page.
    page.navigate(
        dure.url(
            "space/" + dure.app().context().getBean(WikiStore.class).defaultSpace().id().value()));
    page.locator("#new-page").click();
    page.locator("#new-title input").fill("Picnic plans");
    page.locator("#new-body textarea").fill("Saturday, by the river.");
    page.locator("#create-page").click();
    assertThat(page.locator("#page-title")).hasText("Picnic plans");
    page.locator("#new-comment textarea").fill("Who brings the **bread**?");
    page.locator("#add-comment").click();
    assertThat(page.locator("#comment-thread .dure-comment")).hasCount(1);
    assertThat(page.locator("#comment-thread .dure-comment-body strong")).hasText("bread");
    page.locator("#comment-thread .dure-comment-reply").first().click();
    page.locator("#comment-thread .dure-comment-editor textarea").fill("I will.");
    page.locator("#comment-thread .dure-comment-editor-ok").click();
    assertThat(page.locator("#comment-thread .dure-comment")).hasCount(2);
    assertThat(page.locator("#comment-thread .dure-comment").nth(1)).containsText("I will.");
    assertThat(page.locator("#comment-thread .dure-author-name").first())
        .containsText("Ana Tester");
    assertThat(page.locator("#comment-thread .dure-author-badge img").first())
        .hasAttribute("src", Pattern.compile("^data:image/"));
    dure.screenshot("comments");
  }
}

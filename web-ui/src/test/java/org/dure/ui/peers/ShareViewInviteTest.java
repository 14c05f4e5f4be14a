package org.dure.ui.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.textfield.TextArea;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dure.net.invite.InviteLink;
import org.dure.node.DhtReach;
import org.dure.node.DureNode;
import org.dure.ui.ViewTestSupport;
import org.junit.jupiter.api.Test;

/**
 * The share page makes an invite that carries only this node's peer ID when asked (found through
 * the DHT; possible while offline), and says why not when the DHT is off.
 */
class ShareViewInviteTest extends ViewTestSupport {

  private String shareRoute() {
    return "space/" + space.id().value() + "/share";
  }

  private String lastNotification() {
    Notification n = $(Notification.class).last();
    String text = n.getElement().getProperty("text");
    return text == null ? test(n).getText() : text;
  }

  @Test
  void anOfflineNodeWithTheDhtMakesALinkWithOnlyItsPeerId() throws Exception {
    Path dir = Files.createTempDirectory("dure-share-view");
    useNode(DureNode.on(store, dir).p2pPort(0).dht(DhtReach.Options.only(List.of())).build(), dir);
    navigate(shareRoute(), ShareView.class);

    test($(Checkbox.class).id("invite-peer-id-only")).click();
    test($(Button.class).id("create-invite")).click();

    InviteLink link = InviteLink.parse($(TextArea.class).id("invite-text").getValue());
    assertTrue(link.addresses().isEmpty(), "no address: " + link.addresses());
    assertEquals(store.identity().peerId().toString(), link.inviter().toString());
    assertEquals(space.id().value(), link.spaceId());
    assertEquals("editor", link.role());
  }

  @Test
  void withoutTheDhtALinkWithOnlyThePeerIdIsRefusedWithTheReason() {
    navigate(shareRoute(), ShareView.class); // the test's node: no DHT (--no-dht), offline
    test($(Checkbox.class).id("invite-peer-id-only")).click();
    test($(Button.class).id("create-invite")).click();

    assertFalse($(TextArea.class).withId("invite-text").exists(), "no link shown");
    assertTrue(lastNotification().contains("The DHT is off (--no-dht)"), lastNotification());
  }
}

package org.dure.ui.moderation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.dure.identity.Identity;
import org.dure.identity.PeerId;
import org.dure.store.moderation.ModerationRecords;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.Role;
import org.dure.ui.ViewTestSupport;
import org.dure.ui.wiki.PageView;
import org.dure.ui.wiki.SpaceView;
import org.junit.jupiter.api.Test;

class ModerationViewsTest extends ViewTestSupport {

  private static String newPeer() {
    return new Identity(Identity.generateEd25519()).peerId().toString();
  }

  @SuppressWarnings("unchecked")
  private List<Map.Entry<PeerId, Role>> memberRows() {
    Grid<Map.Entry<PeerId, Role>> grid = $(Grid.class).id("members-grid");
    var rows = test(grid);
    return IntStream.range(0, rows.size()).mapToObj(rows::getRow).toList();
  }

  /** The component in a grid's cell (component columns render only in a browser otherwise). */
  @SuppressWarnings("unchecked")
  private <T extends Component> T cell(String gridId, int row, int col, Class<T> type) {
    Grid<Object> grid = $(Grid.class).id(gridId);
    return type.cast(test(grid).getCellComponent(row, col));
  }

  private <T extends Component> T inCell(
      String gridId, int row, int col, int index, Class<T> type) {
    var layout = cell(gridId, row, col, HorizontalLayout.class);
    return type.cast(layout.getComponentAt(index));
  }

  private int rowOf(String peer) {
    List<Map.Entry<PeerId, Role>> rows = memberRows();
    for (int i = 0; i < rows.size(); i++) {
      if (rows.get(i).getKey().toString().equals(peer)) {
        return i;
      }
    }
    throw new AssertionError(peer + " is not listed");
  }

  @SuppressWarnings("unchecked")
  private void select(Select<Role> select, Role role) {
    test(select).selectItem(select.getItemLabelGenerator().apply(role));
  }

  @Test
  @SuppressWarnings("unchecked")
  void theOwnerAddsChangesRemovesAndBansMembers() {
    String friend = newPeer();
    String spammer = newPeer();
    navigate("space/" + space.id().value() + "/members", MembersView.class);
    assertEquals(List.of(Role.OWNER), memberRows().stream().map(Map.Entry::getValue).toList());

    test($(TextField.class).id("member-add-peer")).setValue(friend);
    select((Select<Role>) $(Select.class).id("member-add-role"), Role.READER);
    test($(Button.class).id("member-add")).click();
    test($(TextField.class).id("member-add-peer")).setValue(spammer);
    select((Select<Role>) $(Select.class).id("member-add-role"), Role.EDITOR);
    test($(Button.class).id("member-add")).click();
    assertEquals(
        Role.READER, store.membership(space.id()).roleOf(PeerId.parse(friend)).orElseThrow());
    assertEquals(
        Role.EDITOR, store.membership(space.id()).roleOf(PeerId.parse(spammer)).orElseThrow());

    select(cell("members-grid", rowOf(friend), 1, Select.class), Role.MODERATOR);
    assertEquals(
        Role.MODERATOR, store.membership(space.id()).roleOf(PeerId.parse(friend)).orElseThrow());

    test($(TextField.class).id("member-reason")).setValue("adverts");
    test(inCell("members-grid", rowOf(spammer), 2, 1, Button.class)).click();
    assertFalse(store.membership(space.id()).isMember(PeerId.parse(spammer)));
    assertEquals(
        "adverts", store.moderation().banned(space.id()).get(PeerId.parse(spammer)).reason());
    test(inCell("members-grid", rowOf(friend), 2, 0, Button.class)).click();
    assertEquals(List.of(Role.OWNER), memberRows().stream().map(Map.Entry::getValue).toList());

    navigate("space/" + space.id().value() + "/moderation", ModerationView.class);
    Grid<ModerationRecords.Ban> bans = $(Grid.class).id("ban-list");
    assertEquals(PeerId.parse(spammer), test(bans).getRow(0).peer());
    test(cell("ban-list", 0, 3, Button.class)).click();
    assertTrue(store.moderation().banned(space.id()).isEmpty());
    Grid<ModerationRecords.LogEntry> log = $(Grid.class).id("moderation-log");
    assertEquals(6, test(log).size(), "role ×3, ban, remove, unban");
  }

  @Test
  @SuppressWarnings("unchecked")
  void aReportedPageIsHiddenFromTheListAndShownAgain() {
    PageSummary spam = createPage("Spam", "cheap pills");
    navigate("page/" + spam.id().value(), PageView.class);
    test($(Button.class).id("report-page")).click();
    ModerationView view = (ModerationView) getCurrentView();
    assertTrue(view.isAttached());

    test($(Button.class).id("report-send")).click(); // no reason: refused
    assertTrue(store.moderation().reports(space.id()).isEmpty());
    test($(TextField.class).id("report-reason")).setValue("advertising");
    test($(Button.class).id("report-send")).click();
    ModerationRecords.Report r = store.moderation().reports(space.id()).get(0);
    assertEquals("advertising", r.reason());

    test(inCell("report-queue", 0, 4, 1, Button.class)).click();
    assertTrue(store.findPage(space.id(), "Spam").isEmpty());
    assertFalse(store.moderation().reports(space.id()).get(0).open());
    Grid<ModerationRecords.Hidden> hidden = $(Grid.class).id("hidden-pages");
    assertEquals(spam.id(), test(hidden).getRow(0).page());

    navigate("space/" + space.id().value(), SpaceView.class);
    Grid<PageSummary> pages = $(Grid.class).id("page-list");
    for (int i = 0; i < test(pages).size(); i++) {
      assertFalse(test(pages).getRow(i).title().equals("Spam"), "hidden from the list");
    }

    navigate("space/" + space.id().value() + "/moderation", ModerationView.class);
    test(cell("hidden-pages", 0, 3, Button.class)).click();
    assertTrue(store.findPage(space.id(), "Spam").isPresent());
  }
}

package org.dure.moderation;

import static org.dure.moderation.TestNodes.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.automerge.ObjectId;
import org.automerge.ObjectType;
import org.dure.identity.PeerId;
import org.dure.store.Tamper;
import org.dure.store.WikiStore;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.SpaceId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renaming, deleting and restoring pages between real nodes (TCP, Noise, Yamux, real stores): an
 * editor's reach the other members; a reader's, made by a modified node past this node's checks and
 * sent signed, are refused by every honest member, judged by signer.
 */
class PageLifecycleSyncTest {
  @TempDir Path dir;
  private TestNodes nodes;

  @BeforeEach
  void nodes() {
    nodes = new TestNodes(dir);
  }

  @AfterEach
  void closeNodes() throws Exception {
    nodes.close();
  }

  private static boolean listed(ModNode n, SpaceId s, PageId p) {
    return n.store.pages(s, 0, 100).stream().anyMatch(x -> x.id().equals(p));
  }

  private static boolean inTrash(ModNode n, SpaceId s, PageId p) {
    return n.store.wiki().trash().list(s).stream().anyMatch(d -> d.page().id().equals(p));
  }

  private static boolean refused(Map<PeerId, Set<String>> refusals, ModNode from, String why) {
    return refusals.getOrDefault(from.id(), Set.of()).stream().anyMatch(r -> r.contains(why));
  }

  @Test
  void anEditorsRenameDeleteAndRestoreReachTheOtherMember() throws Exception {
    ModNode owner = nodes.node(false);
    ModNode editor = nodes.node(false);
    SpaceId s = owner.store.createSpace("Village").id();
    PageSummary plans = owner.store.createPage(s, "Plans", "dig a well", Optional.empty());
    PageSummary home = owner.store.createPage(s, "Home", "See [[Plans]]", Optional.empty());
    owner.share(s, editor, Role.EDITOR);
    editor.dial(owner);
    // Pages arrive one by one, in no set order: wait for both.
    await(
        "the editor holds the pages",
        () ->
            TestNodes.body(editor.store, home.id()).isPresent()
                && TestNodes.body(editor.store, plans.id()).isPresent());
    await("and knows its role", () -> new PageRules(editor.store).canChangePages(s));
    PageRules rules = new PageRules(editor.store);

    rules.rename(plans.id(), "Well");
    await(
        "the rename reaches the owner", () -> owner.store.page(plans.id()).title().equals("Well"));
    assertEquals(plans.id(), owner.store.findPage(s, "Plans").orElseThrow().id(), "a redirect");

    rules.delete(plans.id());
    await("the delete reaches the owner", () -> !listed(owner, s, plans.id()));
    assertTrue(owner.store.findPage(s, "Plans").isEmpty(), "links to it are missing");
    assertTrue(owner.store.search(Optional.of(s), "well", 10).isEmpty());
    var d = owner.store.wiki().trash().list(s).get(0);
    assertEquals(plans.id(), d.page().id());
    assertEquals(Optional.of(editor.id()), d.by(), "the trash shows who deleted it");

    new PageRules(owner.store).restore(plans.id());
    await("the restore reaches the editor", () -> listed(editor, s, plans.id()));
    assertTrue(!inTrash(editor, s, plans.id()));
    assertEquals(plans.id(), editor.store.findPage(s, "Plans").orElseThrow().id());
  }

  @Test
  void aReadersDeleteAndAForgedDeleterAreRefusedByTheOtherMembers() throws Exception {
    ModNode owner = nodes.node(false);
    ModNode reader = nodes.node(true);
    ModNode editor = nodes.node(true);
    SpaceId s = owner.store.createSpace("Village").id();
    PageSummary page = owner.store.createPage(s, "Rules", "be kind", Optional.empty());
    owner.share(s, reader, Role.READER);
    owner.share(s, editor, Role.EDITOR);
    var atOwner = owner.recordRefusals();
    reader.dial(owner);
    editor.dial(owner);
    await("the reader holds the page", () -> TestNodes.body(reader.store, page.id()).isPresent());
    await("the editor too", () -> TestNodes.body(editor.store, page.id()).isPresent());
    await("the reader knows its role", () -> reader.moderator.myRole(s).isPresent());

    // The reader's own node refuses...
    PageRules readerRules = new PageRules(reader.store);
    assertThrows(NotAllowedException.class, () -> readerRules.delete(page.id()));
    assertThrows(NotAllowedException.class, () -> readerRules.rename(page.id(), "Mine"));
    // ...but a modified one deletes past the check, and sends the signed change.
    reader.store.wiki().pages().delete(page.id(), Optional.empty());
    assertTrue(inTrash(reader, s, page.id()), "its own copy says so");
    await("the owner refuses it", () -> refused(atOwner, reader, "who may not write it"));
    assertTrue(listed(owner, s, page.id()));
    assertTrue(owner.store.wiki().trash().list(s).isEmpty());

    // An editor may delete, but not in the owner's name.
    Tamper.write(
        editor.store,
        page.id().value(),
        (doc, tx) -> {
          ObjectId del = tx.set(ObjectId.ROOT, "deleted", ObjectType.MAP);
          tx.set(del, "by", owner.peer());
          tx.set(del, "time", Long.toString(System.currentTimeMillis()));
        });
    await(
        "the owner refuses the forged deleter",
        () -> refused(atOwner, editor, "names who deleted"));
    await(
        "and blames the editor, who sent its own overstep",
        () -> owner.sync.failures(editor.id()) > 0 || owner.blocklist.isBlocked(editor.id()));
    for (WikiStore w : List.of(owner.store)) {
      assertTrue(listed(owner, s, page.id()));
      assertEquals("be kind", w.page(page.id()).body());
    }
  }
}

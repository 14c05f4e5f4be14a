package org.dure.store.social;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.dure.identity.PeerId;
import org.dure.store.TwoStores;
import org.dure.store.WikiStore;
import org.dure.store.doc.Ids;
import org.dure.store.sync.DocumentRef;
import org.dure.store.sync.PeerDataException;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.Space;
import org.dure.store.wiki.SpaceId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Profiles and comments on two stores replicating a space through {@link StoreSync} (the message
 * exchange done in-process, as in {@link StoreSyncTest}).
 */
class ProfilesAndCommentsTest {
  @TempDir Path dirA;
  @TempDir Path dirB;
  @TempDir Path dirC;
  private final List<WikiStore> open = new ArrayList<>();

  private WikiStore open(Path dir) {
    WikiStore s = WikiStore.open(dir);
    s.sync().setSandbox(snapshot -> {}); // isolation is not what these tests check
    open.add(s);
    return s;
  }

  @AfterEach
  void closeAll() {
    open.forEach(WikiStore::close);
  }

  /** Syncs {@code space} until neither side has anything to send. */
  private static void sync(WikiStore a, WikiStore b, SpaceId space) throws PeerDataException {
    TwoStores.sync(a, b, space);
  }

  private static Avatar avatar(Color c) throws Exception {
    BufferedImage img = new BufferedImage(200, 200, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(c);
    g.fillRect(0, 0, 200, 200);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return Avatars.fromUpload(out.toByteArray());
  }

  private static List<String> bodies(WikiStore s, PageId page) {
    return s.comments().thread(page).stream().map(e -> e.comment().body()).toList();
  }

  @Test
  void profilesAndCommentsEditedOnTwoPeersMerge() throws Exception {
    WikiStore a = open(dirA);
    WikiStore b = open(dirB);
    PeerId peerA = a.identity().peerId();
    PeerId peerB = b.identity().peerId();
    Space space = a.createSpace("Village");
    PageId page = a.createPage(space.id(), "Harvest", "text", Optional.empty()).id();
    a.profiles().save("Ana", "Keeps bees", Optional.of(avatar(Color.YELLOW)));
    b.profiles().save("Bo", "", Optional.empty());
    a.addMember(space.id(), peerB, Role.EDITOR);
    sync(a, b, space.id());
    // B's profile went into the space it joined (when its membership arrived), and back to A.
    assertEquals("Bo", a.profiles().profile(peerB).orElseThrow().name());
    Profiles.Profile ana = b.profiles().profile(peerA).orElseThrow();
    assertEquals("Ana", ana.name());
    assertEquals("Keeps bees", ana.bio());
    assertEquals(
        a.profiles().mine().orElseThrow().avatar(), ana.avatar(), "the avatar arrives intact");

    // Apart: both start the page's thread (each creates its comments document), both change
    // their profiles.
    Comments.Comment fromA = a.comments().add(page, "First from **A**");
    b.comments().add(page, "First from B");
    a.profiles().save("Ana K.", "Keeps bees", Optional.empty());
    b.profiles().save("Bo", "Grows leeks", Optional.of(avatar(Color.GREEN)));
    sync(a, b, space.id());
    assertEquals(bodies(a, page), bodies(b, page));
    assertTrue(bodies(a, page).containsAll(List.of("First from **A**", "First from B")));
    assertEquals("Ana K.", b.profiles().profile(peerA).orElseThrow().name());
    assertTrue(b.profiles().profile(peerA).orElseThrow().avatar().isEmpty(), "avatar removed");
    assertEquals("Grows leeks", a.profiles().profile(peerB).orElseThrow().bio());
    assertTrue(a.profiles().profile(peerB).orElseThrow().avatar().isPresent());

    // Apart again: A edits its comment while B replies to it.
    a.comments().edit(page, fromA.id(), "First from A, edited");
    b.comments().reply(page, fromA.id(), "A reply from B");
    sync(a, b, space.id());
    List<Comments.Entry> thread = b.comments().thread(page);
    assertEquals(
        a.comments().thread(page).stream().map(e -> e.comment().id()).toList(),
        thread.stream().map(e -> e.comment().id()).toList());
    Comments.Entry edited =
        thread.stream().filter(e -> e.comment().id().equals(fromA.id())).findFirst().orElseThrow();
    assertEquals("First from A, edited", edited.comment().body());
    assertTrue(edited.comment().edited().isPresent());
    int at = thread.indexOf(edited);
    assertEquals("A reply from B", thread.get(at + 1).comment().body(), "reply under its parent");
    assertEquals(1, thread.get(at + 1).depth());
    assertEquals(peerB, thread.get(at + 1).comment().author());
  }

  @Test
  void aProfileIsNotOfferedInASpaceThePeerDoesNotShare() throws Exception {
    WikiStore a = open(dirA);
    WikiStore c = open(dirC);
    Space mine = a.createSpace("Private");
    a.profiles().save("Ana", "", Optional.empty());
    String profileId = Profiles.docId(mine.id(), a.identity().peerId());
    assertTrue(a.sync().document(profileId).isPresent(), "written into every space of mine");
    assertTrue(
        a.sync().documents(mine.id()).stream()
            .anyMatch(r -> r.id().equals(profileId) && r.kind() == DocumentRef.Kind.PROFILE));
    assertEquals(List.of(), a.sync().spacesSharedWith(c.identity().peerId()));
    assertTrue(c.profiles().profile(a.identity().peerId()).isEmpty());
  }

  @Test
  void documentsAreOfferedIndexMembersPagesModerationProfilesThenComments() throws Exception {
    WikiStore a = open(dirA);
    Space space = a.createSpace("Order");
    PageId page = a.createPage(space.id(), "P", "x", Optional.empty()).id();
    a.comments().add(page, "hello");
    a.profiles().save("Ana", "", Optional.empty());
    List<DocumentRef.Kind> kinds =
        a.sync().documents(space.id()).stream().map(DocumentRef::kind).toList();
    assertEquals(
        List.of(
            DocumentRef.Kind.SPACE,
            DocumentRef.Kind.MEMBERS,
            DocumentRef.Kind.PAGE,
            DocumentRef.Kind.MODERATION,
            DocumentRef.Kind.PROFILE,
            DocumentRef.Kind.COMMENTS),
        kinds);
    assertEquals(
        Optional.of(DocumentRef.Kind.COMMENTS),
        a.sync().derivedDocument(space.id(), Comments.docId(page)));
    assertEquals(
        Optional.of(DocumentRef.Kind.PROFILE),
        a.sync().derivedDocument(space.id(), Profiles.docId(space.id(), a.identity().peerId())));
    assertEquals(Optional.empty(), a.sync().derivedDocument(space.id(), Ids.random()));
  }

  @Test
  void aSnapshotClaimingAnotherDocumentsIdIsRefused() throws Exception {
    WikiStore a = open(dirA);
    WikiStore b = open(dirB);
    Space space = a.createSpace("Shared");
    PageId page = a.createPage(space.id(), "P", "x", Optional.empty()).id();
    a.comments().add(page, "hello");
    a.profiles().save("Ana", "", Optional.empty());
    a.addMember(space.id(), b.identity().peerId(), Role.EDITOR);
    PeerId pa = a.identity().peerId();
    for (String id : List.of(space.id().value(), WikiStore.membershipDocId(space.id()))) {
      DocumentRef ref = a.sync().document(id).orElseThrow();
      b.sync()
          .importSnapshot(
              pa,
              ref,
              a.sync().snapshot(id),
              a.sync().attestations(id),
              org.dure.store.sync.AuthorPolicy.ANY);
    }
    // A's profile offered as the profile of B, and the comments offered as a profile.
    String profile = Profiles.docId(space.id(), pa);
    DocumentRef forged =
        new DocumentRef(
            Profiles.docId(space.id(), b.identity().peerId()),
            DocumentRef.Kind.PROFILE,
            space.id());
    assertThrows(
        PeerDataException.class,
        () ->
            b.sync()
                .importSnapshot(
                    pa,
                    forged,
                    a.sync().snapshot(profile),
                    a.sync().attestations(profile),
                    org.dure.store.sync.AuthorPolicy.ANY));
    DocumentRef wrongKind =
        new DocumentRef(Comments.docId(page), DocumentRef.Kind.PROFILE, space.id());
    assertThrows(
        PeerDataException.class,
        () ->
            b.sync()
                .importSnapshot(
                    pa,
                    wrongKind,
                    a.sync().snapshot(Comments.docId(page)),
                    a.sync().attestations(Comments.docId(page)),
                    org.dure.store.sync.AuthorPolicy.ANY));
  }

  @Test
  void onlyAuthorsEditOrDeleteTheirComments() throws Exception {
    WikiStore a = open(dirA);
    WikiStore b = open(dirB);
    PeerId peerB = b.identity().peerId();
    Space space = a.createSpace("Rules");
    PageId page = a.createPage(space.id(), "P", "x", Optional.empty()).id();
    a.addMember(space.id(), peerB, Role.EDITOR);
    sync(a, b, space.id());

    Comments.Comment byA = a.comments().add(page, "A's word");
    sync(a, b, space.id());
    assertEquals(
        Comments.Reason.NOT_YOURS,
        assertThrows(Comments.RefusedException.class, () -> b.comments().edit(page, byA.id(), "x"))
            .reason());
    assertEquals(
        Comments.Reason.NOT_YOURS,
        assertThrows(Comments.RefusedException.class, () -> b.comments().delete(page, byA.id()))
            .reason());
    assertEquals(
        Comments.Reason.EMPTY,
        assertThrows(Comments.RefusedException.class, () -> b.comments().add(page, "  ")).reason());
    assertEquals(
        Comments.Reason.TOO_LONG,
        assertThrows(
                Comments.RefusedException.class,
                () -> b.comments().add(page, "x".repeat(Comments.MAX_BODY + 1)))
            .reason());
    assertEquals(
        Comments.Reason.NO_SUCH_COMMENT,
        assertThrows(
                Comments.RefusedException.class,
                () -> b.comments().reply(page, Ids.random(), "to nothing"))
            .reason());

    // The store records a hide as written, signed by whoever hid (whether it counts is the
    // space's rule, in the moderation module).
    a.comments().hide(page, byA.id(), true);
    sync(a, b, space.id());
    Comments.Comment seen = b.comments().thread(page).get(0).comment();
    assertTrue(seen.hidden());
    assertEquals(Optional.of(a.identity().peerId()), seen.hiddenBy());
    a.comments().hide(page, byA.id(), false);
    assertFalse(a.comments().thread(page).get(0).comment().hidden());
  }

  @Test
  void aDeletedCommentKeepsItsRepliesAndLosesItsText() throws Exception {
    WikiStore a = open(dirA);
    Space space = a.createSpace("Talk");
    PageId page = a.createPage(space.id(), "P", "x", Optional.empty()).id();
    Comments.Comment first = a.comments().add(page, "secret");
    Comments.Comment reply = a.comments().reply(page, first.id(), "answer");
    a.comments().reply(page, reply.id(), "deeper");
    a.comments().delete(page, first.id());
    List<Comments.Entry> t = a.comments().thread(page);
    assertEquals(3, t.size());
    assertTrue(t.get(0).comment().deleted());
    assertEquals("", t.get(0).comment().body());
    assertEquals(List.of(0, 1, 2), t.stream().map(Comments.Entry::depth).toList());
    assertEquals(2, a.comments().count(page));
    assertEquals(
        Comments.Reason.DELETED,
        assertThrows(
                Comments.RefusedException.class, () -> a.comments().edit(page, first.id(), "x"))
            .reason());
  }

  @Test
  void theThreadOrderSurvivesMissingParentsAndCycles() {
    PageId page = PageId.random();
    PeerId peer = PeerId.parse("12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo");
    String x = Ids.random();
    String y = Ids.random();
    String orphan = Ids.random();
    String root = Ids.random();
    List<Comments.Comment> cs =
        List.of(
            comment(x, page, peer, Optional.of(y), 3),
            comment(y, page, peer, Optional.of(x), 4),
            comment(orphan, page, peer, Optional.of(Ids.random()), 2),
            comment(root, page, peer, Optional.empty(), 1));
    List<Comments.Entry> order = Comments.order(cs);
    assertEquals(List.of(root, orphan, x, y), order.stream().map(e -> e.comment().id()).toList());
    assertEquals(List.of(0, 0, 0, 1), order.stream().map(Comments.Entry::depth).toList());
  }

  private static Comments.Comment comment(
      String id, PageId page, PeerId author, Optional<String> parent, long t) {
    return new Comments.Comment(
        id,
        page,
        author,
        parent,
        "b",
        Instant.ofEpochMilli(t),
        Optional.empty(),
        false,
        false,
        Optional.empty());
  }

  @Test
  void profileLimitsAreChecked() {
    WikiStore a = open(dirA);
    assertThrows(
        IllegalArgumentException.class,
        () -> a.profiles().save("n".repeat(Profiles.MAX_NAME + 1), "", Optional.empty()));
    assertThrows(
        IllegalArgumentException.class,
        () -> a.profiles().save("", "b".repeat(Profiles.MAX_BIO + 1), Optional.empty()));
    Profiles.Profile p = a.profiles().save("  Ana \n  K.  ", "", Optional.empty());
    assertEquals("Ana K.", p.name());
    assertEquals("Ana K.", a.profiles().displayName(a.identity().peerId()));
    PeerId stranger = PeerId.parse("12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo");
    assertEquals(
        "…" + stranger.toString().substring(stranger.toString().length() - 8),
        a.profiles().displayName(stranger));
  }
}

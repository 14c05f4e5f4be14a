package org.dure.moderation;

import static org.dure.moderation.TestNodes.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.automerge.ChangeHash;
import org.automerge.ObjectId;
import org.automerge.ObjectType;
import org.dure.identity.PeerId;
import org.dure.store.Tamper;
import org.dure.store.WikiStore;
import org.dure.store.social.Comments;
import org.dure.store.social.Profiles;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.Space;
import org.dure.store.wiki.SpaceId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A space's rules against its own members, between real nodes (TCP, Noise, Yamux, real stores): a
 * member's modified node writes whatever it likes into its own store ({@link Tamper}) and sends it
 * signed; every honest node judges each change by its signer and the membership as the signer saw
 * it, whoever relays it, and relays every signed change unchanged.
 */
class AuthoritySyncTest {
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

  private ModNode node(boolean malicious) throws IOException {
    return nodes.node(malicious);
  }

  private ModNode node(boolean malicious, Clock clock) throws IOException {
    return nodes.node(malicious, clock);
  }

  private static Optional<Role> roleAt(ModNode n, SpaceId space, PeerId peer) {
    try {
      return n.store.membership(space).roleOf(peer);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static PeerId ownerAt(ModNode n, SpaceId space) {
    return n.store.membership(space).owner();
  }

  private static boolean hasPage(ModNode n, PageId page) {
    try {
      n.store.page(page);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Whether {@code n} refused changes sent by {@code from} for a reason containing {@code why}. */
  private static boolean refused(Map<PeerId, Set<String>> refusals, ModNode from, String why) {
    return refusals.getOrDefault(from.id(), Set.of()).stream().anyMatch(r -> r.contains(why));
  }

  /** Penalised for it: counted, or already blocked (which clears the count). */
  private static boolean penalised(ModNode judge, ModNode culprit) {
    return judge.sync.failures(culprit.id()) > 0 || judge.blocklist.isBlocked(culprit.id());
  }

  /** {@code member} joins {@code space} (made a member by its owner) through {@code via}. */
  private static void joinVia(
      ModNode owner, SpaceId space, ModNode member, Role role, ModNode via) {
    owner.moderator.setRole(space, member.id(), role);
    member.store.invites().join(space, via.id());
  }

  @Test
  void aModeratorsCoupIsRefusedEverywhereAndTheOwnerStaysOwner() throws Exception {
    ModNode owner = node(false);
    ModNode mod = node(true);
    ModNode editor = node(false);
    Space space = owner.store.createSpace("Village");
    SpaceId s = space.id();
    joinVia(owner, s, mod, Role.MODERATOR, owner);
    joinVia(owner, s, editor, Role.EDITOR, mod);
    var atOwner = owner.recordRefusals();
    var atEditor = editor.recordRefusals();
    mod.dial(owner);
    editor.dial(mod); // the editor hears of the space through the moderator only
    await("the editor holds the membership", () -> roleAt(editor, s, editor.id()).isPresent());
    await("the moderator knows its role", () -> mod.moderator.canModerate(s));

    // The moderator's modified node writes itself in as owner, then bans the owner.
    String members = WikiStore.membershipDocId(s);
    Tamper.write(mod.store, members, (doc, tx) -> tx.set(ObjectId.ROOT, "owner", mod.peer()));
    Tamper.write(
        mod.store,
        members,
        (doc, tx) -> {
          tx.delete(Tamper.map(doc, "members"), owner.peer());
          ObjectId ban = tx.set(Tamper.map(doc, "banned"), owner.peer(), ObjectType.MAP);
          tx.set(ban, "by", mod.peer());
          tx.set(ban, "time", Long.toString(System.currentTimeMillis()));
          tx.set(ban, "reason", "coup");
        });
    assertEquals(mod.id(), ownerAt(mod, s), "its own copy says so");

    await("the owner refused the coup", () -> refused(atOwner, mod, "hands the space over"));
    await("the editor refused it too", () -> refused(atEditor, mod, "hands the space over"));
    await("both blame the moderator, who sent its own overstep", () -> penalised(owner, mod));
    await("", () -> penalised(editor, mod));
    for (ModNode honest : List.of(owner, editor)) {
      assertEquals(owner.id(), ownerAt(honest, s));
      assertEquals(Optional.of(Role.OWNER), roleAt(honest, s, owner.id()));
      assertFalse(honest.store.moderation().isBanned(s, owner.id()));
    }
    // The refused changes did not spoil the document: the owner's next change reaches the editor
    // (through another route, since the moderator is blocked now).
    owner.disconnect(mod);
    editor.disconnect(mod);
    editor.store.invites().join(s, owner.id());
    editor.dial(owner);
    PeerId newcomer = freshPeer();
    owner.moderator.setRole(s, newcomer, Role.READER);
    await(
        "the owner's later change reaches the editor",
        () -> roleAt(editor, s, newcomer).equals(Optional.of(Role.READER)));
  }

  @Test
  void aRemovedModeratorsBackDatedReAddIsRefused() throws Exception {
    MutableClock clock = new MutableClock();
    clock.advance(Duration.between(clock.instant(), Instant.now()));
    ModNode owner = node(false);
    ModNode mod = node(true, clock);
    ModNode editor = node(false);
    SpaceId s = owner.store.createSpace("Village").id();
    joinVia(owner, s, mod, Role.MODERATOR, owner);
    joinVia(owner, s, editor, Role.EDITOR, owner);
    mod.store.invites().join(s, editor.id());
    editor.store.invites().join(s, mod.id());
    mod.dial(owner);
    editor.dial(owner);
    String members = WikiStore.membershipDocId(s);
    await("the editor knows the moderator", () -> roleAt(editor, s, mod.id()).isPresent());
    await("the moderator knows its role", () -> mod.moderator.canModerate(s));
    ChangeHash[] beforeRemoval = Tamper.heads(mod.store, members);

    // The editor is away while the owner removes the moderator.
    editor.disconnect(owner);
    await(
        "the editor is away",
        () -> !editor.sync.hasSession(owner.id()) && !owner.sync.hasSession(editor.id()));
    owner.moderator.remove(s, mod.id(), "stepping down");
    // The owner withdraws the space from it and says goodbye: its copy never hears of it.
    await("the owner's session with it ended", () -> !owner.sync.hasSession(mod.id()));
    long removedAt = owner.store.moderation().formerMembers(s).get(mod.id()).until().toEpochMilli();

    // Its modified node builds on the version before its removal (the only one it has), with its
    // clock an hour back: it puts itself back as moderator, and records itself as a former
    // moderator until far on.
    clock.advance(Duration.ofHours(-1));
    Tamper.writeAt(
        mod.store,
        members,
        beforeRemoval,
        (doc, tx) -> {
          tx.set(Tamper.map(doc, "members"), mod.peer(), "moderator");
          ObjectId entry = tx.set(Tamper.map(doc, "former"), mod.peer(), ObjectType.MAP);
          tx.set(entry, "role", "moderator");
          tx.set(entry, "time", Long.toString(Long.MAX_VALUE / 2));
        });

    // It reaches the editor, who has not heard of the removal yet and still shares the space.
    var atEditor = editor.recordRefusals();
    mod.dial(editor);
    await("the editor refused the re-add", () -> refused(atEditor, mod, "moderator"));
    await("and blames its author, who sent it", () -> penalised(editor, mod));
    assertEquals(Optional.of(Role.MODERATOR), roleAt(editor, s, mod.id()), "as before");

    // The editor meets the owner again: both agree the moderator is out, removed when it was.
    editor.dial(owner);
    await("the editor holds the removal", () -> roleAt(editor, s, mod.id()).isEmpty());
    for (ModNode honest : List.of(owner, editor)) {
      assertEquals(Optional.empty(), roleAt(honest, s, mod.id()));
      assertEquals(
          removedAt,
          honest.store.moderation().formerMembers(s).get(mod.id()).until().toEpochMilli());
    }
  }

  @Test
  void aBanReachesEveryMemberThroughEditorsAndTheBannedGetsNothingNew() throws Exception {
    ModNode owner = node(false);
    ModNode f = node(false);
    ModNode e = node(false);
    ModNode r = node(false);
    Space space = owner.store.createSpace("Village");
    SpaceId s = space.id();
    PageSummary before = owner.store.createPage(s, "Before", "old news", Optional.empty());
    // owner - F - E - R: each knows only its neighbours.
    joinVia(owner, s, f, Role.EDITOR, owner);
    joinVia(owner, s, e, Role.EDITOR, f);
    joinVia(owner, s, r, Role.EDITOR, e);
    var atE = e.recordRefusals();
    f.dial(owner);
    e.dial(f);
    r.dial(e);
    await("R has the space", () -> hasPage(r, before.id()));
    await("E shares it with R", () -> e.sync.hasSession(r.id()));

    owner.moderator.ban(s, r.id(), "spam");
    long bannedAt = System.nanoTime();
    PageSummary after = owner.store.createPage(s, "After", "new plans", Optional.empty());

    await(
        "E stops offering the space to R within 5 s",
        5_000,
        () -> !e.sync.hasSession(r.id()) && e.policy.spacesFor(r.id()).isEmpty());
    long stoppedMs = (System.nanoTime() - bannedAt) / 1_000_000;
    assertTrue(e.store.moderation().isBanned(s, r.id()), "E holds the ban, relayed by F");
    await("the page made after the ban reaches E", () -> hasPage(e, after.id()));
    Thread.sleep(500); // anything in flight to R would have landed by now
    assertFalse(hasPage(r, after.id()), "R gets no page created after the ban");
    assertEquals(0, e.sync.failures(f.id()), "F relayed the owner's ban: not to blame");
    assertTrue(atE.getOrDefault(f.id(), Set.of()).isEmpty(), "nothing F relayed was refused");
    assertTrue(stoppedMs < 5_000, stoppedMs + " ms");
  }

  @Test
  void anEditorCannotRewriteAnotherMembersProfileOrCommentAsTheOwner() throws Exception {
    ModNode owner = node(false);
    ModNode vera = node(false);
    ModNode evil = node(true);
    Space space = owner.store.createSpace("Village");
    SpaceId s = space.id();
    PageSummary page = owner.store.createPage(s, "Notes", "hello", Optional.empty());
    joinVia(owner, s, vera, Role.EDITOR, owner);
    joinVia(owner, s, evil, Role.EDITOR, owner);
    vera.store.invites().join(s, evil.id());
    var atOwner = owner.recordRefusals();
    var atVera = vera.recordRefusals();
    vera.dial(owner);
    evil.dial(owner);
    evil.dial(vera);
    await("Vera holds the space", () -> hasPage(vera, page.id()));
    vera.store.profiles().save("Vera", "gardener", Optional.empty());
    Comments.Comment real = owner.store.comments().add(page.id(), "Welcome, all.");
    String profileDoc = Profiles.docId(s, vera.id());
    await(
        "the editor holds Vera's profile",
        () ->
            evil.store
                .profiles()
                .profile(vera.id())
                .map(p -> p.name())
                .equals(Optional.of("Vera")));
    await("and the owner's comment", () -> evil.store.comments().count(page.id()) == 1);

    // Its modified node renames Vera...
    Tamper.write(evil.store, profileDoc, (doc, tx) -> tx.set(ObjectId.ROOT, "name", "Mallory"));
    for (var at : List.of(atOwner, atVera)) {
      await("the profile is refused", () -> refused(at, evil, "who may not write it"));
    }
    // ...and posts a comment in the owner's name.
    String forged = "zzzzzzzzzzzzzzzzzzzzzzzzzz";
    Tamper.write(
        evil.store,
        Comments.docId(page.id()),
        (doc, tx) -> {
          ObjectId c = tx.set(ObjectId.ROOT, forged, ObjectType.MAP);
          tx.set(c, "author", owner.peer());
          tx.set(c, "body", "I resign; evil runs the space now.");
          tx.set(c, "created", new java.util.Date());
          tx.set(c, "deleted", false);
          tx.set(c, "hidden", false);
        });
    assertEquals(2, evil.store.comments().count(page.id()), "its own copy has both");
    for (var at : List.of(atOwner, atVera)) {
      await("the forged comment is refused", () -> refused(at, evil, "names its author"));
    }
    await("the forger is blamed for the comment it signed", () -> penalised(owner, evil));
    await("by both", () -> penalised(vera, evil));
    for (ModNode honest : List.of(owner, vera)) {
      assertEquals(
          Optional.of("Vera"), honest.store.profiles().profile(vera.id()).map(p -> p.name()));
      var thread = honest.store.comments().thread(page.id());
      assertEquals(1, thread.size(), "only the real comment");
      assertEquals(real.id(), thread.get(0).comment().id());
    }
  }

  private static PeerId freshPeer() {
    return new org.dure.identity.Identity(org.dure.identity.Identity.generateEd25519()).peerId();
  }
}

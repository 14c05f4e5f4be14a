package org.dure.moderation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Set;
import org.dure.store.WikiStore;
import org.dure.store.format.FieldPath;
import org.dure.store.format.FieldWrite;
import org.dure.store.sync.DocumentRef;
import org.dure.store.sync.DocumentView;
import org.dure.store.sync.Refusal;
import org.dure.store.wiki.PageKind;
import org.dure.store.wiki.Role;
import org.dure.store.wiki.SpaceId;
import org.dure.store.wiki.SpaceIndexKind;
import org.junit.jupiter.api.Test;

/**
 * Write by write, who may write where ({@link WriteRules}), on documents as their authors saw them
 * (here written out as paths, {@link MapView}). The same rules run on real changes between real
 * nodes in {@code AuthoritySyncTest}.
 */
class WriteRulesTest {
  private static final String OWNER = "12D3KooWOwner";
  private static final String MOD = "12D3KooWModerator";
  private static final String OTHER_MOD = "12D3KooWOtherModerator";
  private static final String EDITOR = "12D3KooWEditor";
  private static final String STRANGER = "12D3KooWStranger";
  private static final SpaceId SPACE = SpaceId.random();
  private static final DocumentRef MEMBERS =
      new DocumentRef(WikiStore.membershipDocId(SPACE), DocumentRef.Kind.MEMBERS, SPACE);

  private static MapView village() {
    return MapView.membership(OWNER)
        .with("members", MOD, null, "moderator")
        .with("members", OTHER_MOD, null, "moderator")
        .with("members", EDITOR, null, "editor");
  }

  private static Refusal members(String author, FieldWrite w, DocumentView seen) {
    return WriteRules.check(author, MEMBERS, w, seen, () -> Optional.empty());
  }

  private static FieldWrite put(String key, String entry, String field, String value) {
    return FieldWrite.put(new FieldPath(key, entry, field), value);
  }

  private static FieldWrite make(String key, String entry) {
    return new FieldWrite(new FieldPath(key, entry, null), FieldWrite.Op.MAKE, null);
  }

  private static FieldWrite delete(String key, String entry) {
    return new FieldWrite(new FieldPath(key, entry, null), FieldWrite.Op.DELETE, null);
  }

  @Test
  void onlyTheOwnerHandsTheSpaceOver() {
    FieldWrite coup = put("owner", null, null, MOD);
    Refusal r = members(MOD, coup, village());
    assertNotNull(r);
    assertTrue(r.authorKnew(), "judged on what the moderator saw: it is to blame");
    assertNull(members(OWNER, put("owner", null, null, MOD), village()));
  }

  @Test
  void nobodyChangesRemovesOrBansTheOwner() {
    for (String who : new String[] {OWNER, MOD}) {
      assertNotNull(members(who, delete("members", OWNER), village()), who);
      assertNotNull(members(who, make("banned", OWNER), village()), who);
      assertNotNull(members(who, put("members", OWNER, null, "reader"), village()), who);
    }
  }

  @Test
  void aModeratorManagesEditorsAndReadersOnly() {
    MapView v = village();
    assertNull(members(MOD, put("members", STRANGER, null, "editor"), v), "adds an editor");
    assertNull(members(MOD, put("members", EDITOR, null, "reader"), v), "editor to reader");
    assertNull(members(MOD, delete("members", EDITOR), v), "removes an editor");
    assertNull(members(MOD, make("banned", EDITOR), v), "bans an editor");
    assertNull(members(MOD, put("banned", EDITOR, "by", MOD), v), "naming itself");
    assertNull(members(MOD, make("former", EDITOR), v));
    assertNull(members(MOD, put("former", EDITOR, "role", "editor"), v));

    assertNotNull(members(MOD, put("members", STRANGER, null, "moderator"), v), "makes a mod");
    assertNotNull(members(MOD, put("members", MOD, null, "moderator"), v), "itself, again");
    assertNotNull(members(MOD, put("members", OTHER_MOD, null, "reader"), v), "demotes a mod");
    assertNotNull(members(MOD, delete("members", OTHER_MOD), v), "removes a mod");
    assertNotNull(members(MOD, make("banned", OTHER_MOD), v), "bans a mod");
    assertNotNull(members(MOD, put("members", EDITOR, null, "owner"), v), "makes an owner");
    assertNotNull(members(MOD, put("former", EDITOR, "role", "moderator"), v), "a former mod");
    assertNotNull(members(MOD, make("former", OTHER_MOD), v), "writes a mod's former entry");
    assertNotNull(members(MOD, put("members", EDITOR, null, "admin"), v), "not a role");
    assertNotNull(members(MOD, make("members", null), v), "replaces the member map");

    assertNull(members(OWNER, put("members", STRANGER, null, "moderator"), v));
    assertNull(members(OWNER, make("banned", OTHER_MOD), v));
    assertNull(members(OWNER, put("former", OTHER_MOD, "role", "moderator"), v));
  }

  @Test
  void aBanNamesItsAuthor() {
    Refusal r = members(MOD, put("banned", EDITOR, "by", OTHER_MOD), village());
    assertNotNull(r);
    assertTrue(r.authorKnew());
    assertNotNull(members(OWNER, put("banned", EDITOR, "by", MOD), village()));
  }

  @Test
  void aModeratorLiftsOnlyTheBansOfEditorsReadersAndStrangers() {
    MapView v =
        village()
            .with("banned", "12D3KooWBannedMod", null, null)
            .with("former", "12D3KooWBannedMod", "role", "moderator")
            .with("banned", "12D3KooWBannedEditor", null, null)
            .with("former", "12D3KooWBannedEditor", "role", "editor")
            .with("banned", STRANGER, null, null);
    assertNotNull(members(MOD, delete("banned", "12D3KooWBannedMod"), v));
    assertNull(members(MOD, delete("banned", "12D3KooWBannedEditor"), v));
    assertNull(members(MOD, delete("banned", STRANGER), v));
    assertNull(members(OWNER, delete("banned", "12D3KooWBannedMod"), v));
    assertNotNull(
        members(MOD, put("members", STRANGER, null, "editor"), v), "unban before adding again");
  }

  @Test
  void aRemovedModeratorWritesNothingWhateverTimeItClaims() {
    MapView afterRemoval =
        MapView.membership(OWNER)
            .with("former", MOD, null, null)
            .with("former", MOD, "role", "moderator")
            .with("former", MOD, "time", "99999999999999");
    Refusal r = members(MOD, put("members", MOD, null, "moderator"), afterRemoval);
    assertNotNull(r);
    assertTrue(r.authorKnew());
    assertNotNull(members(MOD, put("former", MOD, "time", "99999999999999"), afterRemoval));
    assertNotNull(members(MOD, put("members", STRANGER, null, "editor"), afterRemoval));
  }

  @Test
  void editorsAndStrangersWriteNoMembership() {
    for (String who : new String[] {EDITOR, STRANGER}) {
      assertNotNull(members(who, put("members", STRANGER, null, "reader"), village()), who);
      assertNotNull(members(who, make("banned", null), village()), who);
    }
  }

  @Test
  void theFirstChangeOnlyCreatesTheMembershipWithItsAuthorAsOwner() {
    MapView none = MapView.nothing();
    assertNull(members(OWNER, put("space", null, null, SPACE.value()), none));
    assertNull(members(OWNER, put("owner", null, null, OWNER), none));
    assertNull(members(OWNER, make("members", null), none));
    assertNull(members(OWNER, put("members", OWNER, null, "owner"), none));
    assertNull(members(OWNER, make("banned", null), none));
    assertNotNull(members(MOD, put("owner", null, null, OWNER), none), "someone else's");
    assertNotNull(members(MOD, put("members", OTHER_MOD, null, "moderator"), none));
    assertNotNull(members(OWNER, put("space", null, null, SpaceId.random().value()), none));
  }

  @Test
  void aModeratorMakesTheMapOfFormerMembersWhereItIsMissing() {
    assertNull(members(MOD, make("former", null), village()));
    assertNotNull(members(MOD, make("former", null), village().with("former", null, null, null)));
  }

  // ---------------------------------------------------------------- other documents

  private static final DocumentRef COMMENTS =
      new DocumentRef(
          "abcdefghijklmnopqrstuvwxyz".substring(0, 26), DocumentRef.Kind.COMMENTS, SPACE);
  private static final String CID = "cccccccccccccccccccccccccc";

  private static Refusal comments(String author, FieldWrite w, DocumentView seen, Role role) {
    return WriteRules.check(author, COMMENTS, w, seen, () -> Optional.of(role));
  }

  @Test
  void aCommentNamesItsSignerAndOnlyItsAuthorWritesIt() {
    MapView before = MapView.membership(OWNER).with("page", null, null, "p");
    assertNull(comments(EDITOR, make(CID, null), before, Role.EDITOR));
    assertNull(comments(EDITOR, put(CID, "author", null, EDITOR), before, Role.EDITOR));
    assertNull(comments(EDITOR, put(CID, "body", null, "hi"), before, Role.EDITOR));
    assertNull(comments(EDITOR, put(CID, "hidden", null, null), before, Role.EDITOR));
    Refusal asOwner = comments(EDITOR, put(CID, "author", null, OWNER), before, Role.EDITOR);
    assertNotNull(asOwner);
    assertTrue(asOwner.authorKnew(), "a forged name is the signer's own doing");

    MapView written = before.with(CID, "author", null, OWNER).with(CID, "body", null, "mine");
    assertNotNull(comments(EDITOR, put(CID, "body", null, "edited"), written, Role.EDITOR));
    assertNotNull(comments(EDITOR, put(CID, "author", null, EDITOR), written, Role.EDITOR));
    assertNotNull(comments(EDITOR, delete(CID, null), written, Role.EDITOR), "never removed");
    assertNotNull(comments(EDITOR, make(CID, null), written, Role.EDITOR), "nor replaced");
    assertNull(comments(OWNER, put(CID, "body", null, "edited"), written, Role.OWNER));
    // Hiding: moderators only, naming themselves.
    assertNotNull(comments(EDITOR, put(CID, "hidden", null, null), written, Role.EDITOR));
    assertNull(comments(MOD, put(CID, "hidden", null, null), written, Role.MODERATOR));
    assertNull(comments(MOD, put(CID, "hiddenBy", null, MOD), written, Role.MODERATOR));
    assertNotNull(comments(MOD, put(CID, "hiddenBy", null, OWNER), written, Role.MODERATOR));
  }

  private static final DocumentRef RECORDS =
      new DocumentRef(WikiStore.moderationDocId(SPACE), DocumentRef.Kind.MODERATION, SPACE);

  private static Refusal records(String author, FieldWrite w, DocumentView seen, Role role) {
    return WriteRules.check(author, RECORDS, w, seen, () -> Optional.of(role));
  }

  @Test
  void aReportNamesItsReporterAndOnlyModeratorsResolveOrDeleteIt() {
    MapView before = MapView.membership(OWNER).with("reports", null, null, null);
    String id = "rrrrrrrrrrrrrrrrrrrrrrrrrr";
    assertNull(records(EDITOR, make("reports", id), before, Role.EDITOR));
    assertNull(records(EDITOR, put("reports", id, "reporter", EDITOR), before, Role.EDITOR));
    assertNull(records(EDITOR, put("reports", id, "reason", "spam"), before, Role.EDITOR));
    assertNotNull(records(EDITOR, put("reports", id, "reporter", MOD), before, Role.EDITOR));

    MapView filed = before.with("reports", id, "reporter", OWNER);
    assertNotNull(records(EDITOR, put("reports", id, "reason", "mine"), filed, Role.EDITOR));
    assertNotNull(records(EDITOR, delete("reports", id), filed, Role.EDITOR));
    assertNotNull(records(EDITOR, make("reports", id), filed, Role.EDITOR), "replaced");
    assertNull(records(MOD, delete("reports", id), filed, Role.MODERATOR));
    assertNotNull(records(EDITOR, put("reports", id, "resolvedBy", EDITOR), filed, Role.EDITOR));
    assertNull(records(MOD, put("reports", id, "resolvedBy", MOD), filed, Role.MODERATOR));
    assertNotNull(records(MOD, put("reports", id, "resolvedBy", OWNER), filed, Role.MODERATOR));
    assertNull(records(MOD, put("log", id, "who", MOD), filed, Role.MODERATOR));
    assertNotNull(records(MOD, put("log", id, "who", OWNER), filed, Role.MODERATOR));
    assertFalse(
        records(EDITOR, put("log", id, "who", EDITOR), filed, Role.EDITOR).authorKnew(),
        "roles outside the membership are this node's view");
  }

  @Test
  void aHiddenPageNamesWhoHidIt() {
    DocumentRef index = new DocumentRef(SPACE.value(), DocumentRef.Kind.SPACE, SPACE);
    String page = "pppppppppppppppppppppppppp";
    MapView seen = MapView.membership(OWNER);
    assertNull(
        WriteRules.check(
            MOD, index, put("hidden", page, "by", MOD), seen, () -> Optional.of(Role.MODERATOR)));
    assertNotNull(
        WriteRules.check(
            MOD, index, put("hidden", page, "by", OWNER), seen, () -> Optional.of(Role.MODERATOR)));
    assertNotNull(
        WriteRules.check(
            EDITOR, index, make("hidden", page), seen, () -> Optional.of(Role.EDITOR)));
    assertEquals(Set.of("hidden"), SpaceIndexKind.KIND.guardedKeys(), "pages cost");
    assertEquals(Set.of("deleted"), PageKind.KIND.guardedKeys(), "only the deletion mark");
  }

  @Test
  void onlyEditorsAndAboveDeleteOrRestoreAPageNamingThemselves() {
    DocumentRef page = new DocumentRef("pppppppppppppppppppppppppp", DocumentRef.Kind.PAGE, SPACE);
    MapView seen = MapView.nothing();
    FieldWrite mark = new FieldWrite(FieldPath.of("deleted"), FieldWrite.Op.MAKE, null);
    FieldWrite restore = new FieldWrite(FieldPath.of("deleted"), FieldWrite.Op.DELETE, null);
    for (Role r : new Role[] {Role.EDITOR, Role.MODERATOR, Role.OWNER}) {
      assertNull(WriteRules.check(EDITOR, page, mark, seen, () -> Optional.of(r)), r.key());
      assertNull(WriteRules.check(EDITOR, page, restore, seen, () -> Optional.of(r)), r.key());
      assertNull(
          WriteRules.check(
              EDITOR, page, put("deleted", "by", null, EDITOR), seen, () -> Optional.of(r)));
    }
    Refusal byReader = WriteRules.check(EDITOR, page, mark, seen, () -> Optional.of(Role.READER));
    assertNotNull(byReader);
    assertFalse(byReader.authorKnew(), "roles outside the membership are this node's view");
    assertNotNull(WriteRules.check(STRANGER, page, restore, seen, Optional::empty));
    Refusal forged =
        WriteRules.check(
            EDITOR, page, put("deleted", "by", null, OWNER), seen, () -> Optional.of(Role.EDITOR));
    assertNotNull(forged);
    assertTrue(forged.authorKnew(), "a field bound to the signer");
    assertNull(
        WriteRules.check(
            EDITOR, page, put("title", null, null, "New"), seen, () -> Optional.of(Role.EDITOR)),
        "the rest of a page is any writer's");
    assertNotNull(
        WriteRules.check(
            EDITOR,
            page,
            new FieldWrite(FieldPath.UNKNOWN, FieldWrite.Op.PUT, "x"),
            seen,
            () -> Optional.of(Role.EDITOR)));
  }
}

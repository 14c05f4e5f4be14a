package org.dure.moderation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.dure.store.sync.DocumentRef;
import org.dure.store.wiki.Role;
import org.junit.jupiter.api.Test;

/** The one table of what each role may do ({@link Permissions}). */
class PermissionsTest {
  private static final Optional<Role> NONE = Optional.empty();

  private static Optional<Role> as(Role r) {
    return Optional.of(r);
  }

  @Test
  void theOwnerMovesAnyoneButItselfBetweenModeratorEditorReaderAndNothing() {
    List<Optional<Role>> places =
        List.of(NONE, as(Role.MODERATOR), as(Role.EDITOR), as(Role.READER));
    for (Optional<Role> from : places) {
      for (Optional<Role> to : places) {
        assertTrue(Permissions.mayMove(Role.OWNER, from, to), from + " -> " + to);
      }
      assertFalse(Permissions.mayMove(Role.OWNER, from, as(Role.OWNER)), "nobody becomes owner");
      assertFalse(Permissions.mayMove(Role.OWNER, as(Role.OWNER), from), "the owner stays");
    }
  }

  @Test
  void aModeratorManagesEditorsAndReadersAndNothingAbove() {
    List<Optional<Role>> below = List.of(NONE, as(Role.EDITOR), as(Role.READER));
    for (Optional<Role> from : below) {
      for (Optional<Role> to : below) {
        assertTrue(Permissions.mayMove(Role.MODERATOR, from, to), from + " -> " + to);
      }
    }
    List<String> refused = new ArrayList<>();
    for (Optional<Role> other : below) {
      if (Permissions.mayMove(Role.MODERATOR, other, as(Role.MODERATOR))) {
        refused.add("made a moderator from " + other);
      }
      if (Permissions.mayMove(Role.MODERATOR, as(Role.MODERATOR), other)) {
        refused.add("moved a moderator to " + other);
      }
    }
    assertEquals(List.of(), refused);
    assertFalse(Permissions.mayBan(Role.MODERATOR, as(Role.MODERATOR)));
    assertFalse(Permissions.mayBan(Role.MODERATOR, as(Role.OWNER)));
    assertTrue(Permissions.mayBan(Role.MODERATOR, as(Role.EDITOR)));
    assertTrue(Permissions.mayBan(Role.MODERATOR, NONE), "a stranger");
    assertFalse(Permissions.mayUnban(Role.MODERATOR, as(Role.MODERATOR)));
    assertTrue(Permissions.mayUnban(Role.MODERATOR, as(Role.READER)));
    assertFalse(Permissions.mayInvite(Role.MODERATOR, Role.MODERATOR));
    assertTrue(Permissions.mayInvite(Role.MODERATOR, Role.EDITOR));
    assertTrue(Permissions.mayInvite(Role.OWNER, Role.MODERATOR));
  }

  @Test
  void editorsAndReadersMoveNobody() {
    for (Role r : List.of(Role.EDITOR, Role.READER)) {
      assertFalse(Permissions.mayMove(r, NONE, as(Role.READER)));
      assertFalse(Permissions.mayBan(r, NONE));
      assertFalse(Permissions.mayInvite(r, Role.READER));
      assertFalse(Permissions.moderates(r));
      assertFalse(Permissions.mayHandOver(r));
    }
    assertFalse(Permissions.mayHandOver(Role.MODERATOR));
    assertTrue(Permissions.mayHandOver(Role.OWNER));
  }

  @Test
  void whoWritesWhichDocuments() {
    assertTrue(Permissions.mayWrite(Role.MODERATOR, DocumentRef.Kind.MEMBERS));
    assertFalse(Permissions.mayWrite(Role.EDITOR, DocumentRef.Kind.MEMBERS));
    assertTrue(Permissions.mayWrite(Role.READER, DocumentRef.Kind.MODERATION), "anyone reports");
    assertTrue(Permissions.mayWrite(Role.EDITOR, DocumentRef.Kind.PAGE));
    assertFalse(Permissions.mayWrite(Role.READER, DocumentRef.Kind.PAGE));
    assertFalse(Permissions.mayWrite(Role.READER, DocumentRef.Kind.COMMENTS));
  }

  @Test
  void everyoneButReadersRenamesMovesDeletesAndRestoresPages() {
    for (Role r : List.of(Role.OWNER, Role.MODERATOR, Role.EDITOR)) {
      assertTrue(Permissions.mayDeletePages(r), r.key());
    }
    assertFalse(Permissions.mayDeletePages(Role.READER));
  }
}

package org.dure.store.doc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.List;
import org.automerge.ChangeHash;
import org.automerge.Document;
import org.automerge.ObjectId;
import org.automerge.Transaction;
import org.dure.identity.Identity;
import org.dure.store.format.AutomergeFormat;
import org.dure.store.format.Limits;
import org.junit.jupiter.api.Test;

class ClaimedAuthorsTest {
  private final byte[] key = Identity.ephemeral().publicKey().data();

  private static void edit(Document d, String value) {
    try (Transaction tx = d.startTransaction()) {
      tx.set(ObjectId.ROOT, "v", value);
      tx.commit();
    }
  }

  @Test
  void anActorIdIsTheKeyAndEightFreshBytes() {
    byte[] one = ClaimedAuthors.actorId(key);
    byte[] two = ClaimedAuthors.actorId(key);
    assertEquals(40, one.length);
    assertArrayEquals(key, ClaimedAuthors.authorOf(one));
    assertEquals(false, Arrays.equals(one, two));
    assertNull(ClaimedAuthors.authorOf(new byte[16]), "Automerge's random actors claim nobody");
  }

  @Test
  void theValidatorReadsTheActorsOfChangesAndOfSavedDocuments() throws Exception {
    byte[] actor = ClaimedAuthors.actorId(key);
    byte[] other = ClaimedAuthors.actorId(Identity.ephemeral().publicKey().data());
    Document d = new Document(actor);
    Document e = null;
    try {
      edit(d, "a");
      e = d.fork(other);
      edit(e, "b");
      d.merge(e);
      byte[] changes = d.encodeChangesSince(new ChangeHash[0]);
      // 40-byte actors are well within the validator's limit (128 bytes).
      List<byte[]> actors = AutomergeFormat.changeActors(changes, Limits.defaults());
      assertEquals(2, actors.size());
      assertArrayEquals(actor, actors.get(0));
      assertArrayEquals(other, actors.get(1));
      assertEquals(2, ClaimedAuthors.of(d.save()).size(), "both authors, from the document chunk");
      assertArrayEquals(key, ClaimedAuthors.of(d.save()).get(0));
    } finally {
      d.free();
      if (e != null) {
        e.free();
      }
    }
  }
}

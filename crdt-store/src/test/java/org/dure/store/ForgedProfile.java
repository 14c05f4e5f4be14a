package org.dure.store;

import java.util.Date;
import java.util.Optional;
import org.automerge.ObjectId;
import org.dure.store.social.ProfileKind;
import org.dure.store.social.Profiles;
import org.dure.store.wiki.SpaceId;

/**
 * What a modified node can do to its own profile document: write any bytes as its avatar, past the
 * checks {@link Profiles#save} makes (its own changes are still signed by it, so peers take them).
 * For adversarial tests in every module (this class is in crdt-store's test jar).
 */
public final class ForgedProfile {
  private ForgedProfile() {}

  /**
   * Sets {@code store}'s own profile in {@code space} to {@code name} with {@code avatar} as its
   * picture, declared as {@code type}, in one change.
   */
  public static void write(
      WikiStore store, SpaceId space, String name, String type, byte[] avatar) {
    if (store.profiles().mine().isEmpty()) {
      store.profiles().save("", "", Optional.empty()); // creates the document in every space
    }
    String id = Profiles.docId(space, store.identity().peerId());
    store
        .documents()
        .withDocument(
            id,
            live ->
                store
                    .documents()
                    .commit(
                        live,
                        tx -> {
                          tx.set(ObjectId.ROOT, "name", name);
                          tx.set(ObjectId.ROOT, "avatar", avatar);
                          tx.set(ObjectId.ROOT, "avatarType", type);
                          tx.set(ObjectId.ROOT, "updated", Date.from(store.documents().now()));
                        },
                        store.documents().meta(Optional.of("Updated profile")),
                        (d, s) -> {}));
    store.documents().fire(id, ProfileKind.KIND, space.value(), Optional.empty());
  }
}

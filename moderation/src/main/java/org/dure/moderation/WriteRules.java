package org.dure.moderation;

import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.dure.store.format.FieldPath;
import org.dure.store.format.FieldWrite;
import org.dure.store.sync.DocumentRef;
import org.dure.store.sync.DocumentView;
import org.dure.store.sync.Refusal;
import org.dure.store.wiki.Role;

/**
 * Where inside a space's documents an author may write, change by change ({@code docs/SECURITY.md},
 * "Authority"), with roles from {@link Permissions}:
 *
 * <ul>
 *   <li><b>membership</b> ({@code owner}, {@code members}, {@code banned}, {@code former}): judged
 *       on the membership <em>as the change's author saw it</em> (at the change's dependencies), so
 *       every node decides alike in whatever order changes arrive, and a member cannot claim a role
 *       it had lost when it wrote. Only the owner hands the space over, touches moderators (their
 *       roles, removals, bans and {@code former} entries) and writes anything else; moderators move
 *       peers between editor, reader and nothing, ban and unban them. A ban names its author in
 *       {@code by}. The first change only creates the document, with its author as owner;
 *   <li><b>index</b>: only owners and moderators hide pages ({@code hidden}), naming themselves in
 *       {@code by};
 *   <li><b>pages</b>: only members who may delete pages ({@link Permissions#mayDeletePages}) write
 *       a page's {@code deleted} mark (delete, restore), naming themselves in {@code by};
 *   <li><b>moderation records</b>: any member reports, naming itself as {@code reporter}, and only
 *       the reporter writes its report's fields; only owners and moderators resolve a report
 *       (naming themselves in {@code resolvedBy}), delete or replace one, and write the log (naming
 *       themselves in {@code who});
 *   <li><b>comments</b>: a comment names its author, which signed it, and only that author writes
 *       it (edits, deletes it with a tombstone); only owners and moderators hide it, naming
 *       themselves in {@code hiddenBy}; a comment is never removed.
 * </ul>
 *
 * A field that names a person must name the change's signer; breaking that, or a rule judged on the
 * author's own view, is {@linkplain Refusal#knowingly knowing}. Who moderates outside the
 * membership document is read from the membership this node holds now ({@linkplain
 * Refusal#unknowingly not knowing}: the author's may differ for a while).
 */
final class WriteRules {

  private WriteRules() {}

  /** The fields of a report that resolve it. */
  private static final Set<String> RESOLUTION = Set.of("resolvedBy", "resolvedAt", "resolution");

  /**
   * Why {@code author} may not make {@code write} in {@code doc}, or null if it may.
   *
   * @param asSeen the document as the change's author saw it
   * @param roleNow the author's role as the membership this node holds says (empty: none; every
   *     author while this node is joining and holds no membership yet counts as a moderator)
   */
  static Refusal check(
      String author,
      DocumentRef doc,
      FieldWrite write,
      DocumentView asSeen,
      Supplier<Optional<Role>> roleNow) {
    return switch (doc.kind()) {
      case MEMBERS -> membership(author, doc, write, asSeen);
      case SPACE -> index(author, write, roleNow);
      case MODERATION -> moderationRecords(author, write, asSeen, roleNow);
      case COMMENTS -> comments(author, write, asSeen, roleNow);
      case PAGE -> page(author, write, roleNow);
      default -> null;
    };
  }

  // ---------------------------------------------------------------- membership

  private static Refusal membership(
      String author, DocumentRef doc, FieldWrite w, DocumentView seen) {
    FieldPath p = w.path();
    if (seen.isEmpty()) {
      return creation(author, doc, w);
    }
    Optional<Role> role = roleIn(seen, author);
    if (role.isEmpty()) {
      return Refusal.knowingly("only members change the membership, and its author was none");
    }
    Role actor = role.get();
    if (p.isUnknown() || p.entry() == null) {
      return topLevel(actor, p, w, seen);
    }
    if (p.entry().equals(seen.string(FieldPath.of("owner")).orElse(null))) {
      return Refusal.knowingly("nobody changes, removes or bans the owner");
    }
    String peer = p.entry();
    return switch (p.key()) {
      case "members" -> memberEntry(actor, peer, w, seen);
      case "banned" -> banEntry(author, actor, peer, w, seen);
      case "former" -> formerEntry(actor, peer, w, seen);
      default -> actor == Role.OWNER ? null : Refusal.knowingly("only the owner writes " + p.key());
    };
  }

  /** The first change of a membership: it only creates it, with its author as the owner. */
  private static Refusal creation(String author, DocumentRef doc, FieldWrite w) {
    FieldPath p = w.path();
    boolean ok =
        switch (p.toString()) {
          case "space" -> w.op() == FieldWrite.Op.PUT && doc.space().value().equals(w.value());
          case "owner" -> w.op() == FieldWrite.Op.PUT && author.equals(w.value());
          case "members", "banned", "former" -> w.op() == FieldWrite.Op.MAKE;
          default ->
              p.key() != null
                  && p.key().equals("members")
                  && author.equals(p.entry())
                  && p.field() == null
                  && w.op() == FieldWrite.Op.PUT
                  && Role.OWNER.key().equals(w.value());
        };
    return ok
        ? null
        : Refusal.knowingly("the first change of a membership only creates it, its author owner");
  }

  /** A write of a top-level key (or at an unknown place) of a membership. */
  private static Refusal topLevel(Role actor, FieldPath p, FieldWrite w, DocumentView seen) {
    if (actor == Role.OWNER) {
      return "space".equals(p.key())
          ? Refusal.knowingly("the space a membership belongs to never changes")
          : null;
    }
    // A moderator may make the map of bans or of former members where it is missing (a
    // membership made before they existed); replacing one, or anything else, is the owner's.
    boolean makesMissingMap =
        Permissions.moderates(actor)
            && ("banned".equals(p.key()) || "former".equals(p.key()))
            && w.op() == FieldWrite.Op.MAKE
            && !seen.has(p);
    return makesMissingMap
        ? null
        : Refusal.knowingly(
            "owner".equals(p.key())
                ? "only the owner hands the space over"
                : "only the owner writes " + p);
  }

  private static Refusal memberEntry(Role actor, String peer, FieldWrite w, DocumentView seen) {
    if (w.path().field() != null) {
      return Refusal.knowingly("a member's role is a word, not an object");
    }
    Optional<Role> to;
    switch (w.op()) {
      case PUT -> {
        to = w.value() == null ? Optional.empty() : Role.ofKey(w.value());
        if (to.isEmpty()) {
          return Refusal.knowingly("a member's role must be moderator, editor or reader");
        }
        if (seen.has(new FieldPath("banned", peer, null))) {
          return Refusal.knowingly("a banned peer is unbanned before it is added again");
        }
      }
      case DELETE -> to = Optional.empty();
      default -> {
        return Refusal.knowingly("a member's role is a word, not an object");
      }
    }
    Optional<Role> from = roleIn(seen, peer);
    if (!Permissions.mayMove(actor, from, to)) {
      return Refusal.knowingly(
          "a " + actor.key() + " may not change " + name(from) + " into " + name(to));
    }
    return null;
  }

  private static Refusal banEntry(
      String author, Role actor, String peer, FieldWrite w, DocumentView seen) {
    FieldPath ban = new FieldPath("banned", peer, null);
    boolean banned = seen.has(ban);
    if (w.op() == FieldWrite.Op.DELETE && w.path().field() == null) {
      // Unbanning: judged by the role the peer had when it was banned.
      Optional<Role> before =
          seen.string(new FieldPath("former", peer, "role")).flatMap(Role::ofKey);
      return Permissions.mayUnban(actor, before)
          ? null
          : Refusal.knowingly("a " + actor.key() + " may not lift the ban of " + name(before));
    }
    Optional<Role> target =
        banned
            ? seen.string(new FieldPath("former", peer, "role")).flatMap(Role::ofKey)
            : roleIn(seen, peer);
    if (!Permissions.mayBan(actor, target)) {
      return Refusal.knowingly("a " + actor.key() + " may not ban " + name(target));
    }
    if ("by".equals(w.path().field())
        && !(w.op() == FieldWrite.Op.PUT && author.equals(w.value()))) {
      return Refusal.knowingly("a ban names its author in by");
    }
    return null;
  }

  private static Refusal formerEntry(Role actor, String peer, FieldWrite w, DocumentView seen) {
    if (actor == Role.OWNER) {
      return null;
    }
    Optional<Role> now = roleIn(seen, peer);
    Optional<Role> before = seen.string(new FieldPath("former", peer, "role")).flatMap(Role::ofKey);
    Optional<Role> written =
        "role".equals(w.path().field()) && w.op() == FieldWrite.Op.PUT
            ? Optional.ofNullable(w.value()).flatMap(Role::ofKey)
            : Optional.empty();
    boolean roleFieldOk =
        !"role".equals(w.path().field())
            || (written.isPresent() && Permissions.mayMove(actor, written, Optional.empty()));
    if (!Permissions.mayMove(actor, now, Optional.empty())
        || !Permissions.mayMove(actor, before, Optional.empty())
        || !roleFieldOk) {
      return Refusal.knowingly("only the owner records a former moderator or owner");
    }
    return null;
  }

  /** A peer's role in a membership as seen: the owner's, its entry's, none if it is banned. */
  static Optional<Role> roleIn(DocumentView seen, String peer) {
    if (peer.equals(seen.string(FieldPath.of("owner")).orElse(null))) {
      return Optional.of(Role.OWNER);
    }
    if (seen.has(new FieldPath("banned", peer, null))) {
      return Optional.empty();
    }
    return seen.string(new FieldPath("members", peer, null))
        .flatMap(Role::ofKey)
        .filter(r -> r != Role.OWNER);
  }

  // ---------------------------------------------------------------- index

  private static Refusal index(String author, FieldWrite w, Supplier<Optional<Role>> roleNow) {
    if (!roleNow.get().map(Permissions::moderates).orElse(false)) {
      return Refusal.unknowingly("only owners and moderators hide pages");
    }
    return namesSigner(author, w, "by", "a hidden page names who hid it in by");
  }

  // ---------------------------------------------------------------- pages

  /** The key of a page's deletion mark ({@code org.dure.store.wiki.PageKind}). */
  private static final String DELETED = "deleted";

  private static Refusal page(String author, FieldWrite w, Supplier<Optional<Role>> roleNow) {
    FieldPath p = w.path();
    if (p.isUnknown()) {
      return Refusal.unknowingly("a write into a page this node has not seen made");
    }
    if (!DELETED.equals(p.key())) {
      return null;
    }
    if (!roleNow.get().map(Permissions::mayDeletePages).orElse(false)) {
      return Refusal.unknowingly("only editors, moderators and the owner delete or restore pages");
    }
    if ("by".equals(p.entry())
        && p.field() == null
        && !(w.op() == FieldWrite.Op.PUT && author.equals(w.value()))) {
      return Refusal.knowingly("a deleted page names who deleted it in by");
    }
    return null;
  }

  // ---------------------------------------------------------------- moderation records

  private static Refusal moderationRecords(
      String author, FieldWrite w, DocumentView seen, Supplier<Optional<Role>> roleNow) {
    FieldPath p = w.path();
    boolean moderator = roleNow.get().map(Permissions::moderates).orElse(false);
    if ("space".equals(p.key()) && p.entry() == null) {
      return seen.isEmpty() ? null : Refusal.knowingly("the space of the records never changes");
    }
    if ("log".equals(p.key())) {
      if (!moderator) {
        return Refusal.unknowingly("only owners and moderators write the moderation log");
      }
      return namesSigner(author, w, "who", "a log entry names its author in who");
    }
    if (!"reports".equals(p.key()) || p.entry() == null) {
      if (p.key() != null
          && p.key().equals("reports")
          && w.op() == FieldWrite.Op.MAKE
          && seen.isEmpty()) {
        return null; // the records' creation
      }
      return moderator ? null : Refusal.unknowingly("only owners and moderators write " + p);
    }
    FieldPath report = new FieldPath("reports", p.entry(), null);
    boolean exists = seen.has(report);
    if (p.field() == null) {
      if (w.op() == FieldWrite.Op.MAKE && !exists) {
        return null; // a new report, by any member
      }
      return moderator
          ? null
          : Refusal.unknowingly("only owners and moderators delete or replace a report");
    }
    if (RESOLUTION.contains(p.field())) {
      if (!moderator) {
        return Refusal.unknowingly("only owners and moderators resolve a report");
      }
      return namesSigner(author, w, "resolvedBy", "a resolution names who resolved in resolvedBy");
    }
    Optional<String> reporter = seen.string(new FieldPath("reports", p.entry(), "reporter"));
    if (exists && !reporter.map(author::equals).orElse(false)) {
      return Refusal.knowingly("only its reporter writes a report");
    }
    return namesSigner(author, w, "reporter", "a report names its author in reporter");
  }

  // ---------------------------------------------------------------- comments

  private static Refusal comments(
      String author, FieldWrite w, DocumentView seen, Supplier<Optional<Role>> roleNow) {
    FieldPath p = w.path();
    if (p.isUnknown()) {
      return Refusal.unknowingly("a write into a comment this node has not seen made");
    }
    if (p.key().equals("space") || p.key().equals("page")) {
      return p.entry() == null && w.op() == FieldWrite.Op.PUT && !seen.has(p)
          ? null
          : Refusal.knowingly("what page a discussion belongs to never changes");
    }
    FieldPath comment = FieldPath.of(p.key());
    if (p.entry() == null) {
      return w.op() == FieldWrite.Op.MAKE && !seen.has(comment)
          ? null
          : Refusal.knowingly("a comment is never removed or replaced, only marked deleted");
    }
    if (p.entry().equals("hidden") || p.entry().equals("hiddenBy")) {
      // Its author writes hidden = false when it makes the comment; afterwards only moderators.
      if (seen.has(comment) && !roleNow.get().map(Permissions::moderates).orElse(false)) {
        return Refusal.unknowingly("only owners and moderators hide a comment");
      }
      return p.entry().equals("hiddenBy")
              && !(w.op() == FieldWrite.Op.PUT && author.equals(w.value()))
          ? Refusal.knowingly("a hidden comment names who hid it in hiddenBy")
          : null;
    }
    Optional<String> writer = seen.string(new FieldPath(p.key(), "author", null));
    if (seen.has(comment) && !writer.map(author::equals).orElse(false)) {
      return Refusal.knowingly("only its author writes a comment");
    }
    if (p.entry().equals("author")
        && p.field() == null
        && !(w.op() == FieldWrite.Op.PUT && author.equals(w.value()))) {
      return Refusal.knowingly("a comment names its author, who signs it");
    }
    return null;
  }

  // ---------------------------------------------------------------- shared

  /** A role in words for a refusal: "a moderator", "a non-member". */
  private static String name(Optional<Role> role) {
    return role.map(r -> "a " + r.key()).orElse("a non-member");
  }

  /**
   * Refuses ({@code why}) a write of {@code field} of an entry (a path {@code key/entry/field})
   * that does not put the signer's peer ID there; allows any other write.
   */
  private static Refusal namesSigner(String author, FieldWrite w, String field, String why) {
    FieldPath p = w.path();
    if (!field.equals(p.field())) {
      return null;
    }
    return w.op() == FieldWrite.Op.PUT && author.equals(w.value()) ? null : Refusal.knowingly(why);
  }
}

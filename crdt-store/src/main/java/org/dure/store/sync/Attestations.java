package org.dure.store.sync;

import java.nio.ByteBuffer;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.dure.identity.Identity;
import org.dure.store.doc.Author;
import org.dure.store.doc.Documents;
import org.dure.store.doc.LiveDocument;
import org.dure.store.doc.Sql;
import org.dure.store.format.ChangeHeader;
import org.dure.store.format.DocumentContext;
import org.dure.store.format.FieldPath;
import org.dure.store.format.FieldWrite;

/**
 * Signed authorship of changes (see {@link Attestation}): the attestations this node holds (the
 * newest per document and actor, enough to cover every change of that actor it holds), the ones it
 * signs for its own changes, and the check every change from a peer passes before it is applied.
 *
 * <h2>The check ({@link #cover})</h2>
 *
 * For every actor whose changes arrive, the attestation with the highest seq offered for it (sent
 * with the changes, or held here) must
 *
 * <ol>
 *   <li>be validly signed by the key that begins the actor id (otherwise: forged, the sender is
 *       penalised whoever wrote it);
 *   <li>name an author the {@link AuthorPolicy} lets write the document (otherwise the changes are
 *       refused, without penalty: the sender's membership may simply be newer or older);
 *   <li>attest a change from which every arriving change of that actor is reachable through
 *       dependencies. An honest author's change k depends on its change k - 1, so its earlier
 *       changes are all ancestors of the attested one; a change made up under the author's actor id
 *       is not, and is refused as forged.
 * </ol>
 *
 * <p>Then each change to be applied must make only writes the policy lets its author make ({@link
 * AuthorPolicy#checkWrite}, for documents whose policy guards fields; the writes come from {@link
 * ChangeHeader#writes}), judged with the document as the change's author saw it (at its
 * dependencies). An arriving change that writes elsewhere refuses the input like an author who may
 * not write the document at all: not as the sender's fault, since the sender may just relay a
 * member's overstep, which is signed and attributable; the refusal names the author when it could
 * tell ({@link PeerDataException#culprit}). A change withheld earlier that writes elsewhere is
 * dropped.
 *
 * <p>Reachability is decided over the arriving changes, changes accepted earlier that Automerge
 * still queues (their dependencies missing), and changes withheld earlier. When the walk from the
 * attested change stops at a dependency nobody has yet (the sender's Automerge left it out after a
 * Bloom-filter false positive, and will send it when asked), the unreached changes are neither
 * applied nor refused: they are <em>withheld</em> in memory (bounded, see {@link
 * #MAX_WITHHELD_BYTES}) until the missing change arrives and the walk reaches them.
 */
public final class Attestations {

  /** Bytes of withheld changes kept per document at most; beyond it they are dropped. */
  public static final int MAX_WITHHELD_BYTES = 8 << 20;

  private final Documents docs;

  public Attestations(Documents docs) {
    this.docs = docs;
  }

  // ---------------------------------------------------------------- storage

  /** The attestations held for {@code docId}: the newest per actor. */
  public List<Attestation> forDocument(String docId) {
    return docs.read(d -> read(d, docId));
  }

  private static List<Attestation> read(Sql d, String docId) throws SQLException {
    PreparedStatement ps =
        d.statement(
            "SELECT actor, seq, hash, time, message, signature FROM attestations WHERE doc_id = ?");
    ps.setString(1, docId);
    List<Attestation> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new Attestation(
                docId,
                rs.getBytes(1),
                rs.getLong(2),
                rs.getBytes(3),
                rs.getLong(4),
                rs.getString(5),
                rs.getBytes(6)));
      }
    }
    return out;
  }

  /** Keeps {@code atts} where they are newer than what is held for their actor. */
  static void save(Sql d, Collection<Attestation> atts) throws SQLException {
    PreparedStatement ps =
        d.statement(
            "INSERT INTO attestations(doc_id, actor, seq, hash, time, message, signature)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(doc_id, actor) DO UPDATE SET"
                + " seq = excluded.seq, hash = excluded.hash, time = excluded.time,"
                + " message = excluded.message, signature = excluded.signature"
                + " WHERE excluded.seq > attestations.seq");
    for (Attestation a : atts) {
      ps.setString(1, a.docId());
      ps.setBytes(2, a.actor());
      ps.setLong(3, a.seq());
      ps.setBytes(4, a.hash());
      ps.setLong(5, a.time());
      ps.setString(6, a.message());
      ps.setBytes(7, a.signature());
      ps.executeUpdate();
    }
  }

  /**
   * Signs, for each of this node's own actors in the document {@code ctx} describes, its newest
   * change if no held attestation covers it yet. Runs on the document's lane. The time and message
   * are those recorded for the local version that made the change, else now and none.
   */
  void signOwn(LiveDocument live, DocumentContext ctx) {
    Identity me = docs.identity();
    byte[] key = me.publicKey().data();
    Map<ByteBuffer, Long> held = new HashMap<>();
    for (Attestation a : forDocument(live.id())) {
      held.put(ByteBuffer.wrap(a.actor()), a.seq());
    }
    List<Attestation> fresh = new ArrayList<>();
    for (byte[] actor : ctx.actors()) {
      if (actor.length != Attestation.ACTOR_BYTES || !Arrays.equals(key, 0, 32, actor, 0, 32)) {
        continue;
      }
      long seq = ctx.lastSeq(actor);
      byte[] hash = ctx.lastHash(actor);
      Long have = held.get(ByteBuffer.wrap(actor));
      if (hash == null || seq == 0 || (have != null && have >= seq)) {
        continue;
      }
      long[] time = {System.currentTimeMillis()};
      String[] message = {""};
      versionOf(live.id(), hash, time, message);
      fresh.add(Attestation.sign(me, live.id(), actor, seq, hash, time[0], message[0]));
    }
    if (!fresh.isEmpty()) {
      docs.lazyTransaction(
          d -> {
            save(d, fresh);
            return null;
          });
    }
  }

  /** Looks up the local version whose heads are {@code hash}: its time and message. */
  private void versionOf(String docId, byte[] hash, long[] time, String[] message) {
    docs.read(
        d -> {
          PreparedStatement ps =
              d.statement(
                  "SELECT heads, time, message FROM changes WHERE doc_id = ? AND author IS NOT"
                      + " NULL ORDER BY seq DESC LIMIT 64");
          ps.setString(1, docId);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              if (Arrays.equals(rs.getBytes(1), hash)) {
                time[0] = rs.getLong(2);
                String m = rs.getString(3);
                message[0] = m == null ? "" : truncate(m);
                return null;
              }
            }
          }
          return null;
        });
  }

  private static String truncate(String m) {
    while (m.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > Attestation.MAX_MESSAGE) {
      m = m.substring(0, m.length() - 1);
    }
    return m;
  }

  // ---------------------------------------------------------------- the check

  /**
   * What {@link #cover} decided about arriving changes.
   *
   * @param covered changes to apply now: arriving ones and earlier withheld ones the walk reached
   * @param withheld changes to keep back until their attested change's ancestry is complete
   * @param used the attestations that covered changes (to keep, newest per actor)
   * @param authors the verified authors of the covered changes
   */
  public record Coverage(
      List<ChangeHeader> covered,
      List<ChangeHeader> withheld,
      List<Attestation> used,
      Set<Author> authors) {}

  /**
   * Checks arriving changes (see the class comment).
   *
   * @param docId the document they are for
   * @param arriving the changes of the input, validated
   * @param withheld changes withheld earlier for this document, by hash
   * @param queued changes accepted earlier that Automerge may still queue, by hash
   * @param applied whether the document has applied a change of this hash
   * @param offered attestations that came with the input, and those held here
   * @param policy who may write the document
   * @param asSeen the document as a change's author saw it, for {@link AuthorPolicy#checkWrite}
   *     (asked only when the policy reads it)
   * @throws PeerDataException if a change is forged or its author may not write
   */
  public static Coverage cover(
      String docId,
      List<ChangeHeader> arriving,
      Map<ByteBuffer, ChangeHeader> withheld,
      Map<ByteBuffer, ChangeHeader> queued,
      Predicate<byte[]> applied,
      Collection<Attestation> offered,
      AuthorPolicy policy,
      Function<ChangeHeader, DocumentView> asSeen)
      throws PeerDataException {
    boolean guarded = !policy.guardedKeys().isEmpty();
    // Every change under consideration, by hash; arriving ones first.
    Map<ByteBuffer, ChangeHeader> all = new LinkedHashMap<>();
    for (ChangeHeader c : arriving) {
      all.putIfAbsent(ByteBuffer.wrap(c.hash()), c);
    }
    Map<ByteBuffer, ChangeHeader> pool = new LinkedHashMap<>(withheld);
    pool.keySet().removeAll(all.keySet());
    Map<ByteBuffer, List<ChangeHeader>> byActor = new LinkedHashMap<>();
    for (ChangeHeader c : all.values()) {
      byActor.computeIfAbsent(ByteBuffer.wrap(c.actor()), k -> new ArrayList<>()).add(c);
    }
    for (ChangeHeader c : pool.values()) {
      byActor.computeIfAbsent(ByteBuffer.wrap(c.actor()), k -> new ArrayList<>()).add(c);
    }
    Map<ByteBuffer, ChangeHeader> graph = new HashMap<>(queued);
    graph.putAll(all);
    graph.putAll(pool);

    Map<ByteBuffer, Attestation> best = new HashMap<>();
    for (Attestation a : offered) {
      if (!a.docId().equals(docId)) {
        continue;
      }
      ByteBuffer actor = ByteBuffer.wrap(a.actor());
      if (!byActor.containsKey(actor)) {
        continue; // not needed now: checked when its changes arrive
      }
      Attestation b = best.get(actor);
      if (b == null || a.seq() > b.seq()) {
        best.put(actor, a);
      }
    }

    Set<ByteBuffer> arrivingActors = new HashSet<>();
    for (ChangeHeader c : all.values()) {
      arrivingActors.add(ByteBuffer.wrap(c.actor()));
    }
    List<ChangeHeader> covered = new ArrayList<>();
    List<ChangeHeader> keptBack = new ArrayList<>();
    List<Attestation> used = new ArrayList<>();
    Set<Author> authors = new LinkedHashSet<>();
    for (Map.Entry<ByteBuffer, List<ChangeHeader>> e : byActor.entrySet()) {
      byte[] actor = e.getValue().get(0).actor();
      Attestation a = best.get(e.getKey());
      if (!arrivingActors.contains(e.getKey())) {
        // Only withheld changes of this actor: settled if an attestation now reaches them, kept
        // back while it cannot yet, dropped if it never will (the sender of this input is not to
        // blame for them).
        if (a == null || !a.isValid() || !policy.mayAuthor(a.author(), a.time())) {
          keptBack.addAll(e.getValue());
          continue;
        }
        Reach reach = reach(ByteBuffer.wrap(a.hash()), e.getKey(), graph, applied);
        for (ChangeHeader c : e.getValue()) {
          if (reach.reached.contains(ByteBuffer.wrap(c.hash()))) {
            if (!guarded || forbidden(c, a, policy, asSeen) == null) {
              covered.add(c); // else: it writes where its author may not; dropped
            }
          } else if (!reach.complete) {
            keptBack.add(c);
          }
        }
        used.add(a);
        authors.add(a.author());
        continue;
      }
      if (actor.length != Attestation.ACTOR_BYTES) {
        throw new PeerDataException(
            "A change of "
                + docId
                + " has an actor id of "
                + actor.length
                + " bytes, which names no author: refused");
      }
      if (a == null) {
        throw new PeerDataException(
            "Changes of "
                + docId
                + " claim to be by "
                + new Author(Arrays.copyOf(actor, 32)).peerId()
                + " but come without a signed attestation: refused (actor "
                + java.util.HexFormat.of().formatHex(actor, 32, actor.length)
                + ", seqs "
                + e.getValue().stream().map(ChangeHeader::seq).toList()
                + "; attested: "
                + offered.stream()
                    .filter(x -> x.docId().equals(docId))
                    .map(x -> java.util.HexFormat.of().formatHex(x.actor(), 32, 40) + "@" + x.seq())
                    .toList()
                + ")");
      }
      if (!a.isValid()) {
        throw new PeerDataException(
            "Forged attestation for changes of "
                + docId
                + " under "
                + a.author().peerId()
                + ": the signature does not verify");
      }
      if (!policy.mayAuthor(a.author(), a.time())) {
        throw new PeerDataException(
            "Changes of " + docId + " by " + a.author().peerId() + ", who may not write it", false);
      }
      Reach reach = reach(ByteBuffer.wrap(a.hash()), e.getKey(), graph, applied);
      for (ChangeHeader c : e.getValue()) {
        ByteBuffer h = ByteBuffer.wrap(c.hash());
        boolean wasWithheld = pool.containsKey(h);
        if (reach.reached.contains(h)) {
          Forbidden bad = guarded ? forbidden(c, a, policy, asSeen) : null;
          if (bad == null) {
            covered.add(c);
          } else if (!wasWithheld) {
            throw new PeerDataException(
                "Change "
                    + c.seq()
                    + " of "
                    + docId
                    + " by "
                    + a.author().peerId()
                    + " "
                    + bad.write()
                    + ", which its author may not: "
                    + bad.refusal().rule(),
                bad.refusal().authorKnew() ? a.author() : null);
          } // else: an earlier sender's change; dropped
        } else if (!reach.complete && c.seq() < a.seq()) {
          keptBack.add(c);
        } else if (wasWithheld) {
          continue; // an earlier sender's change that is not the author's: dropped
        } else if (c.seq() > a.seq()) {
          throw new PeerDataException(
              "Change "
                  + c.seq()
                  + " of "
                  + a.author().peerId()
                  + " to "
                  + docId
                  + " is newer than its attestation ("
                  + a.seq()
                  + "): refused");
        } else {
          throw new PeerDataException(
              "Forged change "
                  + c.seq()
                  + " under "
                  + a.author().peerId()
                  + " in "
                  + docId
                  + ": not part of the history the author signed");
        }
      }
      used.add(a);
      authors.add(a.author());
    }
    return new Coverage(List.copyOf(covered), List.copyOf(keptBack), List.copyOf(used), authors);
  }

  /** A write of a change that its author may not make, and the rule it breaks. */
  private record Forbidden(FieldWrite write, Refusal refusal) {}

  /**
   * The first write of {@code c} that {@code policy} does not let the author {@code a} attests
   * make, or null if none. A change whose writes were not recorded counts as writing at an unknown
   * place.
   */
  private static Forbidden forbidden(
      ChangeHeader c,
      Attestation a,
      AuthorPolicy policy,
      Function<ChangeHeader, DocumentView> asSeen) {
    Set<FieldWrite> writes =
        c.writes() == null ? Set.of(FieldWrite.inside(FieldPath.UNKNOWN)) : c.writes();
    DocumentView view = new LazyView(() -> asSeen.apply(c));
    for (FieldWrite w : writes) {
      Refusal r;
      try {
        r = policy.checkWrite(a.author(), a.time(), w, view);
      } catch (DocumentView.Unavailable e) {
        r = Refusal.unknowingly(e.getMessage());
      }
      if (r != null) {
        return new Forbidden(w, r);
      }
    }
    return null;
  }

  /** A view made when first read: most writes are judged without one. */
  private static final class LazyView implements DocumentView {
    private final java.util.function.Supplier<DocumentView> make;
    private DocumentView view;

    LazyView(java.util.function.Supplier<DocumentView> make) {
      this.make = make;
    }

    private DocumentView view() {
      if (view == null) {
        view = make.get();
      }
      return view;
    }

    @Override
    public Optional<String> string(FieldPath path) {
      return view().string(path);
    }

    @Override
    public boolean has(FieldPath path) {
      return view().has(path);
    }

    @Override
    public boolean isEmpty() {
      return view().isEmpty();
    }
  }

  private record Reach(Set<ByteBuffer> reached, boolean complete) {}

  /**
   * The changes of {@code actor} reachable from {@code head} through the graph's dependencies, and
   * whether the walk met no dependency that is neither in the graph nor applied.
   */
  private static Reach reach(
      ByteBuffer head,
      ByteBuffer actor,
      Map<ByteBuffer, ChangeHeader> graph,
      Predicate<byte[]> applied) {
    Set<ByteBuffer> reached = new HashSet<>();
    Set<ByteBuffer> seen = new HashSet<>();
    ArrayDeque<ByteBuffer> todo = new ArrayDeque<>();
    boolean complete = true;
    todo.add(head);
    seen.add(head);
    while (!todo.isEmpty()) {
      ByteBuffer h = todo.poll();
      ChangeHeader c = graph.get(h);
      if (c == null) {
        if (!applied.test(h.array())) {
          complete = false;
        }
        continue; // applied changes' ancestors are applied: nothing arriving below them
      }
      if (ByteBuffer.wrap(c.actor()).equals(actor)) {
        reached.add(h);
      }
      for (byte[] d : c.deps()) {
        ByteBuffer b = ByteBuffer.wrap(d);
        if (seen.add(b)) {
          todo.add(b);
        }
      }
    }
    return new Reach(reached, complete);
  }
}

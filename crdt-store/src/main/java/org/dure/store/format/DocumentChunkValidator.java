package org.dure.store.format;

import static org.dure.store.format.ChunkValidator.DOC_CHANGE_COLUMNS;
import static org.dure.store.format.ChunkValidator.DOC_OP_COLUMNS;
import static org.dure.store.format.ChunkValidator.MAX_COUNTER;
import static org.dure.store.format.ChunkValidator.actorId;
import static org.dure.store.format.ChunkValidator.checkOpId;
import static org.dure.store.format.ChunkValidator.label;
import static org.dure.store.format.ChunkValidator.learnKind;
import static org.dure.store.format.ChunkValidator.opName;
import static org.dure.store.format.ChunkValidator.requirePresent;

import java.util.Arrays;

/**
 * Validates the body of a document chunk (a saved document, see {@link ChunkValidator}): its
 * actors, heads, the change and op columns, and that every op refers to objects, elements and
 * changes that exist.
 */
final class DocumentChunkValidator {
  private final Budget budget;
  private final Limits limits;
  private final DocumentContext ctx;

  DocumentChunkValidator(Budget budget, DocumentContext ctx) {
    this.budget = budget;
    this.limits = budget.limits;
    this.ctx = ctx;
  }

  /** Validates a document chunk's body at the cursor. */
  void document(ByteInput in) throws InvalidAutomergeDataException {
    int numActors = in.count(limits.maxActors(), 1, "document actor count");
    byte[][] actors = new byte[numActors][];
    byte[] previous = null;
    for (int i = 0; i < numActors; i++) {
      int at = in.pos();
      byte[] actor = actorId(in, limits, "document actor");
      actors[i] = actor;
      if (previous != null && Arrays.compareUnsigned(previous, actor) >= 0) {
        throw in.failAt(at, "document actors are not sorted and distinct");
      }
      previous = actor;
    }
    int numHeads = in.count(limits.maxHashes(), 32, "document head count");
    for (int i = 0; i < numHeads; i++) {
      int at = in.skip(32, "document heads");
      ctx.noteHead(Arrays.copyOfRange(in.array(), at, at + 32));
    }
    Columns.Meta changeMeta = Columns.readMeta(in, limits, "document change");
    Columns.Meta opMeta = Columns.readMeta(in, limits, "document op");
    Columns changeCols = Columns.readData(in, changeMeta, budget, true, "document change");
    Columns opCols = Columns.readData(in, opMeta, budget, true, "document op");
    changeCols.checkKnown(DOC_CHANGE_COLUMNS, in);
    opCols.checkKnown(DOC_OP_COLUMNS, in);
    long numChanges = docChanges(changeCols, actors, in);
    if (!in.atEnd()) {
      for (int i = 0; i < numHeads; i++) {
        int at = in.pos();
        long index = in.uleb("document head index");
        if (index < 0 || index >= numChanges) {
          throw in.failAt(at, "document head index " + index + " is not a change of the document");
        }
      }
      if (!in.atEnd()) {
        throw in.fail("document chunk has " + in.remaining() + " bytes left over");
      }
    }
    docOps(opCols, actors, in);
  }

  private long docChanges(Columns cols, byte[][] actors, ByteInput at)
      throws InvalidAutomergeDataException {
    int numActors = actors.length;
    long maxRun = budget.maxRun();
    Columns.Rle actor =
        new Columns.Rle(cols.get(0, Columns.ACTOR), Columns.Rle.UINT, "change actor", maxRun, 0);
    Columns.Delta seq = new Columns.Delta(cols.get(0, Columns.DELTA), "change seq", maxRun);
    Columns.Delta maxOp = new Columns.Delta(cols.get(1, Columns.DELTA), "change max op", maxRun);
    Columns.Delta time = new Columns.Delta(cols.get(2, Columns.DELTA), "change time", maxRun);
    Columns.Rle message =
        new Columns.Rle(
            cols.get(3, Columns.STRING),
            Columns.Rle.UTF8,
            "change message",
            maxRun,
            limits.maxStringBytes());
    Columns.Rle depsNum =
        new Columns.Rle(cols.get(4, Columns.GROUP), Columns.Rle.UINT, "deps count", maxRun, 0);
    Columns.Delta deps = new Columns.Delta(cols.get(4, Columns.DELTA), "deps", maxRun);
    Columns.Values extra =
        new Columns.Values(
            cols.get(5, Columns.VALUE_META),
            cols.get(5, Columns.VALUE),
            "change extra bytes",
            maxRun,
            limits);
    long index = 0;
    while (actor.hasMore()) {
      budget.addChange(at);
      if (!actor.next()) {
        throw at.fail(label("change", index, "document") + " has a null actor");
      }
      if (actor.value < 0 || actor.value >= numActors) {
        throw at.fail(
            label("change", index, "document")
                + " refers to actor index "
                + Long.toUnsignedString(actor.value)
                + " but there are only "
                + numActors
                + " actors");
      }
      if (!seq.next() || seq.value < 1) {
        throw at.fail(label("change", index, "document") + " has no seq or a seq below 1");
      }
      byte[] changeActor = actors[(int) actor.value];
      ctx.noteSeq(changeActor, seq.value, at.offset());
      ctx.recordActor(changeActor);
      if (!maxOp.next() || maxOp.value < 0 || maxOp.value > MAX_COUNTER) {
        throw at.fail(
            label("change", index, "document") + " has no max op or one outside 0.." + MAX_COUNTER);
      }
      if (!time.next()) {
        throw at.fail(label("change", index, "document") + " has no time");
      }
      message.next();
      if (!depsNum.next() || depsNum.value < 0 || depsNum.value > index) {
        throw at.fail(
            label("change", index, "document")
                + " has no deps count or more deps than earlier changes");
      }
      for (long d = 0; d < depsNum.value; d++) {
        if (!deps.next() || deps.value < 0 || deps.value >= index) {
          throw at.fail(
              label("change", index, "document")
                  + " depends on something that is not an earlier change");
        }
      }
      if (!extra.isEmpty()) {
        extra.next();
        if (extra.type != Columns.Values.BYTES) {
          throw at.fail(
              label("change", index, "document") + " has extra bytes of value type " + extra.type);
        }
      }
      index++;
    }
    seq.finish();
    maxOp.finish();
    time.finish();
    message.finish();
    depsNum.finish();
    deps.finish();
    extra.finish();
    return index;
  }

  private void docOps(Columns cols, byte[][] actors, ByteInput at)
      throws InvalidAutomergeDataException {
    int numActors = actors.length;
    long maxRun = budget.maxRun();
    int maxString = limits.maxStringBytes();
    Columns.Rle objActor =
        new Columns.Rle(cols.get(0, Columns.ACTOR), Columns.Rle.UINT, "object actor", maxRun, 0);
    Columns.Rle objCtr =
        new Columns.Rle(
            cols.get(0, Columns.INTEGER), Columns.Rle.UINT, "object counter", maxRun, 0);
    Columns.Rle keyActor =
        new Columns.Rle(cols.get(1, Columns.ACTOR), Columns.Rle.UINT, "key actor", maxRun, 0);
    Columns.Delta keyCtr = new Columns.Delta(cols.get(1, Columns.DELTA), "key counter", maxRun);
    Columns.Rle keyStr =
        new Columns.Rle(
            cols.get(1, Columns.STRING), Columns.Rle.UTF8, "key string", maxRun, maxString);
    Columns.Rle idActor =
        new Columns.Rle(cols.get(2, Columns.ACTOR), Columns.Rle.UINT, "id actor", maxRun, 0);
    Columns.Delta idCtr = new Columns.Delta(cols.get(2, Columns.DELTA), "id counter", maxRun);
    Columns.Bool insert = new Columns.Bool(cols.get(3, Columns.BOOLEAN), "insert", maxRun);
    Columns.Rle action =
        new Columns.Rle(cols.get(4, Columns.INTEGER), Columns.Rle.UINT, "action", maxRun, 0);
    Columns.Values value =
        new Columns.Values(
            cols.get(5, Columns.VALUE_META), cols.get(5, Columns.VALUE), "value", maxRun, limits);
    Columns.Rle succNum =
        new Columns.Rle(cols.get(8, Columns.GROUP), Columns.Rle.UINT, "succ count", maxRun, 0);
    Columns.Rle succActor =
        new Columns.Rle(cols.get(8, Columns.ACTOR), Columns.Rle.UINT, "succ actor", maxRun, 0);
    Columns.Delta succCtr = new Columns.Delta(cols.get(8, Columns.DELTA), "succ counter", maxRun);
    Columns.Bool expand = new Columns.Bool(cols.get(9, Columns.BOOLEAN), "expand", maxRun);
    Columns.Rle markName =
        new Columns.Rle(
            cols.get(10, Columns.STRING), Columns.Rle.UTF8, "mark name", maxRun, maxString);

    if (!idActor.isEmpty()) {
      requirePresent(action.isEmpty(), "action", at);
      requirePresent(insert.isEmpty(), "insert", at);
      requirePresent(value.isEmpty(), "value", at);
      requirePresent(succNum.isEmpty(), "succ", at);
      requirePresent(keyStr.isEmpty() && keyCtr.isEmpty(), "key", at);
    }
    LongSet maps = new LongSet();
    LongSet seqs = new LongSet();
    LongSet inserted = new LongSet();
    LongSet mapTargets = new LongSet();
    LongSet seqTargets = new LongSet();
    LongSet elemRefs = new LongSet();
    long index = 0;
    while (idActor.hasMore()) {
      budget.addOp(at);
      if (!idActor.next() || !idCtr.next()) {
        throw at.fail(label("op", index, "document") + " has a null id");
      }
      checkOpId(idActor.value, idCtr.value, numActors, index, "document", "id", at);
      long id = (idActor.value << 32) | idCtr.value;
      if (!action.next()) {
        throw at.fail(label("op", index, "document") + " has a null action");
      }
      long act = action.value;
      if (act < 0 || act > 7) {
        throw at.fail(
            label("op", index, "document") + " has unknown action " + Long.toUnsignedString(act));
      }
      boolean hasObjActor = objActor.next();
      boolean hasObjCtr = objCtr.next();
      if (hasObjActor != hasObjCtr) {
        throw at.fail(
            label("op", index, "document")
                + " has an object id with only an actor or only a counter");
      }
      long obj = 0;
      if (hasObjActor) {
        checkOpId(objActor.value, objCtr.value, numActors, index, "document", "object", at);
        obj = (objActor.value << 32) | objCtr.value;
      }
      boolean hasKeyActor = keyActor.next();
      boolean hasKeyCtr = keyCtr.next();
      boolean hasKeyStr = keyStr.next();
      boolean isInsert = insert.next();
      if (hasKeyStr) {
        if (hasKeyActor || hasKeyCtr) {
          throw at.fail(
              label("op", index, "document") + " has both a string key and an element id");
        }
        if (isInsert) {
          throw at.fail(label("op", index, "document") + " inserts with a map key");
        }
        mapTargets.add(obj);
      } else {
        if (!hasKeyCtr) {
          throw at.fail(label("op", index, "document") + " has no key");
        }
        seqTargets.add(obj);
        if (hasKeyActor) {
          checkOpId(keyActor.value, keyCtr.value, numActors, index, "document", "key element", at);
          elemRefs.add((keyActor.value << 32) | keyCtr.value);
        } else if (keyCtr.value != 0) {
          throw at.fail(label("op", index, "document") + " has an element id without an actor");
        }
      }
      value.next();
      if (act == 5 && value.type != Columns.Values.UINT && value.type != Columns.Values.INT) {
        throw at.fail(
            label("op", index, "document") + " increments by a value of type " + value.type);
      }
      if (!succNum.next()) {
        throw at.fail(label("op", index, "document") + " has a null succ count");
      }
      long succs = succNum.value;
      if (succs < 0 || succs > maxRun) {
        throw at.fail(
            label("op", index, "document") + " has " + Long.toUnsignedString(succs) + " succs");
      }
      for (long s = 0; s < succs; s++) {
        if (!succActor.next() || !succCtr.next()) {
          throw at.fail(
              label("op", index, "document") + " has a succ with a null actor or counter");
        }
        checkOpId(succActor.value, succCtr.value, numActors, index, "document", "succ", at);
      }
      expand.next();
      markName.next();
      if (act == 0 || act == 6) {
        maps.add(id);
        learnKind(ctx, actors[(int) idActor.value], idCtr.value, false, at);
      } else if (act == 2 || act == 4) {
        seqs.add(id);
        learnKind(ctx, actors[(int) idActor.value], idCtr.value, true, at);
      }
      if (isInsert) {
        inserted.add(id);
      }
      index++;
    }
    objActor.finish();
    objCtr.finish();
    keyActor.finish();
    keyCtr.finish();
    keyStr.finish();
    idCtr.finish();
    insert.finish();
    action.finish();
    value.finish();
    succNum.finish();
    succActor.finish();
    succCtr.finish();
    expand.finish();
    markName.finish();
    for (long obj : mapTargets.values()) {
      if (obj != 0 && !maps.contains(obj)) {
        throw at.fail("document has map-key ops in " + opName(obj) + ", which is not a map");
      }
    }
    for (long obj : seqTargets.values()) {
      if (!seqs.contains(obj)) {
        throw at.fail(
            "document has element ops in "
                + (obj == 0 ? "the root" : opName(obj))
                + ", which is not a list or text");
      }
    }
    for (long elem : elemRefs.values()) {
      if (!inserted.contains(elem)) {
        throw at.fail("document refers to element " + opName(elem) + ", which was never inserted");
      }
    }
  }
}

package org.dure.store.format;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.Set;

/**
 * Validates a sequence of Automerge chunks.
 *
 * <pre>
 * chunk    = magic(85 6f 4a 83) checksum(4) type(1) uLEB(length) body(length)
 * checksum = first 4 bytes of SHA-256(type, uLEB(length), body); for a compressed change chunk
 *            (type 2) that of the change chunk (type 1) the inflated body makes
 * change   = uLEB(n) dep-hash(32)*n, actor, uLEB seq, uLEB start-op (not 0), sLEB time,
 *            uLEB(n) message(n, UTF-8), uLEB(n) actor*n, column-list, column-data, extra bytes
 * document = uLEB(n) actor*n (sorted), uLEB(n) head-hash(32)*n, change column-list, op
 *            column-list, change column-data, op column-data, [uLEB change-index * heads]
 * actor    = uLEB(n) bytes(n)
 * </pre>
 *
 * Change chunks are validated here, document chunks by {@link DocumentChunkValidator}.
 */
final class ChunkValidator {
  static final int DOCUMENT = 0;
  static final int CHANGE = 1;
  static final int COMPRESSED_CHANGE = 2;

  private static final byte[] MAGIC = {(byte) 0x85, 0x6f, 0x4a, (byte) 0x83};
  static final long MAX_COUNTER = 0xFFFF_FFFFL;

  private static final int[] CHANGE_OP_COLUMNS = new int[11];
  static final int[] DOC_OP_COLUMNS = new int[11];
  static final int[] DOC_CHANGE_COLUMNS = new int[6];

  static {
    int actor = 1 << Columns.ACTOR;
    int integer = 1 << Columns.INTEGER;
    int delta = 1 << Columns.DELTA;
    int bool = 1 << Columns.BOOLEAN;
    int string = 1 << Columns.STRING;
    int value = (1 << Columns.VALUE_META) | (1 << Columns.VALUE);
    int group = 1 << Columns.GROUP;
    for (int[] ops : new int[][] {CHANGE_OP_COLUMNS, DOC_OP_COLUMNS}) {
      ops[0] = actor | integer; // object
      ops[1] = actor | delta | string; // key
      ops[3] = bool; // insert
      ops[4] = integer; // action
      ops[5] = value; // value
      ops[9] = bool; // expand
      ops[10] = string; // mark name
    }
    CHANGE_OP_COLUMNS[7] = group | actor | delta; // pred
    DOC_OP_COLUMNS[2] = actor | delta; // id
    DOC_OP_COLUMNS[8] = group | actor | delta; // succ
    DOC_CHANGE_COLUMNS[0] = actor | delta; // actor, seq
    DOC_CHANGE_COLUMNS[1] = delta; // max op
    DOC_CHANGE_COLUMNS[2] = delta; // time
    DOC_CHANGE_COLUMNS[3] = string; // message
    DOC_CHANGE_COLUMNS[4] = group | delta; // deps
    DOC_CHANGE_COLUMNS[5] = value; // extra bytes
  }

  private final Budget budget;
  private final Limits limits;
  private final DocumentContext ctx;

  ChunkValidator(Budget budget, DocumentContext ctx) {
    this.budget = budget;
    this.limits = budget.limits;
    this.ctx = ctx;
  }

  /** Validates chunks until {@code in} is exhausted; {@code allowed} is a bit mask of types. */
  void chunks(ByteInput in, int allowed) throws InvalidAutomergeDataException {
    while (!in.atEnd()) {
      chunk(in, allowed);
    }
  }

  /** Validates one chunk at the cursor and advances past it. */
  void chunk(ByteInput in, int allowed) throws InvalidAutomergeDataException {
    budget.addChunk(in);
    int start = in.pos();
    for (byte m : MAGIC) {
      if ((byte) in.u8("magic bytes") != m) {
        throw in.failAt(start, "not an Automerge chunk: wrong magic bytes");
      }
    }
    int checksumAt = in.pos();
    in.skip(4, "checksum");
    int type = in.u8("chunk type");
    if (type > COMPRESSED_CHANGE) {
      throw in.failAt(checksumAt + 4, "unknown chunk type " + type);
    }
    if ((allowed & (1 << type)) == 0) {
      throw in.failAt(checksumAt + 4, "a chunk of type " + typeName(type) + " is not allowed here");
    }
    int lengthAt = in.pos();
    long length = in.uleb("chunk length");
    if (length < 0 || length > in.remaining()) {
      throw in.failAt(
          lengthAt,
          "chunk length "
              + Long.toUnsignedString(length)
              + " exceeds the "
              + in.remaining()
              + " bytes that remain");
    }
    ByteInput body = in.slice((int) length, "chunk body");
    byte[] declared = Arrays.copyOfRange(in.array(), checksumAt, checksumAt + 4);
    if (type == COMPRESSED_CHANGE) {
      body = Deflate.inflate(body, budget, "compressed change chunk");
      type = CHANGE;
    }
    byte[] hash = hash(type, body.array(), body.pos(), body.remaining());
    if (!Arrays.equals(declared, Arrays.copyOf(hash, 4))) {
      throw in.failAt(checksumAt, "chunk checksum does not match its contents");
    }
    if (type == CHANGE) {
      change(body, hash, in.array(), start, in.pos());
    } else {
      new DocumentChunkValidator(budget, ctx).document(body);
    }
  }

  private static String typeName(int type) {
    return switch (type) {
      case DOCUMENT -> "document";
      case CHANGE -> "change";
      default -> "compressed change";
    };
  }

  /** The first 4 bytes of the chunk's hash. */
  static byte[] checksum(int type, byte[] data, int off, int len) {
    return Arrays.copyOf(hash(type, data, off, len), 4);
  }

  /** SHA-256 of type, uLEB length and data: a change's hash. */
  static byte[] hash(int type, byte[] data, int off, int len) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
    }
    sha.update((byte) type);
    long v = len;
    do {
      int b = (int) (v & 0x7f);
      v >>>= 7;
      sha.update((byte) (v != 0 ? b | 0x80 : b));
    } while (v != 0);
    sha.update(data, off, len);
    return sha.digest();
  }

  // ------------------------------------------------------------------ change chunks

  private void change(ByteInput in, byte[] hash, byte[] chunkArray, int chunkStart, int chunkEnd)
      throws InvalidAutomergeDataException {
    budget.addChange(in);
    int numDeps = in.count(limits.maxHashes(), 32, "change dependencies count");
    byte[][] deps = new byte[numDeps][];
    for (int i = 0; i < numDeps; i++) {
      int at = in.skip(32, "change dependencies");
      deps[i] = Arrays.copyOfRange(in.array(), at, at + 32);
    }
    int actorAt = in.pos();
    byte[] actor = actorId(in, limits, "change actor");
    long seq = in.uleb("change seq");
    if (seq == 0) {
      throw in.fail("change seq is 0");
    }
    long startOp = in.ulebAtMost(MAX_COUNTER, "change start op");
    if (startOp == 0) {
      throw in.fail("change start op is 0");
    }
    in.sleb("change time");
    int messageLength = (int) in.ulebAtMost(limits.maxStringBytes(), "change message length");
    in.utf8(messageLength, "change message");
    int n = in.count(limits.maxActors() - 1, 1, "change other actor count");
    byte[][] actors = new byte[n + 1][];
    actors[0] = actor;
    Set<ByteBuffer> seen = new HashSet<>();
    seen.add(ByteBuffer.wrap(actor));
    for (int i = 0; i < n; i++) {
      int at = in.pos();
      actors[i + 1] = actorId(in, limits, "change other actor");
      if (!seen.add(ByteBuffer.wrap(actors[i + 1]))) {
        throw in.failAt(at, "change lists an actor twice (actor at " + in.offset(actorAt) + ")");
      }
    }
    ctx.noteChange(actor, seq, hash, deps, in.offset(actorAt), chunkArray, chunkStart, chunkEnd);
    ctx.recordActor(actor);
    Columns.Meta meta = Columns.readMeta(in, limits, "change op");
    Columns cols = Columns.readData(in, meta, budget, false, "change op");
    // Whatever follows the column data is "extra bytes", kept for forward compatibility.
    cols.checkKnown(CHANGE_OP_COLUMNS, in);
    changeOps(cols, actors, startOp, in);
  }

  private void changeOps(Columns cols, byte[][] actors, long startOp, ByteInput at)
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
    Columns.Bool insert = new Columns.Bool(cols.get(3, Columns.BOOLEAN), "insert", maxRun);
    Columns.Rle action =
        new Columns.Rle(cols.get(4, Columns.INTEGER), Columns.Rle.UINT, "action", maxRun, 0);
    Columns.Values value =
        new Columns.Values(
            cols.get(5, Columns.VALUE_META), cols.get(5, Columns.VALUE), "value", maxRun, limits);
    Columns.Rle predNum =
        new Columns.Rle(cols.get(7, Columns.GROUP), Columns.Rle.UINT, "pred count", maxRun, 0);
    Columns.Rle predActor =
        new Columns.Rle(cols.get(7, Columns.ACTOR), Columns.Rle.UINT, "pred actor", maxRun, 0);
    Columns.Delta predCtr = new Columns.Delta(cols.get(7, Columns.DELTA), "pred counter", maxRun);
    Columns.Bool expand = new Columns.Bool(cols.get(9, Columns.BOOLEAN), "expand", maxRun);
    Columns.Rle markName =
        new Columns.Rle(
            cols.get(10, Columns.STRING), Columns.Rle.UTF8, "mark name", maxRun, maxString);

    if (!action.isEmpty()) {
      requirePresent(insert.isEmpty(), "insert", at);
      requirePresent(value.isEmpty(), "value", at);
      requirePresent(predNum.isEmpty(), "pred", at);
      requirePresent(keyStr.isEmpty() && keyCtr.isEmpty(), "key", at);
    }
    BitSet makes = new BitSet();
    BitSet seqMakes = new BitSet();
    BitSet inserts = new BitSet();
    boolean track = ctx.tracksFields();
    // The last place resolved from an object's place and a key: runs of ops share them.
    FieldPath lastObj = null;
    String lastKey = null;
    FieldPath lastTarget = null;
    long index = 0;
    while (action.hasMore()) {
      budget.addOp(at);
      long counter = startOp + index;
      if (counter > MAX_COUNTER) {
        throw at.fail("op counter " + counter + " exceeds 32 bits");
      }
      if (!action.next()) {
        throw at.fail(label("op", index, "change") + " has a null action");
      }
      long act = action.value;
      if (act < 0 || act > 7) {
        throw at.fail(
            label("op", index, "change") + " has unknown action " + Long.toUnsignedString(act));
      }

      // object: both null (root), or actor and counter
      boolean hasObjActor = objActor.next();
      boolean hasObjCtr = objCtr.next();
      boolean objIsSeq = false;
      byte kind = 0;
      if (hasObjActor != hasObjCtr) {
        throw at.fail(
            label("op", index, "change")
                + " has an object id with only an actor or only a counter");
      }
      if (hasObjActor) {
        long a = objActor.value;
        long c = objCtr.value;
        checkOpId(a, c, numActors, index, "change", "object", at);
        if (a == 0 && c >= startOp) {
          int made = (int) (c - startOp);
          if (c >= counter || !makes.get(made)) {
            throw at.fail(
                label("op", index, "change")
                    + " targets an object this change has not made before it");
          }
          objIsSeq = seqMakes.get(made);
        } else {
          kind = ctx.kind(actors[(int) a], c);
          objIsSeq = kind == DocumentContext.SEQ;
        }
      }
      boolean objKnown =
          !hasObjActor || (objActor.value == 0 && objCtr.value >= startOp) || kind != 0;

      // key: a string, or HEAD (counter 0, no actor), or an element id
      boolean hasKeyActor = keyActor.next();
      boolean hasKeyCtr = keyCtr.next();
      boolean hasKeyStr = keyStr.next();
      boolean isInsert = insert.next();
      if (hasKeyStr) {
        if (hasKeyActor || hasKeyCtr) {
          throw at.fail(label("op", index, "change") + " has both a string key and an element id");
        }
        if (isInsert) {
          throw at.fail(label("op", index, "change") + " inserts with a map key");
        }
        if (objKnown && objIsSeq) {
          throw at.fail(label("op", index, "change") + " uses a map key in a list or text");
        }
      } else {
        if (!hasKeyCtr) {
          throw at.fail(label("op", index, "change") + " has no key");
        }
        if (objKnown && !objIsSeq) {
          throw at.fail(label("op", index, "change") + " uses an element id in a map");
        }
        if (hasKeyActor) {
          long a = keyActor.value;
          long c = keyCtr.value;
          checkOpId(a, c, numActors, index, "change", "key element", at);
          if (a == 0 && c >= startOp) {
            if (c >= counter || !inserts.get((int) (c - startOp))) {
              throw at.fail(
                  label("op", index, "change")
                      + " refers to an element this change has not inserted before it");
            }
          }
        } else if (keyCtr.value != 0) {
          throw at.fail(label("op", index, "change") + " has an element id without an actor");
        }
      }

      value.next();
      if (act == 5 && value.type != Columns.Values.UINT && value.type != Columns.Values.INT) {
        throw at.fail(
            label("op", index, "change") + " increments by a value of type " + value.type);
      }

      if (!predNum.next()) {
        throw at.fail(label("op", index, "change") + " has a null pred count");
      }
      long preds = predNum.value;
      if (preds < 0 || preds > maxRun) {
        throw at.fail(
            label("op", index, "change") + " has " + Long.toUnsignedString(preds) + " preds");
      }
      for (long p = 0; p < preds; p++) {
        if (!predActor.next() || !predCtr.next()) {
          throw at.fail(label("op", index, "change") + " has a pred with a null actor or counter");
        }
        checkOpId(predActor.value, predCtr.value, numActors, index, "change", "pred", at);
        if (predActor.value == 0 && predCtr.value >= counter) {
          throw at.fail(label("op", index, "change") + " has a pred that is not older than the op");
        }
      }
      expand.next();
      markName.next();

      boolean makesObject = act == 0 || act == 2 || act == 4 || act == 6;
      if (track) {
        // The place of the op's object (null: the root, a map), then of the key written in it.
        FieldPath obj = hasObjActor ? ctx.path(actors[(int) objActor.value], objCtr.value) : null;
        FieldPath target;
        if (hasKeyStr) {
          String key = keyStr.string();
          if (obj != lastObj || key != lastKey || lastTarget == null) {
            lastObj = obj;
            lastKey = key;
            lastTarget = obj == null ? FieldPath.of(key) : obj.child(key);
          }
          target = lastTarget;
        } else {
          target = obj == null ? FieldPath.UNKNOWN : obj;
        }
        if (ctx.isGuarded(target)) {
          ctx.noteWrite(
              write(target, hasKeyStr && (obj == null || obj.field() == null), act, value));
        }
        if (makesObject) {
          ctx.learnPath(actors[0], counter, target);
        }
      }
      if (makesObject) {
        learnKind(ctx, actors[0], counter, act == 2 || act == 4, at);
      }
      if (index < Integer.MAX_VALUE) {
        if (act == 0 || act == 2 || act == 4 || act == 6) {
          makes.set((int) index);
          if (act == 2 || act == 4) {
            seqMakes.set((int) index);
          }
        }
        if (isInsert) {
          inserts.set((int) index);
        }
      }
      index++;
    }
    objActor.finish();
    objCtr.finish();
    keyActor.finish();
    keyCtr.finish();
    keyStr.finish();
    insert.finish();
    value.finish();
    predNum.finish();
    predActor.finish();
    predCtr.finish();
    expand.finish();
    markName.finish();
  }

  /**
   * What an op with action {@code act} does at {@code target}: a write of that very place when it
   * writes a map key that {@link FieldPath} could name ({@code atKey}), else a write inside it.
   */
  private static FieldWrite write(FieldPath target, boolean atKey, long act, Columns.Values value) {
    if (!atKey || target.isUnknown()) {
      return FieldWrite.inside(target);
    }
    return switch ((int) act) {
      case 0, 2, 4, 6 -> new FieldWrite(target, FieldWrite.Op.MAKE, null);
      case 1 -> FieldWrite.put(target, value.string(FieldWrite.MAX_VALUE_CHARS));
      case 3 -> new FieldWrite(target, FieldWrite.Op.DELETE, null);
      case 5 -> new FieldWrite(target, FieldWrite.Op.INCREMENT, null);
      default -> FieldWrite.inside(target); // a mark: on text, not a map key
    };
  }

  /** Learns that {@code actor}'s object {@code counter} is a sequence or a map; one kind each. */
  static void learnKind(DocumentContext ctx, byte[] actor, long counter, boolean seq, ByteInput at)
      throws InvalidAutomergeDataException {
    byte kind = seq ? DocumentContext.SEQ : DocumentContext.MAP;
    byte known = ctx.kind(actor, counter);
    if (known != 0 && known != kind) {
      throw at.fail("object " + counter + " of an actor is made again as a different kind");
    }
    ctx.learnKind(actor, counter, kind);
  }

  static void requirePresent(boolean missing, String column, ByteInput at)
      throws InvalidAutomergeDataException {
    if (missing) {
      throw at.fail("the " + column + " column is missing although there are ops");
    }
  }

  static void checkOpId(
      long actor, long counter, int numActors, long index, String of, String role, ByteInput at)
      throws InvalidAutomergeDataException {
    if (actor < 0 || actor >= numActors) {
      throw at.fail(
          label("op", index, of)
              + " "
              + role
              + " refers to actor index "
              + Long.toUnsignedString(actor)
              + " but there are only "
              + numActors
              + " actors");
    }
    if (counter < 1 || counter > MAX_COUNTER) {
      throw at.fail(
          label("op", index, of)
              + " "
              + role
              + " has counter "
              + counter
              + ", outside 1.."
              + MAX_COUNTER);
    }
  }

  /** An actor id at the cursor: its length (at most the limit), then its bytes. */
  static byte[] actorId(ByteInput in, Limits limits, String what)
      throws InvalidAutomergeDataException {
    int len = (int) in.ulebAtMost(limits.maxActorIdBytes(), what + " length");
    int at = in.skip(len, what);
    return Arrays.copyOfRange(in.array(), at, at + len);
  }

  static String label(String what, long index, String of) {
    return what + " " + index + " of the " + of;
  }

  static String opName(long id) {
    return (id & MAX_COUNTER) + "@" + (id >>> 32);
  }
}

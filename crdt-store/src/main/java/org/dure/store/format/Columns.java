package org.dure.store.format;

import java.util.ArrayList;
import java.util.List;

/**
 * Column metadata and column decoders of the Automerge columnar encoding.
 *
 * <p>A column list is {@code uLEB count} then {@code count} pairs {@code (uLEB spec, uLEB length)};
 * the data of the columns follows later, concatenated in the same order. A spec is {@code id << 4 |
 * deflate << 3 | type}, with types 0 group, 1 actor, 2 uLEB RLE, 3 delta, 4 boolean, 5 string RLE,
 * 6 value metadata, 7 raw value. Columns are sorted by spec ignoring the deflate bit, and a raw
 * value column directly follows the value metadata column with the same id.
 */
final class Columns {
  static final int GROUP = 0;
  static final int ACTOR = 1;
  static final int INTEGER = 2;
  static final int DELTA = 3;
  static final int BOOLEAN = 4;
  static final int STRING = 5;
  static final int VALUE_META = 6;
  static final int VALUE = 7;

  private static final String[] TYPE_NAMES = {
    "group", "actor", "integer", "delta", "boolean", "string", "value metadata", "value"
  };

  /** Column specs and their data, after the data has been located (and inflated if deflated). */
  private final List<Integer> specs;

  private final List<ByteInput> data;
  private final String what;

  private Columns(List<Integer> specs, List<ByteInput> data, String what) {
    this.specs = specs;
    this.data = data;
    this.what = what;
  }

  /** Column metadata read before the data: specs and lengths. */
  record Meta(int[] specs, long[] lengths, int[] specOffsets, long totalLength) {}

  static Meta readMeta(ByteInput in, Limits limits, String what)
      throws InvalidAutomergeDataException {
    int n = in.count(limits.maxColumns(), 2, what + " column count");
    int[] specs = new int[n];
    long[] lengths = new long[n];
    int[] offsets = new int[n];
    long total = 0;
    int lastNormalized = -1;
    for (int i = 0; i < n; i++) {
      offsets[i] = in.pos();
      long spec = in.ulebAtMost(0xFFFF_FFFFL, what + " column spec");
      int normalized = (int) (spec & ~8L);
      if (lastNormalized != -1 && Integer.compareUnsigned(normalized, lastNormalized) <= 0) {
        throw in.failAt(
            offsets[i],
            what
                + " column "
                + describe((int) spec)
                + " is out of order or duplicated (columns must be sorted by spec)");
      }
      if ((spec & 7) == VALUE && (i == 0 || (specs[i - 1] & ~8) != ((int) (spec & ~8L) - 1))) {
        throw in.failAt(
            offsets[i],
            what
                + " column "
                + describe((int) spec)
                + " is a raw value column without its value metadata column");
      }
      lastNormalized = normalized;
      specs[i] = (int) spec;
      lengths[i] = in.ulebAtMost(Integer.MAX_VALUE, what + " column length");
      total += lengths[i];
    }
    return new Meta(specs, lengths, offsets, total);
  }

  /**
   * Slices the column data following {@code meta} out of {@code in}, inflating deflated columns if
   * {@code allowDeflate}.
   */
  static Columns readData(ByteInput in, Meta meta, Budget budget, boolean allowDeflate, String what)
      throws InvalidAutomergeDataException {
    in.need(meta.totalLength(), what + " column data");
    List<Integer> specs = new ArrayList<>(meta.specs().length);
    List<ByteInput> data = new ArrayList<>(meta.specs().length);
    for (int i = 0; i < meta.specs().length; i++) {
      int spec = meta.specs()[i];
      ByteInput col = in.slice((int) meta.lengths()[i], what + " column " + describe(spec));
      if ((spec & 8) != 0) {
        if (!allowDeflate) {
          throw in.failAt(
              meta.specOffsets()[i],
              what + " column " + describe(spec) + " is deflated, which this chunk may not be");
        }
        col = Deflate.inflate(col, budget, what + " column " + describe(spec));
      }
      specs.add(spec & ~8);
      data.add(col);
    }
    return new Columns(specs, data, what);
  }

  static String describe(int spec) {
    return (spec >>> 4) + "/" + TYPE_NAMES[spec & 7] + ((spec & 8) != 0 ? " (deflated)" : "");
  }

  /**
   * Checks that every column whose id is one of {@code knownIds} has a type allowed for it, given
   * as {@code allowed[id]} bit masks of types. Columns with other ids are skipped, as the reference
   * implementation does.
   */
  void checkKnown(int[] allowed, ByteInput at) throws InvalidAutomergeDataException {
    for (int spec : specs) {
      int id = spec >>> 4;
      int type = spec & 7;
      if (id < allowed.length && allowed[id] != 0 && (allowed[id] & (1 << type)) == 0) {
        throw at.fail(what + " column " + describe(spec) + " has a type not allowed for its id");
      }
    }
  }

  /** The data of column {@code id/type}, or an empty input if there is no such column. */
  ByteInput get(int id, int type) {
    int spec = (id << 4) | type;
    for (int i = 0; i < specs.size(); i++) {
      if (specs.get(i) == spec) {
        return data.get(i);
      }
    }
    return ByteInput.of(new byte[0]);
  }

  // ---------------------------------------------------------------- decoders

  /**
   * Run-length encoding: {@code sLEB n > 0} then one value repeated n times, {@code sLEB n < 0}
   * then -n literal values, or {@code 0, uLEB n} for n nulls. Values are uLEB, sLEB or
   * length-prefixed UTF-8 strings.
   */
  static final class Rle {
    static final int UINT = 0;
    static final int INT = 1;
    static final int UTF8 = 2;

    private final ByteInput in;
    private final int kind;
    private final String name;
    private final long maxRun;
    private final int maxString;
    private final boolean empty;
    private long runLeft;
    private boolean literal;
    private boolean isNull;

    /** The current value (for strings, its length in bytes). */
    long value;

    /** For strings: where the current value's bytes begin in {@link #input()}'s array. */
    private int stringAt;

    Rle(ByteInput in, int kind, String name, long maxRun, int maxString) {
      this.in = in;
      this.kind = kind;
      this.name = name;
      this.maxRun = maxRun;
      this.maxString = maxString;
      this.empty = in.atEnd();
    }

    boolean isEmpty() {
      return empty;
    }

    /**
     * Advances one entry; returns whether it holds a value (false for a null, and for every entry
     * of an empty column, which stands for a column of nulls).
     */
    boolean next() throws InvalidAutomergeDataException {
      if (empty) {
        return false;
      }
      if (runLeft == 0) {
        if (in.atEnd()) {
          throw in.fail(name + " column has fewer entries than expected");
        }
        int at = in.pos();
        long n = in.sleb(name, " run length");
        if (n > 0) {
          checkRun(n, at);
          runLeft = n;
          literal = false;
          isNull = false;
          readValue();
        } else if (n < 0) {
          if (n == Long.MIN_VALUE) {
            throw in.failAt(at, name + " literal run length out of range");
          }
          checkRun(-n, at);
          runLeft = -n;
          literal = true;
          isNull = false;
        } else {
          long nulls = in.uleb(name, " null run length");
          if (nulls == 0) {
            throw in.failAt(at, name + " has an empty null run");
          }
          checkRun(nulls, at);
          runLeft = nulls;
          literal = false;
          isNull = true;
        }
      }
      runLeft--;
      if (literal) {
        readValue();
      }
      return !isNull;
    }

    private void checkRun(long n, int at) throws InvalidAutomergeDataException {
      if (n < 0 || n > maxRun) {
        throw in.failAt(at, name + " run of " + Long.toUnsignedString(n) + " is too long");
      }
    }

    private void readValue() throws InvalidAutomergeDataException {
      switch (kind) {
        case UINT -> value = in.uleb(name, " value");
        case INT -> value = in.sleb(name, " value");
        default -> {
          int at = in.pos();
          long len = in.uleb(name, " string length");
          if (len < 0 || len > maxString) {
            throw in.failAt(
                at, name + " string of " + Long.toUnsignedString(len) + " bytes is too long");
          }
          stringAt = in.pos();
          in.utf8((int) len, name);
          value = len;
        }
      }
    }

    boolean hasMore() {
      return runLeft > 0 || !in.atEnd();
    }

    private int decodedAt = -1;
    private String decoded;

    /**
     * The current string value (validated UTF-8); only after {@link #next} returned true. A value
     * repeated by a run is decoded once.
     */
    String string() {
      if (decodedAt != stringAt) {
        decoded =
            new String(in.array(), stringAt, (int) value, java.nio.charset.StandardCharsets.UTF_8);
        decodedAt = stringAt;
      }
      return decoded;
    }

    /** Fails if entries remain after the expected count was read. */
    void finish() throws InvalidAutomergeDataException {
      if (hasMore()) {
        throw in.fail(name + " column has more entries than expected");
      }
    }

    ByteInput input() {
      return in;
    }
  }

  /** Delta encoding: RLE of signed differences from the previous non-null value (from 0). */
  static final class Delta {
    private final Rle rle;
    private long absolute;
    long value;

    Delta(ByteInput in, String name, long maxRun) {
      this.rle = new Rle(in, Rle.INT, name, maxRun, 0);
    }

    boolean isEmpty() {
      return rle.isEmpty();
    }

    boolean next() throws InvalidAutomergeDataException {
      if (!rle.next()) {
        return false;
      }
      long sum = absolute + rle.value;
      if (((absolute ^ sum) & (rle.value ^ sum)) < 0) {
        throw rle.input().fail(rle.name + " delta overflows 64 bits");
      }
      absolute = sum;
      value = sum;
      return true;
    }

    void finish() throws InvalidAutomergeDataException {
      rle.finish();
    }
  }

  /** Boolean encoding: alternating uLEB run lengths, starting with a run of false. */
  static final class Bool {
    private final ByteInput in;
    private final String name;
    private final long maxRun;
    private final boolean empty;
    private long runLeft;
    private boolean current = true;
    private boolean first = true;

    Bool(ByteInput in, String name, long maxRun) {
      this.in = in;
      this.name = name;
      this.maxRun = maxRun;
      this.empty = in.atEnd();
    }

    boolean isEmpty() {
      return empty;
    }

    /** The next value; an empty column reads as all false. */
    boolean next() throws InvalidAutomergeDataException {
      if (empty) {
        return false;
      }
      while (runLeft == 0) {
        if (in.atEnd()) {
          throw in.fail(name + " column has fewer entries than expected");
        }
        int at = in.pos();
        long n = in.uleb(name, " run length");
        if (n < 0 || n > maxRun) {
          throw in.failAt(at, name + " run of " + Long.toUnsignedString(n) + " is too long");
        }
        if (n == 0 && !first) {
          throw in.failAt(at, name + " has an empty run after the first");
        }
        first = false;
        runLeft = n;
        current = !current;
      }
      runLeft--;
      return current;
    }

    void finish() throws InvalidAutomergeDataException {
      if (runLeft > 0 || !in.atEnd()) {
        throw in.fail(name + " column has more entries than expected");
      }
    }
  }

  /**
   * Values: a metadata column (uLEB RLE of {@code length << 4 | type}) and a raw column holding the
   * value bytes. Types: 0 null, 1 false, 2 true, 3 uLEB, 4 sLEB, 5 float64, 6 UTF-8, 7 bytes, 8
   * counter (sLEB), 9 timestamp (sLEB).
   */
  static final class Values {
    static final int NULL = 0;
    static final int UINT = 3;
    static final int INT = 4;
    static final int BYTES = 7;

    private final Rle meta;
    private final ByteInput raw;
    private final String name;
    private final Limits limits;

    /** Type code of the current value. */
    int type;

    /** For a string value: where its bytes begin in the raw column's array, and how many. */
    private int stringAt;

    private int stringBytes;

    /** Type code of a UTF-8 string value. */
    static final int STRING = 6;

    Values(ByteInput meta, ByteInput raw, String name, long maxRun, Limits limits) {
      this.meta = new Rle(meta, Rle.UINT, name + " metadata", maxRun, 0);
      this.raw = raw;
      this.name = name;
      this.limits = limits;
    }

    boolean isEmpty() {
      return meta.isEmpty();
    }

    void next() throws InvalidAutomergeDataException {
      if (meta.isEmpty()) {
        throw meta.input().fail(name + " metadata column is missing");
      }
      if (!meta.next()) {
        throw meta.input().fail(name + " metadata is null");
      }
      long m = meta.value;
      type = (int) (m & 15);
      long len = m >>> 4;
      if (len > raw.remaining()) {
        throw raw.fail(
            name
                + " of type "
                + type
                + " claims "
                + len
                + " bytes but "
                + raw.remaining()
                + " remain");
      }
      int n = (int) len;
      switch (type) {
        case 0, 1, 2 -> {
          if (n != 0) {
            throw raw.fail(name + " null or boolean with a length of " + n);
          }
        }
        case 3, 4, 8, 9 -> {
          ByteInput v = raw.slice(n, name);
          if (type == 3) {
            v.uleb(name);
          } else {
            v.sleb(name);
          }
          if (!v.atEnd()) {
            throw v.fail(name + " has bytes after its LEB128 number");
          }
        }
        case 5 -> {
          if (n != 8) {
            throw raw.fail(name + " float with a length of " + n + " instead of 8");
          }
          raw.skip(8, name);
        }
        case 6 -> {
          if (n > limits.maxStringBytes()) {
            throw raw.fail(name + " string of " + n + " bytes is too long");
          }
          stringAt = raw.pos();
          stringBytes = n;
          raw.utf8(n, name);
        }
        case 7 -> {
          if (n > limits.maxValueBytes()) {
            throw raw.fail(name + " bytes value of " + n + " bytes is too long");
          }
          raw.skip(n, name);
        }
        default -> throw meta.input().fail(name + " has unknown value type " + type);
      }
    }

    /**
     * The current value if it is a string of at most {@code maxChars} characters (already checked
     * to be UTF-8), else null.
     */
    String string(int maxChars) {
      if (type != STRING || stringBytes > 4 * maxChars) {
        return null;
      }
      String v =
          new String(raw.array(), stringAt, stringBytes, java.nio.charset.StandardCharsets.UTF_8);
      return v.length() <= maxChars ? v : null;
    }

    void finish() throws InvalidAutomergeDataException {
      meta.finish();
      if (!raw.atEnd()) {
        throw raw.fail(name + " raw column has " + raw.remaining() + " unused bytes");
      }
    }
  }
}

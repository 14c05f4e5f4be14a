package org.dure.store.format;

/**
 * Validates Automerge binary data before it reaches native code.
 *
 * <p>Automerge-Java 0.0.7 (Rust automerge 0.5.7) aborts the whole JVM on some malformed inputs, so
 * every byte from a peer or from storage is parsed here first, following the Automerge binary
 * format (chunks, change and document columns, sync messages), under hard {@link Limits}. Each
 * method returns normally if the bytes are well formed and within the limits, and otherwise throws
 * {@link InvalidAutomergeDataException} saying what is wrong and where.
 *
 * <p>Besides the syntax, the checks cover what the reference implementation trusts without checking
 * and panics on: actor indices in range, op counters within 32 bits, known actions, increments by
 * numbers, bloom filter parameters, map keys only in maps and element ids only in lists and text
 * (for objects made in the same input, or known from a {@link DocumentContext}), and change seqs
 * that would be applied but skip ahead of their actor's known changes. What depends on the
 * receiving document can only be checked with a {@link DocumentContext} for it; without one,
 * changes and sync messages are checked on their own, which leaves those two panics open.
 */
public final class AutomergeFormat {
  private static final int CHANGES =
      (1 << ChunkValidator.CHANGE) | (1 << ChunkValidator.COMPRESSED_CHANGE);
  private static final int ANY = CHANGES | (1 << ChunkValidator.DOCUMENT);

  private AutomergeFormat() {}

  /** Validates one change chunk (plain or deflate-compressed), nothing before or after it. */
  public static void validateChange(byte[] bytes) throws InvalidAutomergeDataException {
    validateChange(bytes, Limits.defaults(), DocumentContext.unknown());
  }

  public static void validateChange(byte[] bytes, Limits limits)
      throws InvalidAutomergeDataException {
    validateChange(bytes, limits, DocumentContext.unknown());
  }

  public static void validateChange(byte[] bytes, Limits limits, DocumentContext ctx)
      throws InvalidAutomergeDataException {
    run(
        ctx,
        () -> {
          ByteInput in = start(bytes, limits);
          if (in.atEnd()) {
            throw in.fail("empty input is not a change");
          }
          new ChunkValidator(new Budget(limits), ctx).chunk(in, CHANGES);
          if (!in.atEnd()) {
            throw in.fail(in.remaining() + " bytes after the change chunk");
          }
        });
  }

  /**
   * Validates concatenated change chunks, as {@code Document.encodeChangesSince} produces and
   * {@code Document.applyEncodedChanges} accepts. Empty input (no changes) is valid.
   */
  public static void validateChanges(byte[] bytes) throws InvalidAutomergeDataException {
    validateChanges(bytes, Limits.defaults(), DocumentContext.unknown());
  }

  public static void validateChanges(byte[] bytes, Limits limits)
      throws InvalidAutomergeDataException {
    validateChanges(bytes, limits, DocumentContext.unknown());
  }

  /** Validates changes to be applied to the document {@code ctx} describes, and learns them. */
  public static void validateChanges(byte[] bytes, Limits limits, DocumentContext ctx)
      throws InvalidAutomergeDataException {
    run(
        ctx,
        () -> new ChunkValidator(new Budget(limits), ctx).chunks(start(bytes, limits), CHANGES));
  }

  /**
   * Validates a saved document as {@code Document.save} produces and {@code Document.load} accepts:
   * one or more concatenated chunks, documents or changes. Empty input is rejected.
   */
  public static void validateDocument(byte[] bytes) throws InvalidAutomergeDataException {
    validateDocument(bytes, Limits.defaults());
  }

  public static void validateDocument(byte[] bytes, Limits limits)
      throws InvalidAutomergeDataException {
    validateDocument(bytes, limits, DocumentContext.ofNewDocument());
  }

  static void validateDocument(byte[] bytes, Limits limits, DocumentContext ctx)
      throws InvalidAutomergeDataException {
    run(
        ctx,
        () -> {
          ByteInput in = start(bytes, limits);
          if (in.atEnd()) {
            throw in.fail("empty input is not a document");
          }
          new ChunkValidator(new Budget(limits), ctx).chunks(in, ANY);
        });
  }

  /**
   * Validates a sync message as {@code Document.generateSyncMessage} produces and {@code
   * Document.receiveSyncMessage} accepts, including every change or document it carries.
   */
  public static void validateSyncMessage(byte[] bytes) throws InvalidAutomergeDataException {
    validateSyncMessage(bytes, Limits.defaults(), DocumentContext.unknown());
  }

  public static void validateSyncMessage(byte[] bytes, Limits limits)
      throws InvalidAutomergeDataException {
    validateSyncMessage(bytes, limits, DocumentContext.unknown());
  }

  /** Validates a sync message for the document {@code ctx} describes, and learns its changes. */
  public static void validateSyncMessage(byte[] bytes, Limits limits, DocumentContext ctx)
      throws InvalidAutomergeDataException {
    run(ctx, () -> SyncMessageValidator.validate(start(bytes, limits), new Budget(limits), ctx));
  }

  /**
   * The actor id of each change in {@code bytes}, in order: concatenated change chunks (as {@code
   * Document.encodeChangesSince} produces) or a saved document (whose changes are listed by the
   * document chunk). Validates the bytes on the way, under {@code limits}.
   */
  public static java.util.List<byte[]> changeActors(byte[] bytes, Limits limits)
      throws InvalidAutomergeDataException {
    DocumentContext ctx = DocumentContext.recording();
    run(ctx, () -> new ChunkValidator(new Budget(limits), ctx).chunks(start(bytes, limits), ANY));
    return java.util.List.copyOf(ctx.recordedActors());
  }

  private interface Validation {
    void run() throws InvalidAutomergeDataException;
  }

  /** Keeps what {@code ctx} learned only if the whole input validates. */
  private static void run(DocumentContext ctx, Validation v) throws InvalidAutomergeDataException {
    try {
      v.run();
      ctx.checkSeqs();
      ctx.commit();
    } finally {
      ctx.rollback();
    }
  }

  private static ByteInput start(byte[] bytes, Limits limits) throws InvalidAutomergeDataException {
    if (bytes.length > limits.maxTotalBytes()) {
      throw new InvalidAutomergeDataException(
          bytes.length + " bytes exceed the limit of " + limits.maxTotalBytes(), 0);
    }
    return ByteInput.of(bytes);
  }
}

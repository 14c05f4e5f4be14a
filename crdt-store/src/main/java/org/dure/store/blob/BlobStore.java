package org.dure.store.blob;

import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.dure.store.doc.PrivateFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Blobs on disk, named by their root hash, apart from the Automerge documents; files owner-only.
 *
 * <pre>
 * DIR/ROOT/manifest   the manifest's encoding (its SHA-256 is ROOT)
 * DIR/ROOT/INDEX      chunk INDEX, present only once verified against the manifest
 * DIR/ROOT/spaces     the spaces this node holds the blob for, one a line
 * DIR/.staging/       uploads being cut into chunks
 * </pre>
 *
 * A blob may be partial (some chunks present): {@link #missing} says which to fetch, and a fetch
 * resumes there. Every chunk is checked against its hash before it is stored (written beside, then
 * renamed), and again when it is read. Thread-safe: files are written under unique temporary names
 * and renamed into place; a chunk written twice is written with the same bytes.
 */
public final class BlobStore {
  private static final Logger LOG = LoggerFactory.getLogger(BlobStore.class);

  /** The default limit per attachment: 100 MiB. */
  public static final long DEFAULT_MAX_BLOB_BYTES = 100L << 20;

  static final String MANIFEST = "manifest";
  static final String SPACES = "spaces";
  static final String STAGING = ".staging";

  /** The most spaces one blob is recorded for. */
  static final int MAX_SPACES = 1000;

  private final Path dir;
  private final ConcurrentHashMap<BlobHash, BlobManifest> manifests = new ConcurrentHashMap<>();
  private volatile long maxBlobBytes;

  private BlobStore(Path dir, long maxBlobBytes) {
    this.dir = dir;
    setMaxBlobBytes(maxBlobBytes);
  }

  /**
   * Opens (creating it owner-only if needed) the blob store in {@code dir}, and removes uploads a
   * previous process left half done.
   */
  public static BlobStore open(Path dir, long maxBlobBytes) throws IOException {
    PrivateFiles.directory(dir);
    Path staging = dir.resolve(STAGING);
    if (Files.isDirectory(staging)) {
      deleteTree(staging);
    }
    PrivateFiles.tighten(dir, listNames(dir));
    return new BlobStore(dir, maxBlobBytes);
  }

  private static List<String> listNames(Path dir) throws IOException {
    List<String> names = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.forEach(p -> names.add(p.getFileName() + (Files.isDirectory(p) ? "/" : "")));
    }
    return names;
  }

  /** The largest attachment taken, in bytes. */
  public long maxBlobBytes() {
    return maxBlobBytes;
  }

  /** Sets the largest attachment taken (1 byte to {@link BlobManifest#MAX_SIZE}). */
  public void setMaxBlobBytes(long bytes) {
    if (bytes < 1 || bytes > BlobManifest.MAX_SIZE) {
      throw new IllegalArgumentException(
          "The limit per attachment is 1 to " + BlobManifest.MAX_SIZE + " bytes, not " + bytes);
    }
    this.maxBlobBytes = bytes;
  }

  // ------------------------------------------------------------------ adding

  /**
   * Stores the bytes of {@code in} (read to its end) as a blob named {@code name} of type {@code
   * mediaType}, and records it for {@code space}.
   *
   * @throws BlobTooLargeException as soon as more than {@link #maxBlobBytes()} have been read
   * @throws IllegalArgumentException if the name or media type is not allowed
   */
  public BlobManifest put(String name, String mediaType, InputStream in, String space)
      throws IOException {
    String problem = BlobManifest.problem(name, mediaType, 0, 0);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    long limit = maxBlobBytes;
    Path staging =
        PrivateFiles.directory(dir.resolve(STAGING)).resolve(UUID.randomUUID().toString());
    PrivateFiles.directory(staging);
    try {
      List<BlobHash> hashes = new ArrayList<>();
      long size = 0;
      byte[] buf = new byte[BlobManifest.CHUNK_SIZE];
      while (true) {
        int n = in.readNBytes(buf, 0, buf.length);
        if (n == 0) {
          break;
        }
        size += n;
        if (size > limit) {
          throw new BlobTooLargeException(-1, limit);
        }
        hashes.add(BlobHash.of(buf, 0, n));
        write(staging.resolve(Integer.toString(hashes.size() - 1)), buf, n);
        if (n < buf.length) {
          break;
        }
      }
      BlobManifest m = new BlobManifest(name, mediaType, size, hashes);
      byte[] encoded = m.encode();
      write(staging.resolve(MANIFEST), encoded, encoded.length);
      BlobHash root = BlobHash.of(encoded);
      Path target = dir.resolve(root.hex());
      if (!Files.exists(target)) {
        try {
          Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException raced) {
          // stored meanwhile
        }
      }
      // The blob may have been there in part: fill in what it lacked.
      List<String> names = new ArrayList<>();
      names.add(MANIFEST);
      for (int i = 0; i < hashes.size(); i++) {
        names.add(Integer.toString(i));
      }
      for (String n : names) {
        Path from = staging.resolve(n);
        if (Files.exists(from) && !Files.exists(target.resolve(n))) {
          move(from, target.resolve(n));
        }
      }
      manifests.put(root, m);
      addSpace(root, space);
      return m;
    } finally {
      if (Files.exists(staging)) {
        deleteTree(staging);
      }
    }
  }

  /**
   * Records the manifest of blob {@code root}, as fetched from a peer, so its chunks can be stored;
   * nothing if it is known already.
   *
   * @throws BlobFormatException if {@code encoded} is not a manifest whose hash is {@code root}
   * @throws BlobTooLargeException if the blob is larger than {@link #maxBlobBytes()}
   */
  public BlobManifest addManifest(BlobHash root, byte[] encoded) throws IOException {
    BlobManifest known = manifest(root).orElse(null);
    if (known != null) {
      return known;
    }
    if (encoded.length > BlobManifest.MAX_ENCODED || !BlobHash.of(encoded).equals(root)) {
      throw new BlobFormatException("The manifest's hash is not " + root);
    }
    BlobManifest m = BlobManifest.decode(encoded);
    if (m.size() > maxBlobBytes) {
      throw new BlobTooLargeException(m.size(), maxBlobBytes);
    }
    Path d = PrivateFiles.directory(dir.resolve(root.hex()));
    Path f = d.resolve(MANIFEST);
    if (!Files.exists(f)) {
      writeBeside(f, encoded);
    }
    manifests.put(root, m);
    return m;
  }

  /**
   * Stores chunk {@code index} of blob {@code root} after checking it against the manifest.
   *
   * @throws BlobFormatException if its length or hash is not the manifest's
   * @throws IllegalStateException if the manifest is not known (see {@link #addManifest})
   */
  public void putChunk(BlobHash root, int index, byte[] data) throws IOException {
    BlobManifest m =
        manifest(root).orElseThrow(() -> new IllegalStateException("No manifest for blob " + root));
    if (index < 0 || index >= m.chunks().size()) {
      throw new BlobFormatException("Blob " + root + " has no chunk " + index);
    }
    if (data.length != m.chunkLength(index)) {
      throw new BlobFormatException(
          "Chunk "
              + index
              + " of "
              + root
              + " has "
              + m.chunkLength(index)
              + " bytes, not "
              + data.length);
    }
    if (!BlobHash.of(data).equals(m.chunks().get(index))) {
      throw new BlobFormatException("Chunk " + index + " of " + root + " has the wrong hash");
    }
    Path f = dir.resolve(root.hex()).resolve(Integer.toString(index));
    if (!Files.exists(f)) {
      writeBeside(f, data);
    }
  }

  /** Records that this node holds blob {@code root} for {@code space} (see {@link #spaces}). */
  public synchronized void addSpace(BlobHash root, String space) throws IOException {
    if (space.isEmpty() || space.chars().anyMatch(c -> c <= ' ' || c > '~')) {
      throw new IllegalArgumentException("Not a space id: " + space);
    }
    Set<String> spaces = new TreeSet<>(spaces(root));
    if (spaces.contains(space)) {
      return;
    }
    if (spaces.size() >= MAX_SPACES) {
      throw new IllegalStateException("Blob " + root + " is held for too many spaces");
    }
    spaces.add(space);
    Path d = PrivateFiles.directory(dir.resolve(root.hex()));
    PrivateFiles.writeAtomically(
        d.resolve(SPACES), (String.join("\n", spaces) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  // ----------------------------------------------------------------- reading

  /** The manifest of blob {@code root}, if this node has it. */
  public Optional<BlobManifest> manifest(BlobHash root) throws IOException {
    BlobManifest m = manifests.get(root);
    if (m != null) {
      return Optional.of(m);
    }
    Path f = dir.resolve(root.hex()).resolve(MANIFEST);
    byte[] encoded;
    try {
      if (Files.size(f) > BlobManifest.MAX_ENCODED) {
        LOG.warn("The manifest of blob {} is too large; ignored", root);
        return Optional.empty();
      }
      encoded = Files.readAllBytes(f);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    if (!BlobHash.of(encoded).equals(root)) {
      LOG.warn("The manifest of blob {} is damaged on disk; ignored", root);
      return Optional.empty();
    }
    m = BlobManifest.decode(encoded);
    manifests.put(root, m);
    return Optional.of(m);
  }

  /** The spaces this node holds blob {@code root} for (those it was uploaded or fetched for). */
  public Set<String> spaces(BlobHash root) throws IOException {
    Path f = dir.resolve(root.hex()).resolve(SPACES);
    try {
      if (Files.size(f) > 64L * MAX_SPACES) {
        return Set.of();
      }
      Set<String> out = new TreeSet<>();
      for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          out.add(line.strip());
        }
      }
      return Collections.unmodifiableSet(out);
    } catch (NoSuchFileException e) {
      return Set.of();
    }
  }

  /** Whether chunk {@code index} of blob {@code root} is here. */
  public boolean hasChunk(BlobHash root, int index) {
    return Files.exists(dir.resolve(root.hex()).resolve(Integer.toString(index)));
  }

  /** The chunks of blob {@code root} not here yet, in order; empty if unknown or complete. */
  public List<Integer> missing(BlobHash root) throws IOException {
    Optional<BlobManifest> m = manifest(root);
    if (m.isEmpty()) {
      return List.of();
    }
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < m.get().chunks().size(); i++) {
      if (!hasChunk(root, i)) {
        out.add(i);
      }
    }
    return out;
  }

  /** The chunks of blob {@code root} that are here. */
  public BitSet present(BlobHash root) throws IOException {
    BitSet out = new BitSet();
    Optional<BlobManifest> m = manifest(root);
    if (m.isPresent()) {
      for (int i = 0; i < m.get().chunks().size(); i++) {
        if (hasChunk(root, i)) {
          out.set(i);
        }
      }
    }
    return out;
  }

  /** Whether every chunk of blob {@code root} is here (and its manifest). */
  public boolean isComplete(BlobHash root) throws IOException {
    return manifest(root).isPresent() && missing(root).isEmpty();
  }

  /**
   * Chunk {@code index} of blob {@code root}, checked against its hash; empty if it is not here (a
   * chunk damaged on disk is deleted, to be fetched again).
   */
  public Optional<byte[]> readChunk(BlobHash root, int index) throws IOException {
    Optional<BlobManifest> m = manifest(root);
    if (m.isEmpty() || index < 0 || index >= m.get().chunks().size()) {
      return Optional.empty();
    }
    int length = m.get().chunkLength(index);
    Path f = dir.resolve(root.hex()).resolve(Integer.toString(index));
    byte[] data;
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
      if (ch.size() != length) {
        data = null;
      } else {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining() && ch.read(b) >= 0) {
          // filling
        }
        data = b.hasRemaining() ? null : b.array();
      }
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    if (data == null || !BlobHash.of(data).equals(m.get().chunks().get(index))) {
      LOG.warn("Chunk {} of blob {} is damaged on disk; deleted, to be fetched again", index, root);
      Files.deleteIfExists(f);
      return Optional.empty();
    }
    return Optional.of(data);
  }

  /**
   * The bytes of blob {@code root}, chunk after chunk, each checked as it is read.
   *
   * @throws IllegalStateException if the blob is not complete
   */
  public InputStream open(BlobHash root) throws IOException {
    BlobManifest m = manifest(root).orElseThrow(() -> new IllegalStateException("No blob " + root));
    if (!missing(root).isEmpty()) {
      throw new IllegalStateException("Blob " + root + " is not complete");
    }
    Iterator<Integer> indices = java.util.stream.IntStream.range(0, m.chunks().size()).iterator();
    Enumeration<InputStream> parts =
        new Enumeration<>() {
          @Override
          public boolean hasMoreElements() {
            return indices.hasNext();
          }

          @Override
          public InputStream nextElement() {
            int i = indices.next();
            try {
              byte[] data =
                  readChunk(root, i)
                      .orElseThrow(
                          () -> new IOException("Chunk " + i + " of " + root + " is gone"));
              return new java.io.ByteArrayInputStream(data);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
        };
    InputStream seq = new SequenceInputStream(parts);
    return new java.io.FilterInputStream(seq) {
      @Override
      public int read() throws IOException {
        try {
          return super.read();
        } catch (UncheckedIOException e) {
          throw e.getCause();
        }
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        try {
          return super.read(b, off, len);
        } catch (UncheckedIOException e) {
          throw e.getCause();
        }
      }
    };
  }

  /** The blobs here, whole or in part. */
  public List<BlobHash> blobs() throws IOException {
    List<BlobHash> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.forEach(
          p -> {
            String n = p.getFileName().toString();
            if (BlobHash.isHash(n)) {
              out.add(new BlobHash(n));
            }
          });
    }
    return out;
  }

  // -------------------------------------------------------------- accounting

  /** Bytes blob {@code root} takes on disk (its manifest and the chunks here). */
  public long bytes(BlobHash root) throws IOException {
    long sum = 0;
    Path d = dir.resolve(root.hex());
    if (!Files.isDirectory(d)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(d)) {
      for (Path p : s.toList()) {
        try {
          sum += Files.size(p);
        } catch (NoSuchFileException gone) {
          // renamed or deleted meanwhile
        }
      }
    }
    return sum;
  }

  /** Bytes of all blobs here. */
  public long totalBytes() throws IOException {
    return bytesWhere(spaces -> true);
  }

  /**
   * Bytes of the blobs whose set of spaces passes {@code which} (e.g. those held only for spaces
   * this node's user does not own: storage held for others).
   */
  public long bytesWhere(Predicate<Set<String>> which) throws IOException {
    long sum = 0;
    for (BlobHash b : blobs()) {
      if (which.test(spaces(b))) {
        sum += bytes(b);
      }
    }
    return sum;
  }

  /** Deletes blob {@code root} and everything recorded about it. */
  public void delete(BlobHash root) throws IOException {
    manifests.remove(root);
    Path d = dir.resolve(root.hex());
    if (Files.exists(d)) {
      deleteTree(d);
    }
  }

  @Override
  public String toString() {
    return "BlobStore[" + dir + "]";
  }

  // ------------------------------------------------------------------- files

  private static void write(Path f, byte[] data, int length) throws IOException {
    try (FileChannel ch =
        PrivateFiles.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap(data, 0, length);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(false);
    }
  }

  /** Writes {@code f} under a unique temporary name beside it, then renames it into place. */
  private static void writeBeside(Path f, byte[] data) throws IOException {
    Path tmp = f.resolveSibling(f.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      write(tmp, data, data.length);
      move(tmp, f);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void deleteTree(Path d) throws IOException {
    try (Stream<Path> s = Files.walk(d)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}

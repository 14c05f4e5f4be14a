package org.dure.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records, before native code runs on a peer's bytes, whose bytes they are, and forgets it after.
 * If the process dies inside the call (Automerge-Java aborts the JVM on some inputs), the record is
 * still there at the next start: the store then quarantines that input and blocks the peer. A
 * record is a small file written without {@code fsync}: it only has to survive the process, not the
 * machine.
 */
final class InflightLog {
  private static final Logger LOG = LoggerFactory.getLogger(InflightLog.class);

  /** What was in flight. */
  record Entry(String peer, String docId, String what, byte[] sha) {}

  private final Path dir;
  private final AtomicLong counter = new AtomicLong();

  InflightLog(Path dir) throws IOException {
    this.dir = PrivateFiles.directory(dir);
  }

  /** What earlier runs left: inputs in flight when they died. Removes the records. */
  List<Entry> leftovers() throws IOException {
    List<Entry> out = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        try {
          String[] lines = Files.readString(f, StandardCharsets.UTF_8).split("\n", -1);
          if (lines.length >= 4) {
            out.add(
                new Entry(lines[0], lines[1], lines[2], HexFormat.of().parseHex(lines[3].strip())));
          }
        } catch (IOException | IllegalArgumentException e) {
          LOG.warn("Unreadable in-flight record {} ignored", f, e);
        }
        Files.deleteIfExists(f);
      }
    }
    return out;
  }

  /** Records that native code is about to run on {@code sha}'s bytes from {@code peer}. */
  Path begin(String peer, String docId, String what, byte[] sha) throws IOException {
    Path f = dir.resolve(ProcessHandle.current().pid() + "-" + counter.incrementAndGet());
    PrivateFiles.createFile(f);
    Files.writeString(
        f,
        peer + "\n" + docId + "\n" + what + "\n" + HexFormat.of().formatHex(sha) + "\n",
        StandardCharsets.UTF_8);
    return f;
  }

  void end(Path record) {
    try {
      Files.deleteIfExists(record);
    } catch (IOException e) {
      LOG.warn("Cannot remove the in-flight record {}", record, e);
    }
  }
}

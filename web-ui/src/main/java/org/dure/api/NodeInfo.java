package org.dure.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dure.store.doc.PrivateFiles;

/**
 * {@code DATA_DIR/node.json}: written by a running Dure so that the command line (and people) find
 * it. Removed when Dure stops; a stale file left by a crash is harmless (the command line then
 * finds nobody answering at {@code api} and opens the data directory itself).
 *
 * @param peerId this node's peer ID
 * @param listen full multiaddrs peers can dial ({@code …/p2p/PEER}); empty while offline
 * @param api the local API's base URL on 127.0.0.1 (the token is in {@link ApiToken#FILE_NAME})
 * @param web the web UI's URL, or null when running headless
 * @param pid the process ID
 */
public record NodeInfo(String peerId, List<String> listen, String api, String web, long pid) {
  /** The file's name in the data directory. */
  public static final String FILE_NAME = "node.json";

  private static final long MAX_FILE_BYTES = 64 * 1024;

  public NodeInfo {
    listen = List.copyOf(listen);
  }

  /** Writes the file atomically (readers never see half of it), owner-only. */
  public void write(Path dataDir) throws IOException {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("peerId", peerId);
    json.put("listen", listen);
    json.put("api", api);
    json.put("web", web);
    json.put("pid", pid);
    PrivateFiles.writeAtomically(
        dataDir.resolve(FILE_NAME),
        (Json.write(json, true) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** The file of a data directory, if there is a readable one. */
  public static Optional<NodeInfo> read(Path dataDir) {
    Path file = dataDir.resolve(FILE_NAME);
    try {
      if (!Files.isRegularFile(file) || Files.size(file) > MAX_FILE_BYTES) {
        return Optional.empty();
      }
      if (!(Json.parse(Files.readString(file, StandardCharsets.UTF_8)) instanceof Map<?, ?> json)) {
        return Optional.empty();
      }
      List<String> listen = new ArrayList<>();
      if (json.get("listen") instanceof List<?> addresses) {
        for (Object a : addresses) {
          if (a instanceof String address) {
            listen.add(address);
          }
        }
      }
      if (!(json.get("api") instanceof String api)) {
        return Optional.empty();
      }
      return Optional.of(
          new NodeInfo(
              json.get("peerId") instanceof String peer ? peer : null,
              listen,
              api,
              json.get("web") instanceof String web ? web : null,
              json.get("pid") instanceof Long pid ? pid : 0));
    } catch (IOException | Json.ParseException e) {
      return Optional.empty();
    }
  }

  /** Removes the file if it is still this process's. */
  public static void remove(Path dataDir, long pid) {
    read(dataDir)
        .filter(i -> i.pid() == pid)
        .ifPresent(
            i -> {
              try {
                Files.deleteIfExists(dataDir.resolve(FILE_NAME));
              } catch (IOException ignored) {
                // a stale file is harmless
              }
            });
  }
}

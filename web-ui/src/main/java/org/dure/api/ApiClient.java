package org.dure.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@link DureApi} through the local API of a running Dure ({@link LocalApiServer}).
 *
 * <p>It uses only {@code java.base} ({@link HttpURLConnection} and the small {@link Json}), so that
 * a command against a running Dure loads neither Spring nor a JSON library nor the store, and
 * answers in a fraction of a second.
 */
public final class ApiClient implements DureApi {
  private static final int MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
  private static final int CONNECT_TIMEOUT_MILLIS = 3000;

  /** How long an export or import of a whole space may take. */
  private static final Duration LONG_TIMEOUT = Duration.ofMinutes(30);

  private final URI base;
  private final String token;
  private final Duration timeout;

  /**
   * @param baseUrl the API's base URL, {@code http://127.0.0.1:PORT/api/}
   */
  public ApiClient(String baseUrl, String token, Duration timeout) {
    this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
    if (!"http".equals(base.getScheme()) || !"127.0.0.1".equals(base.getHost())) {
      throw new IllegalArgumentException("The local API is on http://127.0.0.1 only: " + baseUrl);
    }
    this.token = token;
    this.timeout = timeout;
  }

  /**
   * A client for the Dure running with {@code dataDir}, if its {@code node.json} names an API that
   * answers.
   */
  public static Optional<ApiClient> forRunning(Path dataDir) {
    Optional<NodeInfo> info = NodeInfo.read(dataDir);
    if (info.isEmpty()) {
      return Optional.empty();
    }
    String token;
    try {
      token = ApiToken.read(dataDir);
    } catch (IOException e) {
      return Optional.empty();
    }
    ApiClient client;
    try {
      client = new ApiClient(info.get().api(), token, Duration.ofMinutes(2));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    try {
      client.call("GET", "status", null, null);
      return Optional.of(client);
    } catch (NotRunningException e) {
      return Optional.empty();
    }
  }

  /** Nobody answers at the API's address: Dure is not running (any more). */
  public static final class NotRunningException extends ApiException {
    private static final long serialVersionUID = 1L;

    NotRunningException(String message, Throwable cause) {
      super(503, message, cause);
    }
  }

  @Override
  public Status status() {
    return toStatus(object(call("GET", "status", null, null)));
  }

  @Override
  public SpaceInfo createSpace(String name) {
    return toSpace(object(call("POST", "spaces", null, Map.of("name", name))));
  }

  @Override
  public List<SpaceInfo> spaces() {
    return list(call("GET", "spaces", null, null), ApiClient::toSpace);
  }

  @Override
  public List<String> pageTitles(String space) {
    return strings(object(call("GET", "pages", "space=" + enc(space), null)).get("titles"));
  }

  @Override
  public Optional<String> pageBody(String space, String title) {
    try {
      Map<?, ?> r =
          object(call("GET", "page", "space=" + enc(space) + "&title=" + enc(title), null));
      return Optional.of(string(r, "body"));
    } catch (ApiException e) {
      if (e.status() == 404 && e.getMessage().startsWith("No page")) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public boolean putPage(String space, String title, String body) {
    Map<?, ?> r =
        object(
            call(
                "PUT",
                "page",
                "space=" + enc(space) + "&title=" + enc(title),
                Map.of("body", body)));
    return bool(r, "created");
  }

  @Override
  public String createInvite(String space, String role, Duration validity, boolean peerIdOnly) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("space", space);
    body.put("role", role);
    body.put("validitySeconds", validity.toSeconds());
    body.put("peerIdOnly", peerIdOnly);
    return string(object(call("POST", "invites", null, body)), "link");
  }

  @Override
  public Joined acceptInvite(String link) {
    Map<?, ?> r = object(call("POST", "invites/accept", null, Map.of("link", link)));
    return new Joined(string(r, "spaceId"), string(r, "spaceName"), string(r, "inviter"));
  }

  @Override
  public String connect(String multiaddr) {
    return string(object(call("POST", "connect", null, Map.of("address", multiaddr))), "peerId");
  }

  @Override
  public UsageReport usage() {
    Map<?, ?> r = object(call("GET", "usage", null, null));
    return new UsageReport(
        list(
            r.get("peers"),
            p ->
                new PeerUsageInfo(
                    string(p, "peerId"),
                    number(p, "bytesIn"),
                    number(p, "bytesOut"),
                    number(p, "connections"),
                    (int) number(p, "openConnections"),
                    string(p, "lastSeen"))),
        number(r, "storageForOthersBytes"),
        number(r, "storageCapBytes"),
        (int) number(r, "openConnections"),
        number(r, "uploadCapBytesPerSecond"));
  }

  @Override
  public List<PeerInfo> peers() {
    return list(
        call("GET", "peers", null, null),
        p ->
            new PeerInfo(
                string(p, "peerId"),
                string(p, "address"),
                string(p, "direction"),
                string(p, "kind"),
                bool(p, "syncing")));
  }

  @Override
  public boolean setOffline(boolean offline) {
    return bool(object(call("PUT", "offline", null, Map.of("offline", offline))), "offline");
  }

  @Override
  public List<MemberInfo> members(String space) {
    return list(call("GET", "members", "space=" + enc(space), null), ApiClient::toMember);
  }

  @Override
  public List<MemberInfo> setRole(String space, String peer, String role) {
    return list(
        call("PUT", "role", null, Map.of("space", space, "peer", peer, "role", role)),
        ApiClient::toMember);
  }

  @Override
  public RevertInfo revertEditsBy(String space, String peer, Instant since, String reason) {
    Map<?, ?> r =
        object(
            call(
                "POST",
                "revert",
                null,
                Map.of(
                    "space",
                    space,
                    "peer",
                    peer,
                    "since",
                    since.toString(),
                    "reason",
                    reason == null ? "" : reason)));
    return new RevertInfo(
        string(r, "peerId"),
        string(r, "since"),
        strings(r.get("changed")),
        strings(r.get("partly")),
        strings(r.get("hidden")));
  }

  @Override
  public String renamePage(String space, String title, String newTitle) {
    Map<?, ?> r =
        object(
            call(
                "POST",
                "page/rename",
                null,
                Map.of("space", space, "title", title, "newTitle", newTitle)));
    return string(r, "title");
  }

  @Override
  public String movePage(String space, String title, String target) {
    Map<?, ?> r =
        object(
            call(
                "POST",
                "page/move",
                null,
                Map.of("space", space, "title", title, "target", target)));
    return string(r, "space");
  }

  @Override
  public void deletePage(String space, String title) {
    call("POST", "page/delete", null, Map.of("space", space, "title", title));
  }

  @Override
  public void restorePage(String space, String title) {
    call("POST", "page/restore", null, Map.of("space", space, "title", title));
  }

  @Override
  public List<TrashInfo> trash(String space) {
    return list(
        call("GET", "trash", "space=" + enc(space), null),
        m ->
            new TrashInfo(
                string(m, "title"),
                string(m, "deletedBy"),
                string(m, "deleted"),
                string(m, "purgeAt")));
  }

  @Override
  public void block(String peer, String reason) {
    call("POST", "block", null, Map.of("peer", peer, "reason", reason == null ? "" : reason));
  }

  @Override
  public void unblock(String peer) {
    call("POST", "unblock", null, Map.of("peer", peer));
  }

  @Override
  public void mute(String peer, String reason) {
    call("POST", "mute", null, Map.of("peer", peer, "reason", reason == null ? "" : reason));
  }

  @Override
  public void unmute(String peer) {
    call("POST", "unmute", null, Map.of("peer", peer));
  }

  @Override
  public ExportInfo exportSpace(String space, String folder, boolean html) {
    Map<?, ?> r =
        object(
            call(
                "POST",
                "export",
                null,
                Map.of("space", space, "folder", folder, "html", html),
                LONG_TIMEOUT));
    return new ExportInfo(
        string(r, "folder"),
        (int) number(r, "pages"),
        (int) number(r, "attachments"),
        strings(r.get("damaged")));
  }

  @Override
  public ImportInfo importFolder(String space, String folder, boolean rename) {
    Map<?, ?> r =
        object(
            call(
                "POST",
                "import",
                null,
                Map.of("space", space, "folder", folder, "rename", rename),
                LONG_TIMEOUT));
    return new ImportInfo(
        strings(r.get("created")),
        list(r.get("skipped"), ApiClient::toClash),
        list(r.get("renamed"), ApiClient::toClash),
        list(
            r.get("notes"),
            n -> new NoteInfo(string(n, "path"), string(n, "kind"), string(n, "detail"))),
        (int) number(r, "otherFiles"));
  }

  private static ClashInfo toClash(Map<?, ?> m) {
    return new ClashInfo(string(m, "path"), string(m, "title"), string(m, "newTitle"));
  }

  private static Status toStatus(Map<?, ?> r) {
    return new Status(
        string(r, "peerId"),
        bool(r, "running"),
        bool(r, "online"),
        strings(r.get("listen")),
        list(r.get("spaces"), ApiClient::toSpace),
        (int) number(r, "blockedPeers"),
        (int) number(r, "connectedPeers"));
  }

  private static SpaceInfo toSpace(Map<?, ?> m) {
    return new SpaceInfo(string(m, "id"), string(m, "name"), (int) number(m, "pages"));
  }

  private static MemberInfo toMember(Map<?, ?> m) {
    return new MemberInfo(string(m, "peerId"), string(m, "role"));
  }

  private static Map<?, ?> object(Object json) {
    if (json instanceof Map<?, ?> map) {
      return map;
    }
    throw new ApiException(502, "The local API answered with an unexpected value.");
  }

  private static <T> List<T> list(Object json, Function<Map<?, ?>, T> element) {
    if (json == null) {
      return List.of();
    }
    if (!(json instanceof List<?> items)) {
      throw new ApiException(502, "The local API answered with an unexpected value.");
    }
    List<T> out = new ArrayList<>(items.size());
    for (Object item : items) {
      out.add(element.apply(object(item)));
    }
    return out;
  }

  private static List<String> strings(Object json) {
    if (json == null) {
      return List.of();
    }
    if (!(json instanceof List<?> items)) {
      throw new ApiException(502, "The local API answered with an unexpected value.");
    }
    List<String> out = new ArrayList<>(items.size());
    for (Object item : items) {
      out.add(item == null ? null : item.toString());
    }
    return out;
  }

  /** A member as a string (null when missing or null; a number or boolean as its text). */
  private static String string(Map<?, ?> m, String name) {
    Object v = m.get(name);
    return v == null ? null : v.toString();
  }

  private static long number(Map<?, ?> m, String name) {
    return m.get(name) instanceof Number n ? n.longValue() : 0;
  }

  private static boolean bool(Map<?, ?> m, String name) {
    return Boolean.TRUE.equals(m.get(name));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private Object call(String method, String path, String query, Map<String, ?> body) {
    return call(method, path, query, body, timeout);
  }

  private Object call(
      String method, String path, String query, Map<String, ?> body, Duration readTimeout) {
    URI uri = base.resolve(path + (query == null ? "" : "?" + query));
    int status;
    byte[] bytes;
    try {
      HttpURLConnection http = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
      try {
        http.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
        http.setReadTimeout((int) Math.min(Integer.MAX_VALUE, readTimeout.toMillis()));
        http.setUseCaches(false);
        http.setInstanceFollowRedirects(false);
        http.setRequestMethod(method);
        http.setRequestProperty("Authorization", "Bearer " + token);
        http.setRequestProperty("Accept", "application/json");
        if (body != null) {
          byte[] json = Json.write(body, false).getBytes(StandardCharsets.UTF_8);
          http.setDoOutput(true);
          http.setRequestProperty("Content-Type", "application/json");
          http.setFixedLengthStreamingMode(json.length);
          try (OutputStream out = http.getOutputStream()) {
            out.write(json);
          }
        }
        status = http.getResponseCode();
        try (InputStream in = status >= 400 ? http.getErrorStream() : http.getInputStream()) {
          bytes = in == null ? new byte[0] : in.readNBytes(MAX_RESPONSE_BYTES + 1);
        }
      } finally {
        http.disconnect();
      }
    } catch (ConnectException e) {
      throw new NotRunningException("Dure does not answer at " + base, e);
    } catch (IOException e) {
      throw new NotRunningException("Dure's local API failed: " + e.getMessage(), e);
    }
    if (bytes.length > MAX_RESPONSE_BYTES) {
      throw new ApiException(502, "The local API's answer is too large.");
    }
    Object json;
    try {
      String text = new String(bytes, StandardCharsets.UTF_8);
      json = text.isBlank() ? null : Json.parse(text);
    } catch (Json.ParseException e) {
      throw new ApiException(502, "The local API answered with something that is not JSON.", e);
    }
    if (status != 200) {
      Object err = json instanceof Map<?, ?> map ? map.get("error") : null;
      throw new ApiException(status, err instanceof String s ? s : "HTTP " + status);
    }
    return json;
  }
}

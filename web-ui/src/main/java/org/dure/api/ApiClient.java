package org.dure.api;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@link DureApi} through the local API of a running Dure ({@link LocalApiServer}). */
public final class ApiClient implements DureApi {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

  private final URI base;
  private final String token;
  private final HttpClient http;
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
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(3))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
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
    return convert(call("GET", "status", null, null), Status.class);
  }

  @Override
  public SpaceInfo createSpace(String name) {
    return convert(call("POST", "spaces", null, Map.of("name", name)), SpaceInfo.class);
  }

  @Override
  public List<SpaceInfo> spaces() {
    return JSON.convertValue(call("GET", "spaces", null, null), new TypeReference<>() {});
  }

  @Override
  public List<String> pageTitles(String space) {
    JsonNode r = call("GET", "pages", "space=" + enc(space), null);
    return JSON.convertValue(r.get("titles"), new TypeReference<List<String>>() {});
  }

  @Override
  public Optional<String> pageBody(String space, String title) {
    try {
      JsonNode r = call("GET", "page", "space=" + enc(space) + "&title=" + enc(title), null);
      return Optional.of(r.get("body").asString());
    } catch (ApiException e) {
      if (e.status() == 404 && e.getMessage().startsWith("No page")) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public boolean putPage(String space, String title, String body) {
    JsonNode r =
        call("PUT", "page", "space=" + enc(space) + "&title=" + enc(title), Map.of("body", body));
    return r.get("created").asBoolean();
  }

  @Override
  public String createInvite(String space, String role, Duration validity, boolean peerIdOnly) {
    JsonNode r =
        call(
            "POST",
            "invites",
            null,
            Map.of(
                "space",
                space,
                "role",
                role,
                "validitySeconds",
                validity.toSeconds(),
                "peerIdOnly",
                peerIdOnly));
    return r.get("link").asString();
  }

  @Override
  public Joined acceptInvite(String link) {
    return convert(call("POST", "invites/accept", null, Map.of("link", link)), Joined.class);
  }

  @Override
  public String connect(String multiaddr) {
    return call("POST", "connect", null, Map.of("address", multiaddr)).get("peerId").asString();
  }

  @Override
  public UsageReport usage() {
    return convert(call("GET", "usage", null, null), UsageReport.class);
  }

  @Override
  public List<PeerInfo> peers() {
    return JSON.convertValue(call("GET", "peers", null, null), new TypeReference<>() {});
  }

  @Override
  public boolean setOffline(boolean offline) {
    return call("PUT", "offline", null, Map.of("offline", offline)).get("offline").asBoolean();
  }

  @Override
  public List<MemberInfo> members(String space) {
    return JSON.convertValue(
        call("GET", "members", "space=" + enc(space), null), new TypeReference<>() {});
  }

  @Override
  public List<MemberInfo> setRole(String space, String peer, String role) {
    return JSON.convertValue(
        call("PUT", "role", null, Map.of("space", space, "peer", peer, "role", role)),
        new TypeReference<>() {});
  }

  @Override
  public RevertInfo revertEditsBy(String space, String peer, Instant since, String reason) {
    return convert(
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
                reason == null ? "" : reason)),
        RevertInfo.class);
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

  private <T> T convert(JsonNode node, Class<T> type) {
    return JSON.convertValue(node, type);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private JsonNode call(String method, String path, String query, Object body) {
    URI uri = base.resolve(path + (query == null ? "" : "?" + query));
    HttpRequest.Builder req =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Authorization", "Bearer " + token)
            .header("Accept", "application/json");
    if (body == null) {
      req.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      req.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
    }
    HttpResponse<byte[]> resp;
    try {
      resp = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (ConnectException e) {
      throw new NotRunningException("Dure does not answer at " + base, e);
    } catch (IOException e) {
      throw new NotRunningException("Dure's local API failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, "Interrupted", e);
    }
    byte[] bytes = resp.body();
    if (bytes.length > MAX_RESPONSE_BYTES) {
      throw new ApiException(502, "The local API's answer is too large.");
    }
    JsonNode json;
    try {
      json = JSON.readTree(bytes);
    } catch (JacksonException e) {
      throw new ApiException(502, "The local API answered with something that is not JSON.", e);
    }
    if (resp.statusCode() != 200) {
      JsonNode err = json == null ? null : json.get("error");
      throw new ApiException(
          resp.statusCode(),
          err != null && err.isString() ? err.asString() : "HTTP " + resp.statusCode());
    }
    return json;
  }
}

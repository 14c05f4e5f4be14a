package org.dure.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The local JSON API of a running Dure, on 127.0.0.1 only, for the command line and scripts. Every
 * request needs {@code Authorization: Bearer TOKEN} (the token is in {@link ApiToken#FILE_NAME},
 * owner-readable only) and a {@code Host} of 127.0.0.1, localhost or [::1] with the API's port (so
 * a web page cannot reach it through DNS rebinding; see {@link LoopbackHosts}); a request with an
 * {@code Origin} header other than this server's own is refused too. Request bodies are JSON
 * objects, at most {@value #MAX_REQUEST_BYTES} bytes.
 *
 * <pre>
 * GET  /api/status                          DureApi.Status
 * GET  /api/spaces                          [SpaceInfo]
 * POST /api/spaces {"name"}                 SpaceInfo
 * GET  /api/pages?space=S                   {"titles": [...]}
 * GET  /api/page?space=S&amp;title=T            {"title", "body"}      (404 if missing)
 * PUT  /api/page?space=S&amp;title=T {"body"}   {"created": bool}
 * POST /api/page/rename {"space", "title", "newTitle"}   {"title"}   (editors and above)
 * POST /api/page/move {"space", "title", "target"}       {"space"}   (the new page's space id)
 * POST /api/page/delete {"space", "title"}               {}          (to the space's trash)
 * POST /api/page/restore {"space", "title"}              {}          (from the space's trash)
 * GET  /api/trash?space=S                   [TrashInfo]
 * POST /api/invites {"space", "role", "validitySeconds", "peerIdOnly"}   {"link"}
 * POST /api/invites/accept {"link"}         {"spaceId", "spaceName", "inviter"}
 * POST /api/connect {"address"}             {"peerId"}  (address: a multiaddr or a bare peer ID)
 * GET  /api/peers                           [PeerInfo]
 * GET  /api/usage                           UsageReport (the per-peer ledger)
 * PUT  /api/offline {"offline": bool}       {"offline"}
 * POST /api/revert {"space", "peer", "since", "reason"}   RevertInfo (owner and moderators)
 * POST /api/export {"space", "folder", "html"}    ExportInfo   (folder: absolute, new or empty)
 * POST /api/import {"space", "folder", "rename"}  ImportInfo   (editors, moderators, owner)
 * </pre>
 *
 * Errors: the HTTP status of the {@link ApiException} and {@code {"error": "message"}}.
 */
public final class LocalApiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalApiServer.class);

  /** Largest request body accepted. */
  public static final int MAX_REQUEST_BYTES = 16 * 1024 * 1024 + 4096;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final DureApi api;
  private final String token;
  private final HttpServer server;
  private final ExecutorService executor;

  private LocalApiServer(DureApi api, String token, HttpServer server, ExecutorService executor) {
    this.api = api;
    this.token = token;
    this.server = server;
    this.executor = executor;
  }

  /**
   * Starts serving on 127.0.0.1.
   *
   * @param port the TCP port, 0 for any free one
   */
  public static LocalApiServer start(DureApi api, String token, int port) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 32);
    ExecutorService executor =
        Executors.newFixedThreadPool(
            4,
            r -> {
              Thread t = new Thread(r, "dure-api");
              t.setDaemon(true);
              return t;
            });
    LocalApiServer api0 = new LocalApiServer(api, token, server, executor);
    server.createContext("/api/", api0::handle);
    server.setExecutor(executor);
    server.start();
    return api0;
  }

  /** The base URL, {@code http://127.0.0.1:PORT/api/}. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/";
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      try {
        int port = ex.getLocalAddress().getPort();
        if (!LoopbackHosts.isAllowedHost(ex.getRequestHeaders().getFirst("Host"), port)) {
          throw new ApiException(403, "The local API answers only requests to 127.0.0.1.");
        }
        String origin = ex.getRequestHeaders().getFirst("Origin");
        if (origin != null && !LoopbackHosts.isAllowedOrigin(origin, port)) {
          throw new ApiException(403, "The local API answers no requests from web pages.");
        }
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null
            || !auth.startsWith("Bearer ")
            || !ApiToken.matches(token, auth.substring(7).strip())) {
          throw new ApiException(
              401, "Missing or wrong API token (it is in the data directory's api-token file).");
        }
        Object result = route(ex);
        send(ex, 200, result);
      } catch (ApiException e) {
        send(ex, e.status(), Map.of("error", e.getMessage()));
      } catch (RuntimeException e) {
        LOG.warn("Local API request {} {} failed", ex.getRequestMethod(), ex.getRequestURI(), e);
        send(ex, 500, Map.of("error", "Internal error: " + e));
      }
    }
  }

  private Object route(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
    String path = ex.getRequestURI().getPath();
    Map<String, String> query = query(ex.getRequestURI().getRawQuery());
    switch (method + " " + path) {
      case "GET /api/status" -> {
        return api.status();
      }
      case "GET /api/spaces" -> {
        return api.spaces();
      }
      case "POST /api/spaces" -> {
        return api.createSpace(text(body(ex), "name"));
      }
      case "GET /api/pages" -> {
        return Map.of("titles", api.pageTitles(param(query, "space")));
      }
      case "GET /api/page" -> {
        String title = param(query, "title");
        String body =
            api.pageBody(param(query, "space"), title)
                .orElseThrow(() -> ApiException.notFound("No page \"" + title + "\"."));
        return Map.of("title", title, "body", body);
      }
      case "PUT /api/page" -> {
        boolean created =
            api.putPage(param(query, "space"), param(query, "title"), text(body(ex), "body"));
        return Map.of("created", created);
      }
      case "POST /api/page/rename" -> {
        JsonNode b = body(ex);
        return Map.of(
            "title", api.renamePage(text(b, "space"), text(b, "title"), text(b, "newTitle")));
      }
      case "POST /api/page/move" -> {
        JsonNode b = body(ex);
        return Map.of("space", api.movePage(text(b, "space"), text(b, "title"), text(b, "target")));
      }
      case "POST /api/page/delete" -> {
        JsonNode b = body(ex);
        api.deletePage(text(b, "space"), text(b, "title"));
        return Map.of();
      }
      case "POST /api/page/restore" -> {
        JsonNode b = body(ex);
        api.restorePage(text(b, "space"), text(b, "title"));
        return Map.of();
      }
      case "GET /api/trash" -> {
        return api.trash(param(query, "space"));
      }
      case "POST /api/invites" -> {
        JsonNode b = body(ex);
        JsonNode seconds = b.get("validitySeconds");
        Duration validity =
            seconds == null || !seconds.canConvertToLong()
                ? Duration.ofDays(7)
                : Duration.ofSeconds(seconds.asLong());
        String role = b.has("role") ? text(b, "role") : "editor";
        boolean peerIdOnly = b.has("peerIdOnly") && b.get("peerIdOnly").asBoolean();
        return Map.of("link", api.createInvite(text(b, "space"), role, validity, peerIdOnly));
      }
      case "POST /api/invites/accept" -> {
        return api.acceptInvite(text(body(ex), "link"));
      }
      case "POST /api/connect" -> {
        return Map.of("peerId", api.connect(text(body(ex), "address")));
      }
      case "GET /api/peers" -> {
        return api.peers();
      }
      case "GET /api/usage" -> {
        return api.usage();
      }
      case "PUT /api/offline" -> {
        JsonNode v = body(ex).get("offline");
        if (v == null || !v.isBoolean()) {
          throw ApiException.badRequest("Expected {\"offline\": true|false}.");
        }
        return Map.of("offline", api.setOffline(v.asBoolean()));
      }
      case "GET /api/members" -> {
        return api.members(param(query, "space"));
      }
      case "PUT /api/role" -> {
        JsonNode b = body(ex);
        return api.setRole(text(b, "space"), text(b, "peer"), text(b, "role"));
      }
      case "POST /api/revert" -> {
        JsonNode b = body(ex);
        Instant since;
        try {
          since = Instant.parse(text(b, "since"));
        } catch (DateTimeParseException e) {
          throw ApiException.badRequest(
              "\"since\" is not a time like 2026-11-30T10:00:00Z: " + text(b, "since"));
        }
        String reason = b.has("reason") ? text(b, "reason") : "";
        return api.revertEditsBy(text(b, "space"), text(b, "peer"), since, reason);
      }
      case "POST /api/block", "POST /api/mute" -> {
        JsonNode b = body(ex);
        String reason = b.has("reason") ? text(b, "reason") : "";
        if (path.endsWith("block")) {
          api.block(text(b, "peer"), reason);
        } else {
          api.mute(text(b, "peer"), reason);
        }
        return Map.of("ok", true);
      }
      case "POST /api/unblock" -> {
        api.unblock(text(body(ex), "peer"));
        return Map.of("ok", true);
      }
      case "POST /api/unmute" -> {
        api.unmute(text(body(ex), "peer"));
        return Map.of("ok", true);
      }
      case "POST /api/export" -> {
        JsonNode b = body(ex);
        return api.exportSpace(text(b, "space"), text(b, "folder"), flag(b, "html"));
      }
      case "POST /api/import" -> {
        JsonNode b = body(ex);
        return api.importFolder(text(b, "space"), text(b, "folder"), flag(b, "rename"));
      }
      default -> throw ApiException.notFound("No such API call: " + method + " " + path);
    }
  }

  private static JsonNode body(HttpExchange ex) throws IOException {
    String declared = ex.getRequestHeaders().getFirst("Content-Length");
    if (declared != null) {
      try {
        if (Long.parseLong(declared.strip()) > MAX_REQUEST_BYTES) {
          throw new ApiException(413, "The request is too large.");
        }
      } catch (NumberFormatException e) {
        throw ApiException.badRequest("Bad Content-Length.");
      }
    }
    byte[] bytes;
    try (InputStream in = ex.getRequestBody()) {
      bytes = in.readNBytes(MAX_REQUEST_BYTES + 1);
    }
    if (bytes.length > MAX_REQUEST_BYTES) {
      throw new ApiException(413, "The request is too large.");
    }
    try {
      JsonNode node = JSON.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw ApiException.badRequest("The request body must be a JSON object.");
      }
      return node;
    } catch (JacksonException e) {
      throw ApiException.badRequest("The request body is not valid JSON.");
    }
  }

  private static String text(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || !v.isString()) {
      throw ApiException.badRequest("Expected a string \"" + field + "\" in the request.");
    }
    return v.asString();
  }

  private static boolean flag(JsonNode body, String field) {
    JsonNode v = body.get(field);
    return v != null && v.isBoolean() && v.asBoolean();
  }

  private static String param(Map<String, String> query, String name) {
    String v = query.get(name);
    if (v == null) {
      throw ApiException.badRequest("Missing query parameter \"" + name + "\".");
    }
    return v;
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    if (raw.length() > 8192) {
      throw ApiException.badRequest("The query is too long.");
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        out.put(
            URLDecoder.decode(k, StandardCharsets.UTF_8),
            URLDecoder.decode(v, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("Bad query encoding.");
      }
    }
    return out;
  }

  private static void send(HttpExchange ex, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}

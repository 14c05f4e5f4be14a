package org.dure.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The web UI answers only requests to its loopback names and port, and takes no state-changing
 * request from another site: tested with raw HTTP against the running application, as a
 * DNS-rebinding page (or another site's form) would send them.
 */
class LoopbackOnlyFilterTest {
  private static Path dataDir;
  private static DureApplication.Running app;
  private static int port;

  @BeforeAll
  static void start() throws IOException {
    dataDir = Files.createTempDirectory("dure-loopback-test");
    app = DureApplication.start(dataDir, 0);
    port = app.port();
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
  }

  /** A reply: its status code, headers (lower-case names) and body. */
  private record Reply(int status, String head, String body) {
    boolean isPage() {
      String b = body.toLowerCase(Locale.ROOT);
      return b.contains("<html") || b.contains("<!doctype") || b.contains("vaadin");
    }
  }

  /** Sends one raw HTTP/1.1 request with exactly these header lines and reads the whole reply. */
  private static Reply raw(String method, String path, List<String> headers, String body)
      throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(15_000);
      byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
      StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
      for (String h : headers) {
        req.append(h).append("\r\n");
      }
      if (body != null) {
        req.append("Content-Type: application/json; charset=UTF-8\r\n");
        req.append("Content-Length: ").append(b.length).append("\r\n");
      }
      req.append("Connection: close\r\n\r\n");
      OutputStream out = s.getOutputStream();
      out.write(req.toString().getBytes(StandardCharsets.US_ASCII));
      out.write(b);
      out.flush();
      return read(s.getInputStream());
    }
  }

  private static Reply read(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    in.transferTo(all); // Connection: close: the server ends the reply by closing
    String text = all.toString(StandardCharsets.UTF_8);
    int end = text.indexOf("\r\n\r\n");
    String head = end < 0 ? text : text.substring(0, end);
    String body = end < 0 ? "" : text.substring(end + 4);
    Matcher m = Pattern.compile("^HTTP/1\\.1 (\\d{3})").matcher(head);
    int status = m.find() ? Integer.parseInt(m.group(1)) : -1;
    return new Reply(status, head.toLowerCase(Locale.ROOT), body);
  }

  private static Reply get(String path, String host) throws IOException {
    return raw("GET", path, List.of("Host: " + host), null);
  }

  /** The path of a script of the production bundle that the start page loads. */
  private static String bundledScript() throws IOException {
    Reply page = get("/", "127.0.0.1:" + port);
    Matcher m = Pattern.compile("(VAADIN/build/[A-Za-z0-9._-]+\\.js)").matcher(page.body);
    assertTrue(m.find(), "the start page loads a bundled script: " + page.body);
    return "/" + m.group(1);
  }

  @Test
  void theLoopbackNamesWithThisPortGetThePage() throws Exception {
    for (String host :
        List.of("127.0.0.1:" + port, "localhost:" + port, "LocalHost:" + port, "[::1]:" + port)) {
      Reply r = get("/", host);
      assertEquals(200, r.status, host + ": " + r.head);
      assertTrue(r.isPage(), host + " gets the page");
    }
    // And an ordinary client, which writes Host itself.
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    for (String base : List.of(app.url(), "http://localhost:" + port + "/")) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(base)).timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), base);
      assertTrue(r.body().contains("<html") || r.body().contains("<!doctype"), base);
    }
    Reply script = get(bundledScript(), "localhost:" + port);
    assertEquals(200, script.status, script.head);
  }

  @Test
  void anotherHostNameGetsNoPageOnAnyPath() throws Exception {
    String script = bundledScript();
    List<String> hosts =
        List.of(
            "evil.example:" + port, // DNS rebinding: the page's own name, resolved to 127.0.0.1
            "evil.example",
            "127.0.0.1.evil.example:" + port,
            "localhost.:" + port,
            "localhost:" + (port == 65535 ? 1 : port + 1), // another server's port
            "127.0.0.1", // no port: port 80, not this one
            "[::2]:" + port,
            "");
    List<String> paths =
        List.of(
            "/",
            "/no-such-page",
            "/profile",
            script,
            "/styles.css",
            "/images/dure.svg",
            "/VAADIN/push",
            "/?v-r=heartbeat");
    for (String host : hosts) {
      for (String path : paths) {
        Reply r = get(path, host);
        assertEquals(LoopbackOnlyFilter.MISDIRECTED, r.status, "GET " + path + " Host " + host);
        assertFalse(r.isPage(), "GET " + path + " Host " + host + " got: " + r.body);
        assertTrue(r.body.length() < 200, r.body);
      }
    }
    // Without any Host header (HTTP/1.1 requires one): Tomcat itself answers 400 with its own
    // bare error report, before any of Dure's code; nothing of Dure's comes back.
    Reply none = raw("GET", "/", List.of(), null);
    assertTrue(none.status == 400 || none.status == LoopbackOnlyFilter.MISDIRECTED, none.head);
    assertFalse(none.body.toLowerCase(Locale.ROOT).contains("vaadin"), none.body);
    assertFalse(none.body.toLowerCase(Locale.ROOT).contains("dure"), none.body);
  }

  @Test
  void uidlHeartbeatAndPushToAnotherHostNameAreRefused() throws Exception {
    String evil = "Host: evil.example:" + port;
    for (String path : List.of("/?v-r=uidl&v-uiId=0", "/?v-r=heartbeat&v-uiId=0")) {
      Reply r = raw("POST", path, List.of(evil), "{\"csrfToken\":\"x\",\"rpc\":[]}");
      assertEquals(LoopbackOnlyFilter.MISDIRECTED, r.status, "POST " + path);
      assertFalse(r.isPage(), r.body);
    }
    Reply upgrade = raw("GET", "/VAADIN/push?v-uiId=0", websocket(evil, null), null);
    assertEquals(LoopbackOnlyFilter.MISDIRECTED, upgrade.status, upgrade.head);
    assertFalse(upgrade.head.contains("upgrade: websocket"), upgrade.head);
  }

  @Test
  void aStateChangingRequestFromAnotherSiteIsRefused() throws Exception {
    String host = "Host: 127.0.0.1:" + port;
    for (String origin :
        List.of(
            "http://evil.example:" + port,
            "http://evil.example",
            "null",
            "https://127.0.0.1:" + port,
            "http://127.0.0.1:" + (port == 65535 ? 1 : port + 1))) {
      for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
        Reply r =
            raw(method, "/?v-r=uidl&v-uiId=0", List.of(host, "Origin: " + origin), "{\"rpc\":[]}");
        assertEquals(403, r.status, method + " from " + origin);
        assertFalse(r.isPage(), r.body);
      }
      Reply upgrade = raw("GET", "/VAADIN/push?v-uiId=0", websocket(host, origin), null);
      assertEquals(403, upgrade.status, "WebSocket from " + origin + ": " + upgrade.head);
      // Reading is not changing: a page elsewhere may load (and cannot read) the start page.
      assertEquals(200, raw("GET", "/", List.of(host, "Origin: " + origin), null).status);
    }
    // The page's own origin, and no Origin at all (curl, scripts), pass this filter.
    for (List<String> headers :
        List.of(
            List.of(host, "Origin: http://127.0.0.1:" + port),
            List.of("Host: localhost:" + port, "Origin: http://localhost:" + port),
            List.of(host))) {
      Reply r = raw("POST", "/?v-r=uidl&v-uiId=0", headers, "{\"rpc\":[]}");
      assertNotEquals(403, r.status, headers + ": " + r.head + r.body);
      assertNotEquals(LoopbackOnlyFilter.MISDIRECTED, r.status, headers.toString());
    }
  }

  private static List<String> websocket(String host, String origin) {
    List<String> h =
        new ArrayList<>(
            List.of(
                host,
                "Upgrade: websocket",
                "Connection: Upgrade",
                "Sec-WebSocket-Version: 13",
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="));
    if (origin != null) {
      h.add("Origin: " + origin);
    }
    return h;
  }
}

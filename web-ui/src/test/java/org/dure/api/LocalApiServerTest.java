package org.dure.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dure.store.WikiStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalApiServerTest {
  @TempDir Path dir;
  private WikiStore store;
  private LocalApiServer server;
  private String token;

  @BeforeEach
  void start() throws IOException {
    store = WikiStore.open(dir);
    store.defaultSpace();
    token = ApiToken.ensure(dir);
    server = LocalApiServer.start(new LocalDure(store, dir), token, 0);
  }

  @AfterEach
  void stop() {
    server.close();
    store.close();
  }

  /** Sends a raw HTTP/1.1 request (so the Host header can be anything) and returns the reply. */
  private String raw(String method, String path, String host, String auth, String body)
      throws IOException {
    return raw(method, path, host, auth, body, -1);
  }

  /**
   * As above, declaring {@code length} bytes of body (when not -1) but sending only {@code body}.
   */
  private String raw(String method, String path, String host, String auth, String body, long length)
      throws IOException {
    int port = URI.create(server.url()).getPort();
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(10_000);
      byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
      StringBuilder req = new StringBuilder();
      req.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
      req.append("Host: ").append(host).append("\r\n");
      if (auth != null) {
        req.append("Authorization: ").append(auth).append("\r\n");
      }
      req.append("Content-Length: ")
          .append(length < 0 ? b.length : length)
          .append("\r\nConnection: close\r\n\r\n");
      OutputStream out = s.getOutputStream();
      out.write(req.toString().getBytes(StandardCharsets.US_ASCII));
      out.write(b);
      out.flush();
      return readReply(s.getInputStream());
    }
  }

  /** The status line, headers and the Content-Length bytes of body. */
  private static String readReply(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1) {
      head.write(c);
      String h = head.toString(StandardCharsets.US_ASCII);
      if (h.endsWith("\r\n\r\n")) {
        Matcher m = Pattern.compile("(?i)content-length: *(\\d+)").matcher(h);
        int n = m.find() ? Integer.parseInt(m.group(1)) : 0;
        return h + new String(in.readNBytes(n), StandardCharsets.UTF_8);
      }
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  @Test
  void usageReturnsTheLedgerAndTheClientReadsIt() throws IOException {
    String host = "127.0.0.1:" + URI.create(server.url()).getPort();
    String reply = raw("GET", "/api/usage", host, "Bearer " + token, null);
    assertTrue(reply.startsWith("HTTP/1.1 200"), reply);
    assertTrue(reply.contains("\"storageForOthersBytes\""), reply);
    DureApi.UsageReport r = new ApiClient(server.url(), token, Duration.ofSeconds(10)).usage();
    assertEquals(2048L << 20, r.storageCapBytes());
    assertEquals(0, r.openConnections());
  }

  @Test
  void theTokenFileIsOwnerOnlyAndStable() throws IOException {
    assertEquals(token, ApiToken.ensure(dir));
    assertTrue(token.length() >= 40, token);
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir.resolve("api-token"));
      assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), perms);
    } catch (UnsupportedOperationException notPosix) {
      // Windows: the profile directory's permissions apply
    }
  }

  @Test
  void requestsWithoutTheRightTokenAreRefused() throws IOException {
    String host = "127.0.0.1:" + URI.create(server.url()).getPort();
    assertTrue(raw("GET", "/api/status", host, null, null).startsWith("HTTP/1.1 401"));
    assertTrue(raw("GET", "/api/status", host, "Bearer nope", null).startsWith("HTTP/1.1 401"));
    String ok = raw("GET", "/api/status", host, "Bearer " + token, null);
    assertTrue(ok.startsWith("HTTP/1.1 200"), ok);
    assertTrue(ok.contains(store.identity().peerId().toString()), ok);
  }

  @Test
  void aRequestForAnotherHostNameIsRefused() throws IOException {
    // A web page that rebinds its own name to 127.0.0.1 still sends its name as Host.
    String reply = raw("GET", "/api/status", "evil.example:80", "Bearer " + token, null);
    assertTrue(reply.startsWith("HTTP/1.1 403"), reply);
    int port = URI.create(server.url()).getPort();
    for (String other :
        List.of(
            "evil.example:" + port, "127.0.0.1", "localhost:" + (port + 1), "127.0.0.1.nip.io")) {
      assertTrue(
          raw("GET", "/api/status", other, "Bearer " + token, null).startsWith("HTTP/1.1 403"),
          other);
    }
    for (String local : List.of("localhost:" + port, "[::1]:" + port)) {
      assertTrue(
          raw("GET", "/api/status", local, "Bearer " + token, null).startsWith("HTTP/1.1 200"),
          local);
    }
  }

  @Test
  void aRequestFromAWebPageIsRefusedEvenWithTheToken() throws IOException {
    int port = URI.create(server.url()).getPort();
    String reply =
        rawWithOrigin("POST", "/api/spaces", "http://evil.example:" + port, "{\"name\":\"x\"}");
    assertTrue(reply.startsWith("HTTP/1.1 403"), reply);
    assertEquals(1, store.spaces().size(), "no space was created");
    String own = rawWithOrigin("GET", "/api/status", "http://127.0.0.1:" + port, null);
    assertTrue(own.startsWith("HTTP/1.1 200"), own);
  }

  private String rawWithOrigin(String method, String path, String origin, String body)
      throws IOException {
    int port = URI.create(server.url()).getPort();
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(10_000);
      byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
      String req =
          method
              + " "
              + path
              + " HTTP/1.1\r\nHost: 127.0.0.1:"
              + port
              + "\r\nOrigin: "
              + origin
              + "\r\nAuthorization: Bearer "
              + token
              + "\r\nContent-Length: "
              + b.length
              + "\r\nConnection: close\r\n\r\n";
      OutputStream out = s.getOutputStream();
      out.write(req.getBytes(StandardCharsets.US_ASCII));
      out.write(b);
      out.flush();
      return readReply(s.getInputStream());
    }
  }

  @Test
  void badRequestsGetAClearErrorAndTheServerKeepsServing() throws IOException {
    String host = "127.0.0.1:" + URI.create(server.url()).getPort();
    String auth = "Bearer " + token;
    String notJson = raw("POST", "/api/spaces", host, auth, "{name:");
    assertTrue(notJson.startsWith("HTTP/1.1 400") && notJson.contains("not valid JSON"), notJson);
    String wrongType = raw("POST", "/api/spaces", host, auth, "{\"name\": 5}");
    assertTrue(wrongType.startsWith("HTTP/1.1 400"), wrongType);
    String unknown = raw("GET", "/api/nothing", host, auth, null);
    assertTrue(unknown.startsWith("HTTP/1.1 404"), unknown);
    String tooBig =
        raw("PUT", "/api/page?space=My%20wiki&title=Big", host, auth, "", 17L * 1024 * 1024);
    assertTrue(tooBig.startsWith("HTTP/1.1 413"), tooBig.substring(0, 40));
    String noNode = raw("POST", "/api/connect", host, auth, "{\"address\":\"/ip4/1.2.3.4/tcp/1\"}");
    assertTrue(noNode.startsWith("HTTP/1.1 503") && noNode.contains("not running"), noNode);
    assertTrue(raw("GET", "/api/spaces", host, auth, null).startsWith("HTTP/1.1 200"));
  }

  @Test
  void theClientSpeaksTheApiAndReportsErrorsWithTheirMessages() {
    ApiClient client = new ApiClient(server.url(), token, Duration.ofSeconds(10));
    DureApi.SpaceInfo village = client.createSpace("Village");
    assertTrue(client.putPage("Village", "Harvest", "벼와 콩"));
    assertEquals("벼와 콩", client.pageBody(village.id(), "harvest").orElseThrow());
    assertTrue(client.pageBody("Village", "Nothing").isEmpty());
    ApiException e = assertThrows(ApiException.class, () -> client.pageTitles("Nowhere"));
    assertEquals(404, e.status());
    assertTrue(e.getMessage().contains("No space \"Nowhere\""), e.getMessage());
    assertEquals(2, client.spaces().size());
    ApiException tooLong =
        assertThrows(
            ApiException.class, () -> client.putPage("Village", "Long", "x".repeat(2_000_001)));
    assertEquals(400, tooLong.status());
    assertTrue(tooLong.getMessage().contains("at most"), tooLong.getMessage());
    assertThrows(
        ApiException.class,
        () -> new ApiClient(server.url(), "wrong", Duration.ofSeconds(5)).status());
  }
}

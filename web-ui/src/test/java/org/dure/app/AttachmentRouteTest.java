package org.dure.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.dure.node.DureNode;
import org.dure.store.WikiStore;
import org.dure.store.blob.BlobManifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the attachment route answers, and with which headers. */
class AttachmentRouteTest {
  @TempDir Path dir;

  /** A response that records its status, headers and body. */
  static final class Answer {
    int status = 200;
    final Map<String, String> headers = new HashMap<>();
    final ByteArrayOutputStream body = new ByteArrayOutputStream();

    HttpServletResponse response() {
      ServletOutputStream out =
          new ServletOutputStream() {
            @Override
            public boolean isReady() {
              return true;
            }

            @Override
            public void setWriteListener(WriteListener l) {}

            @Override
            public void write(int b) {
              body.write(b);
            }
          };
      return (HttpServletResponse)
          Proxy.newProxyInstance(
              getClass().getClassLoader(),
              new Class<?>[] {HttpServletResponse.class},
              (p, m, a) -> {
                switch (m.getName()) {
                  case "setHeader" -> headers.put((String) a[0], (String) a[1]);
                  case "setContentType" -> headers.put("Content-Type", (String) a[0]);
                  case "sendError" -> status = (Integer) a[0];
                  case "getOutputStream" -> {
                    return out;
                  }
                  default -> {}
                }
                return null;
              });
    }
  }

  static HttpServletRequest request(String pathInfo, String thumb) {
    return (HttpServletRequest)
        Proxy.newProxyInstance(
            AttachmentRouteTest.class.getClassLoader(),
            new Class<?>[] {HttpServletRequest.class},
            (p, m, a) ->
                switch (m.getName()) {
                  case "getPathInfo" -> pathInfo;
                  case "getParameter" -> "thumb".equals(a[0]) ? thumb : null;
                  default -> null;
                });
  }

  static byte[] png(int w, int h) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB), "png", out);
    return out.toByteArray();
  }

  static byte[] bomb() {
    ByteBuffer b = ByteBuffer.allocate(8 + 25);
    b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    b.putInt(13).put(new byte[] {'I', 'H', 'D', 'R'}).putInt(100_000).putInt(100_000);
    b.put(new byte[] {8, 2, 0, 0, 0});
    CRC32 crc = new CRC32();
    crc.update(b.array(), 12, 17);
    b.putInt((int) crc.getValue());
    return b.array();
  }

  private Answer get(AttachmentRoute route, String path, String thumb) throws Exception {
    Answer a = new Answer();
    route.doGet(request(path, thumb), a.response());
    return a;
  }

  @Test
  void imagesInlineFilesAsDownloadsBombsNeverInline() throws Exception {
    try (WikiStore store = WikiStore.open(dir.resolve("s"));
        DureNode node = DureNode.on(store, dir.resolve("s")).build()) {
      var att = node.attachments();
      var space = store.defaultSpace().id();
      AttachmentRoute route = new AttachmentRoute(att);
      byte[] image = png(1200, 600);
      BlobManifest img = att.put(space, "cat.png", "image/png", new ByteArrayInputStream(image));
      BlobManifest html =
          att.put(
              space,
              "x\"; evil=1.html",
              "text/html",
              new ByteArrayInputStream("<script>alert(1)</script>".getBytes()));
      BlobManifest bomb = att.put(space, "bomb.png", "image/png", new ByteArrayInputStream(bomb()));

      Answer a = get(route, "/" + img.root().hex(), null);
      assertEquals(200, a.status);
      assertEquals("image/png", a.headers.get("Content-Type"));
      assertTrue(a.headers.get("Content-Disposition").startsWith("inline"));
      assertEquals("nosniff", a.headers.get("X-Content-Type-Options"));
      assertTrue(a.headers.get("Content-Security-Policy").contains("sandbox"));
      assertArrayEquals(image, a.body.toByteArray());

      Answer t = get(route, "/" + img.root().hex(), "");
      BufferedImage thumb = ImageIO.read(new ByteArrayInputStream(t.body.toByteArray()));
      assertEquals(640, thumb.getWidth());

      Answer h = get(route, "/" + html.root().hex(), null);
      String d = h.headers.get("Content-Disposition");
      assertTrue(d.startsWith("attachment; filename=\"x__ evil_1.html\""), d);
      assertTrue(d.contains("filename*=UTF-8''x%22%3B%20evil%3D1.html"), d);
      assertTrue(h.headers.get("Content-Security-Policy").contains("sandbox"));

      Answer b = get(route, "/" + bomb.root().hex(), null);
      assertTrue(b.headers.get("Content-Disposition").startsWith("attachment"), "a bomb downloads");
      assertEquals(415, get(route, "/" + bomb.root().hex(), "").status, "and has no thumbnail");

      assertEquals(404, get(route, "/" + "ab".repeat(32), null).status);
      assertEquals(404, get(route, "/../../dure.db", null).status);
    }
  }
}

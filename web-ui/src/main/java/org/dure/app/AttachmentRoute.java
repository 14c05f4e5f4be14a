package org.dure.app;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.dure.node.Attachments;
import org.dure.store.blob.BlobHash;
import org.dure.store.blob.BlobManifest;
import org.dure.store.blob.BlobStore;
import org.dure.ui.attach.Thumbnails;

/**
 * Serves attachments at {@code /attachments/ROOT} (ROOT: the blob's root hash) from this node's
 * blob store, behind the same loopback-only filter as every other request. Never a page of the app:
 * every answer says {@code nosniff} and a sandboxing content security policy, so nothing in an
 * attachment can run as Dure.
 *
 * <ul>
 *   <li>An image (PNG, JPEG, GIF) whose headers declare a size that may be shown ({@link
 *       Thumbnails#mayShow}) is served inline with its type; {@code ?thumb} gives its thumbnail.
 *   <li>Anything else, an image too large to check or a possible decompression bomb included, is a
 *       download: {@code Content-Disposition: attachment} with its name.
 *   <li>An attachment that is not whole here: 404 (the page fetches it from members while shown).
 * </ul>
 */
final class AttachmentRoute extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final int THUMB_CACHE = 64;

  private final transient Attachments attachments;
  private final transient Map<BlobHash, byte[]> thumbs =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<BlobHash, byte[]> e) {
          return size() > THUMB_CACHE;
        }
      };

  AttachmentRoute(Attachments attachments) {
    this.attachments = attachments;
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Content-Security-Policy", "default-src 'none'; sandbox");
    res.setHeader("Referrer-Policy", "no-referrer");
    String path = req.getPathInfo() == null ? "" : req.getPathInfo();
    String hex = path.startsWith("/") ? path.substring(1) : path;
    if (!BlobHash.isHash(hex)) {
      res.sendError(HttpServletResponse.SC_NOT_FOUND, "No such attachment");
      return;
    }
    BlobHash root = new BlobHash(hex);
    BlobStore blobs = attachments.blobs();
    Optional<BlobManifest> m = blobs.manifest(root);
    if (m.isEmpty() || !blobs.isComplete(root)) {
      res.sendError(
          HttpServletResponse.SC_NOT_FOUND,
          "This attachment is not on this computer yet: open its page while a member is online");
      return;
    }
    BlobManifest manifest = m.get();
    boolean thumb = req.getParameter("thumb") != null;
    byte[] image = null;
    if (Attachments.isImage(manifest.mediaType()) && manifest.size() <= Thumbnails.MAX_FILE) {
      try (InputStream in = blobs.open(root)) {
        image = in.readAllBytes(); // at most MAX_FILE, checked above
      }
      if (!Thumbnails.mayShow(image)) {
        image = null;
      }
    }
    res.setHeader("Cache-Control", "private, max-age=31536000, immutable");
    if (image != null && thumb) {
      byte[] t;
      synchronized (thumbs) {
        t = thumbs.get(root);
      }
      if (t == null) {
        t = Thumbnails.of(image).orElse(null);
        if (t == null) {
          res.sendError(HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE, "Cannot show this image");
          return;
        }
        synchronized (thumbs) {
          thumbs.put(root, t);
        }
      }
      send(res, "image/png", t);
      return;
    }
    if (image != null) {
      res.setHeader("Content-Disposition", disposition("inline", manifest.name()));
      send(res, manifest.mediaType(), image);
      return;
    }
    if (thumb) {
      res.sendError(HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE, "No thumbnail: download it");
      return;
    }
    res.setHeader("Content-Disposition", disposition("attachment", manifest.name()));
    res.setContentType(manifest.mediaType());
    res.setContentLengthLong(manifest.size());
    try (InputStream in = blobs.open(root);
        OutputStream out = res.getOutputStream()) {
      in.transferTo(out);
    }
  }

  private static void send(HttpServletResponse res, String type, byte[] body) throws IOException {
    res.setContentType(type);
    res.setContentLength(body.length);
    res.getOutputStream().write(body);
  }

  /**
   * A Content-Disposition whose file name cannot break out of the header: an ASCII fallback with
   * every unsafe character replaced, and the real name percent-encoded (RFC 6266, RFC 8187).
   */
  static String disposition(String kind, String name) {
    String ascii = name.replaceAll("[^A-Za-z0-9._ -]", "_");
    String encoded = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    return kind + "; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
  }
}

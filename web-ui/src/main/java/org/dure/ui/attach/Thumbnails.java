package org.dure.ui.attach;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.dure.store.social.ImageHeaders;

/**
 * Whether an attached image may be shown, and its thumbnail. An image from a peer is checked before
 * any browser or decoder sees it: its headers must declare a size (read without decoding, {@link
 * ImageHeaders}) of at most {@value #MAX_SIDE} pixels a side and {@value #MAX_PIXELS} pixels in
 * all, else it is a possible decompression bomb and is only offered for download. A thumbnail is
 * decoded subsampled (never the full image in memory) and scaled to at most {@value #THUMB_SIDE}
 * pixels a side.
 */
public final class Thumbnails {
  /** The largest side of an image shown. */
  public static final int MAX_SIDE = 16_000;

  /** The most pixels of an image shown (a 50-megapixel photo). */
  public static final long MAX_PIXELS = 50_000_000L;

  /** The largest file decoded for a thumbnail. */
  public static final int MAX_FILE = 32 << 20;

  /** The largest side of a thumbnail. */
  public static final int THUMB_SIDE = 640;

  private Thumbnails() {}

  /**
   * Whether {@code image} (PNG, JPEG or GIF) declares a size that may be shown; false for other
   * formats (WebP's headers are not read here) and for files too large to check.
   */
  public static boolean mayShow(byte[] image) {
    if (image.length > MAX_FILE) {
      return false;
    }
    Optional<ImageHeaders.Size> s = ImageHeaders.of(image);
    return s.isPresent()
        && s.get().fitsIn(MAX_SIDE)
        && (long) s.get().width() * s.get().height() <= MAX_PIXELS;
  }

  /**
   * A thumbnail of {@code image} as PNG, or empty if it may not be shown ({@link #mayShow}) or
   * cannot be decoded.
   */
  public static Optional<byte[]> of(byte[] image) {
    if (!mayShow(image)) {
      return Optional.empty();
    }
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(image))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        return Optional.empty();
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        int w = reader.getWidth(0);
        int h = reader.getHeight(0);
        if (w <= 0 || h <= 0 || w > MAX_SIDE || h > MAX_SIDE) {
          return Optional.empty(); // ImageIO's reading disagrees with the headers'
        }
        ImageReadParam param = reader.getDefaultReadParam();
        int step = Math.max(1, Math.max(w, h) / (2 * THUMB_SIDE));
        param.setSourceSubsampling(step, step, 0, 0);
        BufferedImage decoded = reader.read(0, param);
        return Optional.of(png(scale(decoded)));
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static BufferedImage scale(BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    double f = Math.min(1.0, (double) THUMB_SIDE / Math.max(w, h));
    int tw = Math.max(1, (int) Math.round(w * f));
    int th = Math.max(1, (int) Math.round(h * f));
    BufferedImage out = new BufferedImage(tw, th, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(img, 0, 0, tw, th, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  private static byte[] png(BufferedImage img) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!ImageIO.write(img, "png", out)) {
      throw new IOException("No PNG writer");
    }
    return out.toByteArray();
  }
}

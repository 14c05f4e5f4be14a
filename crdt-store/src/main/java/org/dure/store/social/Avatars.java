package org.dure.store.social;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Turns an uploaded picture into an {@link Avatar}: the type is told by the first bytes (PNG, JPEG,
 * GIF, or WebP if an ImageIO reader for it is installed), the file size and the image's dimensions
 * (read from its header, before anything is decoded, against decompression bombs) are bounded, and
 * the decoded image is scaled down to at most {@value #MAX_SIDE}×{@value #MAX_SIDE} pixels and
 * stored as PNG, or JPEG when that is smaller and the image is opaque.
 */
public final class Avatars {
  /** The largest upload taken. */
  public static final int MAX_UPLOAD = 5 * 1024 * 1024;

  /** The largest width or height an uploaded image may declare. */
  public static final int MAX_DIMENSION = 8_000;

  /** The largest width or height of a stored avatar. */
  public static final int MAX_SIDE = 128;

  /** Images are decoded subsampled to about this size at most, then scaled smoothly. */
  private static final int DECODE_SIDE = 4 * MAX_SIDE;

  private Avatars() {}

  /** Why an upload was refused. */
  public enum Reason {
    /** Nothing was uploaded. */
    EMPTY,
    /** More than {@link #MAX_UPLOAD} bytes. */
    FILE_TOO_LARGE,
    /** Not a PNG, JPEG, GIF or WebP file (by its first bytes). */
    NOT_AN_IMAGE,
    /** A WebP file, and no ImageIO reader for WebP is installed. */
    UNSUPPORTED_TYPE,
    /** Wider or taller than {@link #MAX_DIMENSION} pixels. */
    DIMENSIONS_TOO_LARGE,
    /** The image could not be decoded. */
    UNREADABLE,
    /** Even scaled down, the image does not fit {@link Avatar#MAX_BYTES}. */
    TOO_LARGE_AFTER_SCALING
  }

  /** An upload that cannot become an avatar, and why. */
  public static final class RefusedException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final Reason reason;

    RefusedException(Reason reason, String message) {
      super(message);
      this.reason = reason;
    }

    public Reason reason() {
      return reason;
    }
  }

  /**
   * Checks, decodes and scales {@code upload} into an avatar.
   *
   * @throws RefusedException with the reason if it cannot be used
   */
  public static Avatar fromUpload(byte[] upload) {
    if (upload == null || upload.length == 0) {
      throw new RefusedException(Reason.EMPTY, "The file is empty.");
    }
    if (upload.length > MAX_UPLOAD) {
      throw new RefusedException(
          Reason.FILE_TOO_LARGE,
          "The file has " + upload.length + " bytes; at most " + MAX_UPLOAD + " are taken.");
    }
    String format = formatOf(upload);
    if (format == null) {
      throw new RefusedException(
          Reason.NOT_AN_IMAGE, "The file is not a PNG, JPEG, GIF or WebP image.");
    }
    if (!format.equals("webp")) {
      // Our own reading of the header first (the JPEG's every frame, not only ImageIO's first).
      ImageHeaders.Size declared =
          ImageHeaders.of(upload)
              .orElseThrow(
                  () ->
                      new RefusedException(
                          Reason.UNREADABLE, "The image's header declares no readable size."));
      if (!declared.fitsIn(MAX_DIMENSION)) {
        throw tooLarge(declared.width(), declared.height());
      }
    }
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
    if (!readers.hasNext()) {
      throw new RefusedException(
          Reason.UNSUPPORTED_TYPE, "Images of type " + format + " cannot be read here.");
    }
    ImageReader reader = readers.next();
    BufferedImage decoded;
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(upload))) {
      reader.setInput(in, true, true);
      // Reads the header only: nothing is decoded before the size is known to be bounded.
      int w = reader.getWidth(0);
      int h = reader.getHeight(0);
      if (w <= 0 || h <= 0) {
        throw new RefusedException(Reason.UNREADABLE, "The image declares no size.");
      }
      if (w > MAX_DIMENSION || h > MAX_DIMENSION) {
        throw tooLarge(w, h);
      }
      ImageReadParam param = reader.getDefaultReadParam();
      int step = Math.max(1, Math.max(w, h) / DECODE_SIDE);
      param.setSourceSubsampling(step, step, 0, 0);
      decoded = reader.read(0, param);
    } catch (IOException | RuntimeException e) {
      if (e instanceof RefusedException r) {
        throw r;
      }
      throw new RefusedException(
          Reason.UNREADABLE, "The image could not be read: " + e.getMessage());
    } finally {
      reader.dispose();
    }
    return encode(scaleDown(decoded));
  }

  private static RefusedException tooLarge(int w, int h) {
    return new RefusedException(
        Reason.DIMENSIONS_TOO_LARGE,
        "The image is "
            + w
            + " × "
            + h
            + " pixels; at most "
            + MAX_DIMENSION
            + " × "
            + MAX_DIMENSION
            + " are taken.");
  }

  /** The ImageIO format name of these bytes by their first bytes, or null. */
  static String formatOf(byte[] b) {
    if (isPng(b)) {
      return "png";
    }
    if (isJpeg(b)) {
      return "jpeg";
    }
    if (startsWith(b, 0, "GIF87a") || startsWith(b, 0, "GIF89a")) {
      return "gif";
    }
    if (startsWith(b, 0, "RIFF") && startsWith(b, 8, "WEBP")) {
      return "webp";
    }
    return null;
  }

  static boolean isPng(byte[] b) {
    return b.length >= 8
        && (b[0] & 0xff) == 0x89
        && startsWith(b, 1, "PNG")
        && b[4] == 0x0d
        && b[5] == 0x0a
        && b[6] == 0x1a
        && b[7] == 0x0a;
  }

  static boolean isJpeg(byte[] b) {
    return b.length >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff;
  }

  private static boolean startsWith(byte[] b, int at, String ascii) {
    if (b.length < at + ascii.length()) {
      return false;
    }
    for (int i = 0; i < ascii.length(); i++) {
      if (b[at + i] != ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** The image fitted into {@value #MAX_SIDE}×{@value #MAX_SIDE}, aspect kept, never enlarged. */
  static BufferedImage scaleDown(BufferedImage src) {
    int w = src.getWidth();
    int h = src.getHeight();
    double scale = Math.min(1.0, Math.min((double) MAX_SIDE / w, (double) MAX_SIDE / h));
    int tw = Math.max(1, (int) Math.round(w * scale));
    int th = Math.max(1, (int) Math.round(h * scale));
    BufferedImage current = toArgb(src);
    // Halving steps first: one bilinear step from far larger skips pixels and looks grainy.
    while (current.getWidth() / 2 >= tw && current.getHeight() / 2 >= th) {
      current = draw(current, current.getWidth() / 2, current.getHeight() / 2);
    }
    if (current.getWidth() != tw || current.getHeight() != th) {
      current = draw(current, tw, th);
    }
    return current;
  }

  private static BufferedImage toArgb(BufferedImage src) {
    if (src.getType() == BufferedImage.TYPE_INT_ARGB) {
      return src;
    }
    return draw(src, src.getWidth(), src.getHeight());
  }

  private static BufferedImage draw(BufferedImage src, int w, int h) {
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(src, 0, 0, w, h, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  /** PNG, or JPEG if the image is opaque and that is smaller; must fit {@link Avatar#MAX_BYTES}. */
  static Avatar encode(BufferedImage img) {
    byte[] png = write(img, "png");
    byte[] best = png;
    String type = Avatar.PNG;
    if (isOpaque(img)) {
      BufferedImage rgb =
          new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
      Graphics2D g = rgb.createGraphics();
      try {
        g.drawImage(img, 0, 0, null);
      } finally {
        g.dispose();
      }
      byte[] jpeg = writeJpeg(rgb);
      if (jpeg.length < png.length) {
        best = jpeg;
        type = Avatar.JPEG;
      }
    }
    return Avatar.of(type, best)
        .orElseThrow(
            () ->
                new RefusedException(
                    Reason.TOO_LARGE_AFTER_SCALING,
                    "Even scaled down, the image has more than "
                        + Avatar.MAX_BYTES
                        + " bytes; try a simpler picture."));
  }

  private static boolean isOpaque(BufferedImage img) {
    if (!img.getColorModel().hasAlpha()) {
      return true;
    }
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        if ((img.getRGB(x, y) >>> 24) != 0xff) {
          return false;
        }
      }
    }
    return true;
  }

  private static byte[] write(BufferedImage img, String format) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(img, format, out)) {
        throw new IllegalStateException("No ImageIO writer for " + format);
      }
    } catch (IOException e) {
      throw new IllegalStateException("Writing " + format + " in memory failed", e);
    }
    return out.toByteArray();
  }

  private static byte[] writeJpeg(BufferedImage rgb) {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
    if (!writers.hasNext()) {
      return write(rgb, "jpeg");
    }
    ImageWriter writer = writers.next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(ios);
      ImageWriteParam p = writer.getDefaultWriteParam();
      p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      p.setCompressionQuality(0.85f);
      writer.write(null, new IIOImage(rgb, null, null), p);
    } catch (IOException e) {
      throw new IllegalStateException("Writing JPEG in memory failed", e);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }
}

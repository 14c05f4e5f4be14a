package org.dure.store.social;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;

/**
 * Images for tests of what is done with pictures from elsewhere: real ones made by ImageIO, and
 * small, valid-looking files whose headers claim a huge size (decompression bombs). In crdt-store's
 * test jar.
 */
public final class CraftedImages {
  private CraftedImages() {}

  /** A real image of {@code w} × {@code h} pixels in {@code format} ("png", "jpeg", "gif"). */
  public static byte[] real(int w, int h, String format) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(new Color(40, 110, 60));
    g.fillRect(0, 0, w, h);
    g.setColor(Color.WHITE);
    g.fillOval(w / 4, h / 4, w / 2, h / 2);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(img, format, out)) {
        throw new IllegalStateException("no writer for " + format);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * A PNG of well under 100 bytes, every chunk with its right CRC, whose IHDR declares {@code w} ×
   * {@code h} pixels (RGBA): decoded, it would take {@code 4·w·h} bytes. Its IDAT holds a little
   * compressed data of the first row.
   */
  public static byte[] pngClaiming(int w, int h) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a});
    ByteBuffer ihdr = ByteBuffer.allocate(13);
    ihdr.putInt(w).putInt(h).put((byte) 8).put((byte) 6).put((byte) 0).put((byte) 0).put((byte) 0);
    chunk(out, "IHDR", ihdr.array());
    Deflater d = new Deflater();
    d.setInput(new byte[1 + 64]);
    d.finish();
    byte[] z = new byte[128];
    int n = d.deflate(z);
    d.end();
    chunk(out, "IDAT", java.util.Arrays.copyOf(z, n));
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(12 + data.length);
    b.putInt(data.length);
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    b.put(t).put(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    b.putInt((int) crc.getValue());
    out.writeBytes(b.array());
  }

  /**
   * A baseline JPEG of about 200 bytes (JFIF header, quantisation and Huffman tables, one scan of a
   * few bytes) whose frame header declares {@code w} × {@code h} pixels.
   */
  public static byte[] jpegClaiming(int w, int h) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0xff, (byte) 0xd8});
    segment(out, 0xe0, new byte[] {'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0});
    byte[] dqt = new byte[65];
    java.util.Arrays.fill(dqt, (byte) 1);
    dqt[0] = 0;
    segment(out, 0xdb, dqt);
    out.writeBytes(frameHeader(w, h));
    byte[] dht = new byte[1 + 16 + 1];
    dht[1] = 1; // one code of length 1, for the symbol 0
    segment(out, 0xc4, dht);
    segment(out, 0xda, new byte[] {1, 1, 0, 0, 63, 0});
    out.writeBytes(new byte[] {0, 0, 0, 0, (byte) 0xff, 0, 0, 0});
    out.writeBytes(new byte[] {(byte) 0xff, (byte) 0xd9});
    return out.toByteArray();
  }

  /**
   * {@code jpeg} (a real one) with a second frame, declaring {@code w} × {@code h}, after its scan
   * and before its end.
   */
  public static byte[] jpegWithSecondFrame(byte[] jpeg, int w, int h) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(jpeg, 0, jpeg.length - 2); // without EOI
    out.writeBytes(frameHeader(w, h));
    segment(out, 0xda, new byte[] {1, 1, 0, 0, 63, 0});
    out.writeBytes(new byte[] {0, 0, 0, 0});
    out.writeBytes(new byte[] {(byte) 0xff, (byte) 0xd9});
    return out.toByteArray();
  }

  /** A baseline frame header (SOF0), one component, declaring {@code w} × {@code h}. */
  static byte[] frameHeader(int w, int h) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    segment(
        out,
        0xc0,
        new byte[] {8, (byte) (h >> 8), (byte) h, (byte) (w >> 8), (byte) w, 1, 1, 0x11, 0});
    return out.toByteArray();
  }

  private static void segment(ByteArrayOutputStream out, int marker, byte[] data) {
    out.write(0xff);
    out.write(marker);
    out.write((data.length + 2) >> 8);
    out.write(data.length + 2);
    out.writeBytes(data);
  }
}

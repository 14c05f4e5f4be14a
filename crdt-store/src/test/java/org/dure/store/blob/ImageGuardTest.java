package org.dure.store.blob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The image headers checked before an attachment is kept, fed whole and byte by byte. */
class ImageGuardTest {
  static byte[] encode(String format, int w, int h) throws IOException {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    img.setRGB(0, 0, 0xff8800);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertTrue(ImageIO.write(img, format, out));
    return out.toByteArray();
  }

  /** A PNG whose IHDR declares {@code w}×{@code h}, followed by a little junk (never decoded). */
  static byte[] pngHeader(long w, long h) {
    ByteBuffer b = ByteBuffer.allocate(8 + 8 + 13 + 4 + 100);
    b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    b.putInt(13).put(new byte[] {'I', 'H', 'D', 'R'}).putInt((int) w).putInt((int) h);
    b.put(new byte[] {8, 2, 0, 0, 0});
    return b.array();
  }

  /** A JPEG: SOI, an APP1 of {@code appBytes}, SOF0 of {@code w}×{@code h}, SOS, a few bytes. */
  static byte[] jpeg(int appBytes, int w, int h) {
    ByteBuffer b = ByteBuffer.allocate(appBytes + 100);
    b.put((byte) 0xff).put((byte) 0xd8);
    b.put((byte) 0xff).put((byte) 0xe1).putShort((short) (appBytes + 2)).put(new byte[appBytes]);
    b.put((byte) 0xff).put((byte) 0xff); // a fill byte before the marker
    b.put((byte) 0xc0).putShort((short) 17).put((byte) 8).putShort((short) h).putShort((short) w);
    b.put((byte) 3).put(new byte[9]);
    b.put((byte) 0xff).put((byte) 0xda).putShort((short) 12).put(new byte[10]);
    b.put(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    return Arrays.copyOf(b.array(), b.position());
  }

  private static ImageGuard.Verdict byteByByte(String type, byte[] data) {
    ImageGuard g = new ImageGuard(type);
    for (int i = 0; i < data.length; i++) {
      ImageGuard.Verdict v = g.feed(data, i, 1);
      if (v != null) {
        return v;
      }
    }
    return g.end();
  }

  @Test
  void realSmallImagesAreKeptWholeOrByteByByte() throws IOException {
    for (String[] f :
        new String[][] {{"png", "image/png"}, {"jpg", "image/jpeg"}, {"gif", "image/gif"}}) {
      byte[] img = encode(f[0], 640, 480);
      assertTrue(ImageGuard.check(f[1], img).keep(), f[0]);
      assertTrue(byteByByte(f[1], img).keep(), f[0]);
      assertTrue(ImageGuard.check("application/octet-stream", img).keep(), f[0]);
    }
  }

  @Test
  void aPngBombIsRefusedFromItsFirst24Bytes() {
    byte[] bomb = pngHeader(100_000, 100_000);
    ImageGuard g = new ImageGuard("image/png");
    assertNull(g.feed(bomb, 0, 23), "no verdict before the IHDR's height");
    ImageGuard.Verdict v = g.feed(bomb, 23, 1);
    assertFalse(v.keep());
    assertTrue(v.reason().contains("100000×100000"), v.reason());
    // Said to be anything else, bytes that are a PNG are checked all the same.
    assertFalse(ImageGuard.check("application/octet-stream", bomb).keep());
    assertFalse(ImageGuard.check("image/jpeg", bomb).keep());
  }

  @Test
  void theLimitsAreASideAndAPixelCount() {
    assertTrue(ImageGuard.check("image/png", pngHeader(16_000, 3_000)).keep());
    assertFalse(ImageGuard.check("image/png", pngHeader(16_001, 10)).keep());
    assertFalse(ImageGuard.check("image/png", pngHeader(8_000, 8_000)).keep(), "64 megapixels");
    assertFalse(ImageGuard.check("image/png", pngHeader(0xffffffffL, 1)).keep());
    assertFalse(ImageGuard.check("image/png", pngHeader(0, 10)).keep());
  }

  @Test
  void aJpegIsJudgedByItsFrameHeaderAfterLongMetadataWhereverTheBytesAreCut() {
    byte[] ok = jpeg(60_000, 4000, 3000);
    byte[] bomb = jpeg(60_000, 65_000, 65_000);
    assertTrue(ImageGuard.check("image/jpeg", ok).keep());
    assertTrue(byteByByte("image/jpeg", ok).keep());
    assertFalse(ImageGuard.check("image/jpeg", bomb).keep());
    assertFalse(byteByByte("image/jpeg", bomb).keep());
    for (int cut = 1; cut < ok.length; cut += 997) {
      ImageGuard g = new ImageGuard("image/jpeg");
      ImageGuard.Verdict v = g.feed(ok, 0, cut);
      if (v == null) {
        v = g.feed(ok, cut, ok.length - cut);
      }
      assertTrue(v.keep(), "cut at " + cut);
    }
  }

  @Test
  void aJpegWithoutAFrameSizeBeforeItsScanIsRefused() {
    byte[] later = jpeg(10, 100, 0); // 0 lines: "given later" in a DNL segment
    assertFalse(ImageGuard.check("image/jpeg", later).keep());
    byte[] noFrame = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xda, 0, 2, 1, 2};
    assertFalse(ImageGuard.check("image/jpeg", noFrame).keep());
    byte[] cutShort = Arrays.copyOf(jpeg(10, 100, 100), 20);
    assertFalse(ImageGuard.check("image/jpeg", cutShort).keep());
  }

  @Test
  void headersThatNeverEndAreRefusedAfterTheBound() {
    // APP segments of 65,535 bytes forever: refused once the bound is read, nothing allocated.
    ImageGuard g = new ImageGuard("image/jpeg");
    assertNull(g.feed(new byte[] {(byte) 0xff, (byte) 0xd8}, 0, 2));
    byte[] segment = new byte[65_537];
    segment[0] = (byte) 0xff;
    segment[1] = (byte) 0xe2;
    segment[2] = (byte) 0xff;
    segment[3] = (byte) 0xff;
    ImageGuard.Verdict v = null;
    long fed = 2;
    while (v == null) {
      v = g.feed(segment, 0, segment.length);
      fed += segment.length;
      assertTrue(fed < ImageGuard.MAX_HEADER_BYTES + 2L * segment.length);
    }
    assertFalse(v.keep());
  }

  @Test
  void anImageTypeWithBytesOfNoImageIsRefusedOtherFilesAreKept() {
    byte[] noise = new byte[5000];
    new Random(3).nextBytes(noise);
    noise[0] = 'x';
    assertFalse(ImageGuard.check("image/png", noise).keep());
    assertFalse(ImageGuard.check("image/webp", new byte[0]).keep());
    assertTrue(ImageGuard.check("application/pdf", noise).keep());
    assertTrue(
        ImageGuard.check("text/plain", "GIF".getBytes()).keep(), "starts like one, too short");
    assertTrue(ImageGuard.check("application/octet-stream", new byte[0]).keep());
    assertTrue(ImageGuard.check("image/svg+xml", "<svg/>".getBytes()).keep(), "not shown inline");
  }

  @Test
  void gifAndWebpSizesAreRead() {
    ImageGuard.Verdict screen = ImageGuard.check("image/gif", gif(40_000, 40_000, 10, 10));
    assertFalse(screen.keep());
    assertTrue(screen.reason().contains("40000×40000"), screen.reason());
    ImageGuard.Verdict frame = ImageGuard.check("image/gif", gif(10, 10, 60_000, 60_000));
    assertFalse(frame.keep(), "a first frame larger than the screen counts");
    assertTrue(frame.reason().contains("60000×60000"), frame.reason());
    assertTrue(ImageGuard.check("image/gif", gif(100, 100, 100, 100)).keep());
    assertTrue(byteByByte("image/gif", gif(100, 100, 100, 100)).keep());
    byte[] noImage = Arrays.copyOf(gif(100, 100, 100, 100), 13 + 6 + 10 + 1);
    noImage[13 + 6 + 10] = 0x3b; // the trailer where the image descriptor belongs
    assertFalse(ImageGuard.check("image/gif", noImage).keep());
    byte[] vp8x = webp("VP8X");
    vp8x[24] = (byte) 0xff; // canvas width 2^24
    vp8x[25] = (byte) 0xff;
    vp8x[26] = (byte) 0xff;
    ImageGuard.Verdict v = ImageGuard.check("image/webp", vp8x);
    assertFalse(v.keep());
    assertTrue(v.reason().contains("16777216×1"), v.reason());
    byte[] small = webp("VP8X");
    small[24] = 99; // 100×1
    assertTrue(ImageGuard.check("image/webp", small).keep());
    assertEquals(false, ImageGuard.check("image/webp", webp("JUNK")).keep());
  }

  /**
   * A GIF89a: a screen of {@code sw}×{@code sh} with a 2-color table, a comment extension of two
   * sub-blocks, then an image descriptor of {@code fw}×{@code fh} and a little data.
   */
  private static byte[] gif(int sw, int sh, int fw, int fh) {
    ByteBuffer b = ByteBuffer.allocate(64).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.put("GIF89a".getBytes()).putShort((short) sw).putShort((short) sh);
    b.put((byte) 0x80).put((byte) 0).put((byte) 0); // a global color table of 2 entries
    b.put(new byte[6]);
    b.put((byte) 0x21).put((byte) 0xfe).put((byte) 3).put(new byte[3]).put((byte) 2);
    b.put(new byte[2]).put((byte) 0);
    b.put((byte) 0x2c).putShort((short) 0).putShort((short) 0);
    b.putShort((short) fw).putShort((short) fh).put((byte) 0);
    b.put(new byte[] {2, 2, 0x4c, 0x01, 0, 0x3b});
    return Arrays.copyOf(b.array(), b.position());
  }

  private static byte[] webp(String chunk) {
    byte[] b = new byte[40];
    System.arraycopy("RIFF".getBytes(), 0, b, 0, 4);
    System.arraycopy("WEBP".getBytes(), 0, b, 8, 4);
    System.arraycopy(chunk.getBytes(), 0, b, 12, 4);
    return b;
  }
}

package org.dure.store.social;

import java.util.Optional;

/**
 * The pixel dimensions an image file declares, read from its headers without decoding anything: a
 * PNG's {@code IHDR}, every frame header ({@code SOFn}) of a JPEG, a GIF's logical screen. What a
 * browser would allocate to show the image follows from these, so they are checked before an image
 * from elsewhere is decoded or handed to a browser (a small file can declare a huge image: a
 * decompression bomb).
 */
public final class ImageHeaders {
  private ImageHeaders() {}

  /**
   * Width and height in pixels.
   *
   * @param width at least 1
   * @param height at least 1
   */
  public record Size(int width, int height) {
    public boolean fitsIn(int side) {
      return width <= side && height <= side;
    }
  }

  /**
   * The size {@code b} declares if it is a PNG, JPEG or GIF whose headers can be read; empty if it
   * is none of them, its headers are cut short or malformed, or it declares a side of 0 (a JPEG's
   * "size given later", which could then be anything).
   */
  public static Optional<Size> of(byte[] b) {
    if (Avatars.isPng(b)) {
      return png(b);
    }
    if (Avatars.isJpeg(b)) {
      return jpeg(b);
    }
    if (b.length >= 6 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F') {
      return gif(b);
    }
    return Optional.empty();
  }

  /**
   * PNG (ISO/IEC 15948, 5.6): "The IHDR chunk shall be the first chunk in the PNG datastream":
   * after the 8-byte signature, length 13, type {@code IHDR}, then width and height as 4-byte
   * unsigned integers, each at most 2^31-1 and not zero.
   */
  static Optional<Size> png(byte[] b) {
    if (b.length < 8 + 8 + 13
        || u32(b, 8) != 13
        || b[12] != 'I'
        || b[13] != 'H'
        || b[14] != 'D'
        || b[15] != 'R') {
      return Optional.empty();
    }
    long w = u32(b, 16);
    long h = u32(b, 20);
    if (w < 1 || h < 1 || w > Integer.MAX_VALUE || h > Integer.MAX_VALUE) {
      return Optional.empty();
    }
    return Optional.of(new Size((int) w, (int) h));
  }

  /**
   * JPEG (ITU T.81, B.1.1): walks every marker segment of the file, past each scan's entropy-coded
   * data, and reads every frame header ({@code SOF0}-{@code SOF15} but {@code DHT}, {@code JPG},
   * {@code DAC}): sample precision, then the number of lines and of samples per line. The result is
   * the largest of them; empty if there is none, one declares 0 lines (the count then comes in a
   * later {@code DNL} segment) or 0 samples, or a segment runs past the end.
   */
  static Optional<Size> jpeg(byte[] b) {
    int pos = 2; // after SOI
    int maxW = 0;
    int maxH = 0;
    while (pos < b.length) {
      if ((b[pos] & 0xff) != 0xff) {
        return Optional.empty(); // a marker was expected here
      }
      while (pos < b.length && (b[pos] & 0xff) == 0xff) {
        pos++; // fill bytes
      }
      if (pos >= b.length) {
        break;
      }
      int marker = b[pos] & 0xff;
      pos++;
      if (marker == 0xd9) {
        break; // EOI
      }
      if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
        continue; // TEM, RSTn: no length
      }
      if (pos + 2 > b.length) {
        return Optional.empty();
      }
      int length = u16(b, pos);
      if (length < 2 || pos + length > b.length) {
        return Optional.empty();
      }
      if (isFrameHeader(marker)) {
        if (length < 8) {
          return Optional.empty();
        }
        int h = u16(b, pos + 3);
        int w = u16(b, pos + 5);
        if (h == 0 || w == 0) {
          return Optional.empty();
        }
        maxW = Math.max(maxW, w);
        maxH = Math.max(maxH, h);
      }
      pos += length;
      if (marker == 0xda) {
        pos = afterEntropyCodedData(b, pos);
      }
    }
    if (maxW == 0) {
      return Optional.empty();
    }
    return Optional.of(new Size(maxW, maxH));
  }

  private static boolean isFrameHeader(int marker) {
    return marker >= 0xc0
        && marker <= 0xcf
        && marker != 0xc4 // DHT
        && marker != 0xc8 // JPG
        && marker != 0xcc; // DAC
  }

  /**
   * The position of the next marker after a scan: in entropy-coded data, {@code FF 00} is a data
   * byte and {@code FF D0}-{@code FF D7} are restart markers (B.1.1.5).
   */
  private static int afterEntropyCodedData(byte[] b, int pos) {
    while (pos + 1 < b.length) {
      if ((b[pos] & 0xff) == 0xff) {
        int next = b[pos + 1] & 0xff;
        if (next != 0x00 && !(next >= 0xd0 && next <= 0xd7) && next != 0xff) {
          return pos;
        }
        pos += next == 0xff ? 1 : 2;
      } else {
        pos++;
      }
    }
    return b.length;
  }

  /**
   * GIF (89a, section 18): {@code GIF87a} or {@code GIF89a}, then the logical screen's width and
   * height, 16-bit little-endian.
   */
  static Optional<Size> gif(byte[] b) {
    if (b.length < 10 || !(b[3] == '8' && (b[4] == '7' || b[4] == '9') && b[5] == 'a')) {
      return Optional.empty();
    }
    int w = (b[6] & 0xff) | (b[7] & 0xff) << 8;
    int h = (b[8] & 0xff) | (b[9] & 0xff) << 8;
    if (w == 0 || h == 0) {
      return Optional.empty();
    }
    return Optional.of(new Size(w, h));
  }

  private static long u32(byte[] b, int at) {
    return (b[at] & 0xffL) << 24
        | (b[at + 1] & 0xffL) << 16
        | (b[at + 2] & 0xffL) << 8
        | (b[at + 3] & 0xffL);
  }

  private static int u16(byte[] b, int at) {
    return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
  }
}

package org.dure.store.blob;

import java.util.Set;

/**
 * Whether a blob that is or looks like an image may be kept: its headers, read as bytes arrive and
 * never decoded, must declare at most {@value #MAX_SIDE} pixels a side and {@value #MAX_PIXELS}
 * pixels in all (what a browser allocates to show it follows from these; a small file can declare a
 * huge image: a decompression bomb). No I/O: the caller feeds the blob's bytes from its start
 * ({@link #feed}) until a verdict comes, then {@link #end} if the bytes ran out first. Memory is
 * constant (a 30-byte prefix and a few counters), and at most {@value #MAX_HEADER_BYTES} bytes are
 * read before a verdict.
 *
 * <ul>
 *   <li>PNG: the {@code IHDR} chunk, which must come first (ISO/IEC 15948, 5.6).
 *   <li>JPEG: the marker segments up to the first scan ({@code SOS}); every frame header ({@code
 *       SOFn}, {@code DHP}) before it counts, and one that declares 0 lines (size given later) is
 *       refused (ITU T.81, B.1.1).
 *   <li>GIF: the logical screen's size (GIF89a, 18) and the first image descriptor's extent (20),
 *       past the color table and extensions.
 *   <li>WebP: the canvas of {@code VP8X}, or the frame size of {@code VP8 } / {@code VP8L}.
 * </ul>
 *
 * A blob whose declared type is one a browser shows ({@link #SHOWN}) and whose bytes are no such
 * image is refused too. Any other blob is checked only if its bytes start like an image.
 */
public final class ImageGuard {
  /** The largest side of an image kept. */
  public static final int MAX_SIDE = 16_000;

  /** The most pixels of an image kept (a 50-megapixel photo). */
  public static final long MAX_PIXELS = 50_000_000L;

  /** The most bytes read for a verdict: the headers of a JPEG must end before this. */
  public static final int MAX_HEADER_BYTES = 4 << 20;

  /** The media types a browser shows inline, whose headers must be readable. */
  public static final Set<String> SHOWN =
      Set.of("image/png", "image/jpeg", "image/gif", "image/webp");

  private static final int PREFIX = 30;

  /**
   * What to do with the blob.
   *
   * @param keep whether it may be kept
   * @param reason why not (empty if kept)
   */
  public record Verdict(boolean keep, String reason) {
    static final Verdict KEEP = new Verdict(true, "");

    static Verdict refuse(String reason) {
      return new Verdict(false, reason);
    }
  }

  private enum Kind {
    UNKNOWN,
    NONE,
    PNG,
    JPEG,
    GIF,
    WEBP
  }

  private enum Jpeg {
    MARKER,
    CODE,
    LENGTH_HIGH,
    LENGTH_LOW,
    BODY
  }

  private enum Gif {
    SKIP,
    BLOCK,
    LABEL,
    SUB_BLOCK,
    DESCRIPTOR
  }

  // GIF walk
  private Gif gifState = Gif.BLOCK;
  private Gif gifAfterSkip = Gif.BLOCK;
  private final byte[] gifDescriptor = new byte[8];

  private final boolean claimed;
  private final byte[] prefix = new byte[PREFIX];
  private int prefixLength;
  private long read;
  private Kind kind = Kind.UNKNOWN;
  private Verdict verdict;

  // JPEG walk
  private Jpeg state = Jpeg.MARKER;
  private int marker;
  private int length;
  private int remaining;
  private final byte[] frame = new byte[5];
  private int frameLength;
  private long maxWidth;
  private long maxHeight;

  /**
   * @param mediaType the blob's declared media type
   */
  public ImageGuard(String mediaType) {
    this.claimed = SHOWN.contains(mediaType);
  }

  /**
   * Checks the blob of {@code mediaType} whose first bytes are {@code head} (all of it, or at least
   * its first {@value #MAX_HEADER_BYTES} bytes).
   */
  public static Verdict check(String mediaType, byte[] head) {
    ImageGuard g = new ImageGuard(mediaType);
    Verdict v = g.feed(head, 0, head.length);
    return v != null ? v : g.end();
  }

  /** The verdict once known, else null. */
  public Verdict verdict() {
    return verdict;
  }

  /**
   * Reads the next {@code len} bytes of the blob.
   *
   * @return the verdict, or null if more bytes are needed
   */
  public Verdict feed(byte[] b, int off, int len) {
    for (int i = off; i < off + len && verdict == null; i++) {
      if (read >= MAX_HEADER_BYTES) {
        verdict = Verdict.refuse("no image header in its first " + MAX_HEADER_BYTES + " bytes");
        break;
      }
      read++;
      int x = b[i] & 0xff;
      if (prefixLength < PREFIX) {
        prefix[prefixLength++] = (byte) x;
      }
      if (kind == Kind.UNKNOWN) {
        kind = sniff();
        if (kind == Kind.NONE) {
          verdict = claimed ? Verdict.refuse("not a PNG, JPEG, GIF or WebP image") : Verdict.KEEP;
          break;
        }
      }
      switch (kind) {
        case PNG -> {
          if (prefixLength == 24) {
            verdict = png();
          }
        }
        case GIF -> gif(x);
        case WEBP -> {
          if (prefixLength == PREFIX) {
            verdict = webp();
          }
        }
        case JPEG -> {
          if (read > 2) {
            jpeg(x);
          }
        }
        default -> {
          // still sniffing
        }
      }
    }
    return verdict;
  }

  /** The blob ended: the verdict (a header cut short is refused). */
  public Verdict end() {
    if (verdict == null) {
      // A few bytes that only start like an image, and are not said to be one, show nothing.
      verdict =
          kind == Kind.UNKNOWN && !claimed
              ? Verdict.KEEP
              : Verdict.refuse("its image header is cut short");
    }
    return verdict;
  }

  // ------------------------------------------------------------------ sniffing

  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  /** The format the prefix read so far is, UNKNOWN if it may still be one, NONE if none. */
  private Kind sniff() {
    for (Kind k : new Kind[] {Kind.PNG, Kind.JPEG, Kind.GIF, Kind.WEBP}) {
      if (couldBe(k) && prefixLength >= signatureLength(k)) {
        return k;
      }
    }
    for (Kind k : new Kind[] {Kind.PNG, Kind.JPEG, Kind.GIF, Kind.WEBP}) {
      if (couldBe(k)) {
        return Kind.UNKNOWN;
      }
    }
    return Kind.NONE;
  }

  private static int signatureLength(Kind k) {
    return switch (k) {
      case PNG -> 8;
      case JPEG -> 3;
      case GIF -> 6;
      case WEBP -> 12;
      default -> throw new IllegalArgumentException();
    };
  }

  /** Whether the prefix read so far agrees with the signature of {@code k}. */
  private boolean couldBe(Kind k) {
    for (int i = 0; i < Math.min(prefixLength, signatureLength(k)); i++) {
      int x = prefix[i] & 0xff;
      boolean ok =
          switch (k) {
            case PNG -> x == (PNG_SIGNATURE[i] & 0xff);
            case JPEG -> x == (i == 1 ? 0xd8 : 0xff);
            case GIF -> x == "GIF89a".charAt(i) || (i == 4 && x == '7');
            case WEBP -> i >= 4 && i < 8 || x == "RIFF????WEBP".charAt(i);
            default -> false;
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  // ------------------------------------------------------------------ formats

  private Verdict png() {
    if (u32(8) != 13
        || prefix[12] != 'I'
        || prefix[13] != 'H'
        || prefix[14] != 'D'
        || prefix[15] != 'R') {
      return Verdict.refuse("a PNG whose first chunk is not IHDR");
    }
    return size("PNG", u32(16), u32(20));
  }

  /**
   * One byte of a GIF: the logical screen (bytes 6-9) and its global color table, then blocks up to
   * the first image descriptor, whose size counts too (a decoder may grow the screen to a frame
   * larger than it): extensions ({@code 0x21}, label, sub-blocks) are skipped.
   */
  private void gif(int x) {
    if (read <= 13) {
      if (read == 13) {
        long w = (prefix[6] & 0xff) | (prefix[7] & 0xff) << 8;
        long h = (prefix[8] & 0xff) | (prefix[9] & 0xff) << 8;
        Verdict v = size("GIF", w, h);
        if (!v.keep()) {
          verdict = v;
          return;
        }
        int flags = prefix[10] & 0xff;
        remaining = (flags & 0x80) != 0 ? 3 << ((flags & 7) + 1) : 0; // global color table
        gifState = remaining > 0 ? Gif.SKIP : Gif.BLOCK;
      }
      return;
    }
    switch (gifState) {
      case SKIP -> {
        if (--remaining == 0) {
          gifState = gifAfterSkip;
        }
      }
      case BLOCK -> {
        if (x == 0x2c) {
          gifState = Gif.DESCRIPTOR;
          frameLength = 0;
        } else if (x == 0x21) {
          gifState = Gif.LABEL;
        } else {
          verdict = Verdict.refuse(x == 0x3b ? "a GIF with no image" : "a GIF with a bad block");
        }
      }
      case LABEL -> gifState = Gif.SUB_BLOCK;
      case SUB_BLOCK -> {
        if (x == 0) {
          gifState = Gif.BLOCK;
        } else {
          remaining = x;
          gifState = Gif.SKIP;
          gifAfterSkip = Gif.SUB_BLOCK;
        }
      }
      case DESCRIPTOR -> {
        gifDescriptor[frameLength++] = (byte) x;
        if (frameLength == 8) {
          long left = (gifDescriptor[0] & 0xff) | (gifDescriptor[1] & 0xff) << 8;
          long top = (gifDescriptor[2] & 0xff) | (gifDescriptor[3] & 0xff) << 8;
          long w = (gifDescriptor[4] & 0xff) | (gifDescriptor[5] & 0xff) << 8;
          long h = (gifDescriptor[6] & 0xff) | (gifDescriptor[7] & 0xff) << 8;
          verdict = size("GIF frame", left + w, top + h);
        }
      }
    }
  }

  private Verdict webp() {
    String chunk = new String(prefix, 12, 4, java.nio.charset.StandardCharsets.US_ASCII);
    switch (chunk) {
      case "VP8X" -> {
        long w = 1 + le24(24);
        long h = 1 + le24(27);
        return size("WebP", w, h);
      }
      case "VP8L" -> {
        if ((prefix[20] & 0xff) != 0x2f) {
          return Verdict.refuse("a lossless WebP without its signature");
        }
        long bits = (prefix[21] & 0xffL) | (prefix[22] & 0xffL) << 8 | (prefix[23] & 0xffL) << 16;
        bits |= (prefix[24] & 0xffL) << 24;
        return size("WebP", 1 + (bits & 0x3fff), 1 + ((bits >> 14) & 0x3fff));
      }
      case "VP8 " -> {
        if ((prefix[23] & 0xff) != 0x9d || (prefix[24] & 0xff) != 0x01 || prefix[25] != 0x2a) {
          return Verdict.refuse("a lossy WebP without its start code");
        }
        long w = ((prefix[26] & 0xff) | (prefix[27] & 0xff) << 8) & 0x3fff;
        long h = ((prefix[28] & 0xff) | (prefix[29] & 0xff) << 8) & 0x3fff;
        return size("WebP", w, h);
      }
      default -> {
        return Verdict.refuse("a WebP whose first chunk is " + chunk.replaceAll("[^ -~]", "?"));
      }
    }
  }

  /** One byte of a JPEG after its SOI marker. */
  private void jpeg(int x) {
    switch (state) {
      case MARKER -> {
        if (x != 0xff) {
          verdict = Verdict.refuse("a JPEG with data where a marker belongs");
        } else {
          state = Jpeg.CODE;
        }
      }
      case CODE -> {
        if (x == 0xff) {
          return; // fill byte
        }
        marker = x;
        if (x == 0xd9) {
          verdict = Verdict.refuse("a JPEG that ends before its first scan");
        } else if (x == 0x01 || (x >= 0xd0 && x <= 0xd7)) {
          state = Jpeg.MARKER; // TEM, RSTn: no length
        } else if (x == 0x00 || x == 0xd8) {
          verdict = Verdict.refuse("a JPEG with a misplaced marker");
        } else {
          state = Jpeg.LENGTH_HIGH;
        }
      }
      case LENGTH_HIGH -> {
        length = x << 8;
        state = Jpeg.LENGTH_LOW;
      }
      case LENGTH_LOW -> {
        length |= x;
        if (length < 2 || (isFrameHeader(marker) && length < 8)) {
          verdict = Verdict.refuse("a JPEG segment of " + length + " bytes");
          return;
        }
        remaining = length - 2;
        frameLength = 0;
        state = Jpeg.BODY;
        if (remaining == 0) {
          segmentDone();
        }
      }
      case BODY -> {
        if (isFrameHeader(marker) && frameLength < frame.length) {
          frame[frameLength++] = (byte) x;
        }
        if (--remaining == 0) {
          segmentDone();
        }
      }
    }
  }

  private void segmentDone() {
    state = Jpeg.MARKER;
    if (isFrameHeader(marker)) {
      long h = (frame[1] & 0xff) << 8 | (frame[2] & 0xff);
      long w = (frame[3] & 0xff) << 8 | (frame[4] & 0xff);
      if (h == 0 || w == 0) {
        verdict = Verdict.refuse("a JPEG frame whose size is given later");
        return;
      }
      maxWidth = Math.max(maxWidth, w);
      maxHeight = Math.max(maxHeight, h);
    } else if (marker == 0xda) {
      verdict =
          maxWidth == 0
              ? Verdict.refuse("a JPEG scan before any frame header")
              : size("JPEG", maxWidth, maxHeight);
    }
  }

  /** SOF0-SOF15 but DHT, JPG, DAC; and DHP, which has the same layout. */
  private static boolean isFrameHeader(int marker) {
    return (marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc)
        || marker == 0xde;
  }

  private static Verdict size(String format, long w, long h) {
    if (w < 1 || h < 1) {
      return Verdict.refuse("a " + format + " of " + w + "×" + h + " pixels");
    }
    if (w > MAX_SIDE || h > MAX_SIDE || w * h > MAX_PIXELS) {
      return Verdict.refuse(
          "a "
              + format
              + " of "
              + w
              + "×"
              + h
              + " pixels, over the limit of "
              + MAX_SIDE
              + " a side and "
              + MAX_PIXELS
              + " in all");
    }
    return Verdict.KEEP;
  }

  private long u32(int at) {
    return (prefix[at] & 0xffL) << 24
        | (prefix[at + 1] & 0xffL) << 16
        | (prefix[at + 2] & 0xffL) << 8
        | (prefix[at + 3] & 0xffL);
  }

  private long le24(int at) {
    return (prefix[at] & 0xffL) | (prefix[at + 1] & 0xffL) << 8 | (prefix[at + 2] & 0xffL) << 16;
  }
}

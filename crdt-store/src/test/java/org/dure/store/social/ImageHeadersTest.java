package org.dure.store.social;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ImageHeadersTest {
  private static ImageHeaders.Size size(byte[] b) {
    return ImageHeaders.of(b).orElseThrow(() -> new AssertionError("no size read"));
  }

  @Test
  void realImagesDeclareTheirSize() {
    for (String format : new String[] {"png", "jpeg", "gif"}) {
      assertEquals(new ImageHeaders.Size(97, 41), size(CraftedImages.real(97, 41, format)), format);
    }
  }

  @Test
  void aSmallFileClaimingAHugeImageIsReadAsHuge() {
    byte[] png = CraftedImages.pngClaiming(100_000, 100_000);
    assertTrue(png.length < 100, png.length + " bytes");
    assertEquals(new ImageHeaders.Size(100_000, 100_000), size(png));
    byte[] jpeg = CraftedImages.jpegClaiming(65_535, 65_000);
    assertTrue(jpeg.length < 300, jpeg.length + " bytes");
    assertEquals(new ImageHeaders.Size(65_535, 65_000), size(jpeg));
  }

  @Test
  void everyFrameOfAJpegCounts() {
    byte[] real = CraftedImages.real(64, 64, "jpeg");
    assertEquals(
        new ImageHeaders.Size(9_000, 7_000),
        size(CraftedImages.jpegWithSecondFrame(real, 9_000, 7_000)));
  }

  @Test
  void unreadableOrOpenEndedHeadersDeclareNothing() {
    // A JPEG whose height comes later (DNL): it could be anything.
    assertTrue(ImageHeaders.of(CraftedImages.jpegClaiming(100, 0)).isEmpty());
    assertTrue(ImageHeaders.of(CraftedImages.pngClaiming(0, 10)).isEmpty());
    assertTrue(ImageHeaders.of(CraftedImages.pngClaiming(-1, 10)).isEmpty(), "over 2^31-1");
    byte[] png = CraftedImages.real(10, 10, "png");
    assertTrue(ImageHeaders.of(Arrays.copyOf(png, 20)).isEmpty(), "cut inside IHDR");
    byte[] notFirst = png.clone();
    notFirst[12] = 'C'; // another chunk before IHDR (Apple's CgBI, say)
    assertTrue(ImageHeaders.of(notFirst).isEmpty());
    byte[] jpeg = CraftedImages.jpegClaiming(10, 10);
    assertTrue(ImageHeaders.of(Arrays.copyOf(jpeg, 30)).isEmpty(), "cut inside a segment");
    assertTrue(ImageHeaders.of(new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff}).isEmpty());
    assertTrue(
        ImageHeaders.of("GIF89a".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).isEmpty());
  }
}

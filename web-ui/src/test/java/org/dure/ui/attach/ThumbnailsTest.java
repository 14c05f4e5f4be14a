package org.dure.ui.attach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ThumbnailsTest {
  static byte[] image(int w, int h, String format) throws Exception {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    img.setRGB(w / 2, h / 2, 0xff0000);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, format, out);
    return out.toByteArray();
  }

  /** A PNG that declares {@code w} × {@code h} pixels in a few bytes (a decompression bomb). */
  static byte[] bomb(int w, int h) {
    ByteBuffer b = ByteBuffer.allocate(8 + 25);
    b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    b.putInt(13).put(new byte[] {'I', 'H', 'D', 'R'}).putInt(w).putInt(h);
    b.put(new byte[] {8, 2, 0, 0, 0});
    CRC32 crc = new CRC32();
    crc.update(b.array(), 12, 17);
    b.putInt((int) crc.getValue());
    return b.array();
  }

  @Test
  void aThumbnailIsAtMost640PixelsASide() throws Exception {
    for (String format : new String[] {"png", "jpeg", "gif"}) {
      byte[] t = Thumbnails.of(image(2000, 1000, format)).orElseThrow();
      BufferedImage img = ImageIO.read(new ByteArrayInputStream(t));
      assertEquals(640, img.getWidth(), format);
      assertEquals(320, img.getHeight(), format);
    }
    BufferedImage small =
        ImageIO.read(new ByteArrayInputStream(Thumbnails.of(image(30, 20, "png")).orElseThrow()));
    assertEquals(30, small.getWidth());
  }

  @Test
  void aDecompressionBombIsNeitherShownNorDecoded() {
    assertFalse(Thumbnails.mayShow(bomb(100_000, 100_000)));
    assertTrue(Thumbnails.of(bomb(100_000, 100_000)).isEmpty());
    assertFalse(Thumbnails.mayShow(bomb(10_000, 10_000)), "100 megapixels");
    assertFalse(Thumbnails.mayShow(new byte[] {1, 2, 3}), "not an image");
  }
}

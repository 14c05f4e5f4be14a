package org.dure.store.social;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class AvatarsTest {

  private static BufferedImage picture(int w, int h, int type) {
    BufferedImage img = new BufferedImage(w, h, type);
    Graphics2D g = img.createGraphics();
    g.setColor(new Color(30, 120, 200));
    g.fillRect(0, 0, w, h);
    g.setColor(Color.ORANGE);
    g.fillOval(w / 4, h / 4, w / 2, h / 2);
    g.dispose();
    return img;
  }

  private static byte[] encode(BufferedImage img, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertTrue(ImageIO.write(img, format, out), format);
    return out.toByteArray();
  }

  private static BufferedImage decode(Avatar a) throws IOException {
    return ImageIO.read(new ByteArrayInputStream(a.bytes()));
  }

  private static Avatars.Reason refusal(byte[] upload) {
    return assertThrows(Avatars.RefusedException.class, () -> Avatars.fromUpload(upload)).reason();
  }

  @Test
  void aLargePngIsScaledDownKeepingItsAspect() throws IOException {
    Avatar a = Avatars.fromUpload(encode(picture(1000, 500, BufferedImage.TYPE_INT_RGB), "png"));
    BufferedImage img = decode(a);
    assertEquals(128, img.getWidth());
    assertEquals(64, img.getHeight());
    assertTrue(a.size() <= Avatar.MAX_BYTES);
    assertEquals(Optional.of(a.type()), Avatar.storedTypeOf(a.bytes()));
    assertTrue(a.dataUrl().startsWith("data:" + a.type() + ";base64,"));
  }

  @Test
  void jpegAndGifAreTakenAndASmallImageIsNotEnlarged() throws IOException {
    Avatar jpeg =
        Avatars.fromUpload(encode(picture(3000, 4000, BufferedImage.TYPE_INT_RGB), "jpeg"));
    BufferedImage j = decode(jpeg);
    assertEquals(96, j.getWidth());
    assertEquals(128, j.getHeight());
    Avatar gif = Avatars.fromUpload(encode(picture(40, 30, BufferedImage.TYPE_INT_RGB), "gif"));
    BufferedImage g = decode(gif);
    assertEquals(40, g.getWidth());
    assertEquals(30, g.getHeight());
  }

  @Test
  void transparencyIsKeptAsPng() throws IOException {
    BufferedImage img = new BufferedImage(300, 300, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.RED);
    g.fillOval(0, 0, 300, 300); // corners stay transparent
    g.dispose();
    Avatar a = Avatars.fromUpload(encode(img, "png"));
    assertEquals(Avatar.PNG, a.type());
    assertEquals(0, decode(a).getRGB(0, 0) >>> 24, "a transparent corner");
  }

  @Test
  void aNoisyOpaquePhotoBecomesJpegToFitAndTransparentNoiseIsRefused() throws IOException {
    Random r = new Random(7);
    BufferedImage opaque = new BufferedImage(128, 128, BufferedImage.TYPE_INT_RGB);
    BufferedImage clear = new BufferedImage(128, 128, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < 128; y++) {
      for (int x = 0; x < 128; x++) {
        opaque.setRGB(x, y, r.nextInt());
        clear.setRGB(x, y, r.nextInt());
      }
    }
    Avatar a = Avatars.fromUpload(encode(opaque, "png"));
    assertEquals(Avatar.JPEG, a.type());
    assertTrue(a.size() <= Avatar.MAX_BYTES);
    assertEquals(Avatars.Reason.TOO_LARGE_AFTER_SCALING, refusal(encode(clear, "png")));
  }

  @Test
  void aFileThatIsNoImageIsRefusedWhateverItIsCalled() {
    byte[] text = "<svg onload=alert(1)>not a picture</svg>".getBytes(StandardCharsets.UTF_8);
    assertEquals(Avatars.Reason.NOT_AN_IMAGE, refusal(text));
    assertEquals(Avatars.Reason.EMPTY, refusal(new byte[0]));
    // PNG magic, then garbage.
    byte[] fake = new byte[64];
    System.arraycopy(
        new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a}, 0, fake, 0, 8);
    assertEquals(Avatars.Reason.UNREADABLE, refusal(fake));
  }

  @Test
  void aFileOverTheUploadLimitIsRefusedBeforeReading() {
    byte[] big = new byte[Avatars.MAX_UPLOAD + 1];
    big[0] = (byte) 0xff;
    big[1] = (byte) 0xd8;
    big[2] = (byte) 0xff;
    assertEquals(Avatars.Reason.FILE_TOO_LARGE, refusal(big));
  }

  @Test
  void anImageDeclaringHugeDimensionsIsRefusedFromItsHeader() {
    // A PNG whose header claims 9000 × 9000 pixels and whose data would never be read.
    assertEquals(Avatars.Reason.DIMENSIONS_TOO_LARGE, refusal(pngHeader(9000, 9000)));
    assertEquals(Avatars.Reason.DIMENSIONS_TOO_LARGE, refusal(pngHeader(100, 8001)));
  }

  @Test
  void webpIsTakenOnlyIfImageIoCanReadIt() {
    byte[] webp = new byte[32];
    System.arraycopy("RIFF".getBytes(StandardCharsets.US_ASCII), 0, webp, 0, 4);
    System.arraycopy("WEBP".getBytes(StandardCharsets.US_ASCII), 0, webp, 8, 4);
    boolean readable = ImageIO.getImageReadersByFormatName("webp").hasNext();
    Avatars.Reason r = refusal(webp); // not a valid WebP either way
    assertEquals(readable ? Avatars.Reason.UNREADABLE : Avatars.Reason.UNSUPPORTED_TYPE, r);
  }

  @Test
  void storedAvatarsAreCheckedByTheirFirstBytes() throws IOException {
    byte[] png = encode(picture(10, 10, BufferedImage.TYPE_INT_RGB), "png");
    assertTrue(Avatar.of(Avatar.PNG, png).isPresent());
    assertTrue(Avatar.of(Avatar.JPEG, png).isEmpty(), "type must match the bytes");
    byte[] gif = encode(picture(10, 10, BufferedImage.TYPE_INT_RGB), "gif");
    assertTrue(Avatar.of("image/gif", gif).isEmpty(), "only PNG and JPEG are stored");
    assertTrue(Avatar.of(Avatar.PNG, new byte[Avatar.MAX_BYTES + 1]).isEmpty());
  }

  /** The PNG signature and an IHDR chunk (with a correct CRC) declaring {@code w} × {@code h}. */
  private static byte[] pngHeader(int w, int h) {
    ByteBuffer b = ByteBuffer.allocate(8 + 25 + 12);
    b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a});
    b.putInt(13);
    int typeAt = b.position();
    b.put("IHDR".getBytes(StandardCharsets.US_ASCII));
    b.putInt(w).putInt(h).put((byte) 8).put((byte) 6).put((byte) 0).put((byte) 0).put((byte) 0);
    CRC32 crc = new CRC32();
    crc.update(b.array(), typeAt, 17);
    b.putInt((int) crc.getValue());
    b.putInt(0);
    b.put("IDAT".getBytes(StandardCharsets.US_ASCII));
    b.putInt(0); // not even a valid CRC: never read
    return b.array();
  }
}

package org.dure.ui.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import org.junit.jupiter.api.Test;

class QrCodesTest {

  @Test
  void theQrCodeOfAnInviteReadsBackAsTheLink() throws Exception {
    String link = "dure:invite/" + "AbCdEfGh-_0123456789".repeat(15);
    BitMatrix m = QrCodes.matrix(link);
    int scale = 4;
    int w = m.getWidth() * scale;
    int h = m.getHeight() * scale;
    int[] pixels = new int[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        pixels[y * w + x] = m.get(x / scale, y / scale) ? 0xff000000 : 0xffffffff;
      }
    }
    var bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(w, h, pixels)));
    assertEquals(link, new QRCodeReader().decode(bitmap).getText());
  }

  @Test
  void theSvgDrawsEveryDarkModuleOnWhite() {
    BitMatrix m = QrCodes.matrix("dure:invite/x");
    String svg = QrCodes.svg(m);
    int dark = 0;
    for (int y = 0; y < m.getHeight(); y++) {
      for (int x = 0; x < m.getWidth(); x++) {
        dark += m.get(x, y) ? 1 : 0;
      }
    }
    assertEquals(dark, svg.split("h1v1h-1z", -1).length - 1);
    assertTrue(svg.startsWith("<svg"), svg);
    assertTrue(QrCodes.dataUrl("x").startsWith("data:image/svg+xml;base64,"));
  }
}

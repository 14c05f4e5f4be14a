package org.dure.store.vault;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes an export as a zip (a download), its entries in one folder named after the space so that
 * unpacking it makes one folder. Entry times are fixed, so the same pages give the same zip.
 */
public final class ZipSink implements VaultSink, AutoCloseable {
  private static final long FIXED_TIME = 315_532_800_000L + 86_400_000L; // 1980-01-02

  private final ZipOutputStream zip;
  private final String folder;

  /**
   * @param folder the name of the folder in the zip (a base name from {@link VaultNames})
   */
  public ZipSink(OutputStream out, String folder) {
    this.zip = new ZipOutputStream(out, java.nio.charset.StandardCharsets.UTF_8);
    this.folder = folder;
  }

  @Override
  public OutputStream create(String path) throws IOException {
    ZipEntry e = new ZipEntry(folder + "/" + path);
    e.setTime(FIXED_TIME);
    zip.putNextEntry(e);
    return new FilterOutputStream(zip) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        zip.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        zip.closeEntry();
      }
    };
  }

  /** Finishes the zip and closes the stream under it. */
  @Override
  public void close() throws IOException {
    zip.close();
  }
}

package org.dure.app;

import java.io.IOException;
import java.io.InputStream;
import java.net.CookieHandler;
import java.net.CookieManager;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * The training run behind the start-up cache: {@code ./dure} runs this class once after each build
 * with {@code -XX:AOTCacheOutput} (JDK 25+) or {@code -XX:ArchiveClassesAtExit} (JDK 21 to 24), and
 * the JVM writes down the classes it loaded (JDK 25: also linked and profiled) so that later starts
 * map them ready-made instead of finding, reading, verifying and linking them again.
 *
 * <p>It starts the web UI on a new, temporary data directory (peers on a free port, no LAN
 * discovery, no DHT, no port mapping: it sends nothing beyond this computer), asks for the first
 * page and for its first view as a browser would, stops, and deletes the directory. It never reads
 * the user's data.
 */
public final class StartupTraining {

  private StartupTraining() {}

  /** Runs the training and exits with 0, or 1 if the web UI did not serve its first page. */
  public static void main(String[] args) {
    System.setProperty(DureApplication.PORT_MAPPING_PROPERTY, "false");
    int code;
    try {
      Path dir = Files.createTempDirectory("dure-training");
      try {
        code = train(dir);
      } finally {
        deleteTree(dir);
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("dure: the start-up training failed: " + e);
      code = 1;
    }
    System.exit(code);
  }

  private static int train(Path dataDir) throws IOException {
    CookieHandler.setDefault(new CookieManager());
    try (DureApplication.Running app =
        DureApplication.start(dataDir, 0, 0, List.of(), false, false, List.of())) {
      int first = get(app.url());
      // What the browser asks next: the first view, built on the server (Vaadin's init request).
      int view = get(app.url() + "?v-r=init&location=");
      if (first != 200 || view != 200) {
        System.err.println(
            "dure: training: the first page answered " + first + ", its view " + view);
        return 1;
      }
      return 0;
    }
  }

  private static int get(String url) throws IOException {
    HttpURLConnection http =
        (HttpURLConnection) URI.create(url).toURL().openConnection(Proxy.NO_PROXY);
    try {
      http.setConnectTimeout(10_000);
      http.setReadTimeout(60_000);
      int status = http.getResponseCode();
      try (InputStream in = status >= 400 ? http.getErrorStream() : http.getInputStream()) {
        if (in != null) {
          in.transferTo(java.io.OutputStream.nullOutputStream());
        }
      }
      return status;
    } finally {
      http.disconnect();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            Files.delete(d);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}

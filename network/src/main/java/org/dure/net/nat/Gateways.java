package org.dure.net.nat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the IPv4 default gateway (the home router, where NAT-PMP is asked): on Linux from {@code
 * /proc/net/route}; on macOS and the BSDs from {@code netstat -rn -f inet}; on Windows from {@code
 * route print -4}. A command runs at most 2 seconds and at most 64 KiB of its output is read; its
 * output is parsed defensively (anything unexpected gives no gateway, never an exception).
 */
public final class Gateways {
  private static final Logger LOG = LoggerFactory.getLogger(Gateways.class);
  private static final int MAX_OUTPUT = 64 * 1024;

  private Gateways() {}

  /** The default gateway, if one could be found. */
  public static Optional<InetAddress> defaultGateway() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    try {
      if (os.contains("linux")) {
        Path route = Path.of("/proc/net/route");
        if (Files.isReadable(route)) {
          return fromProcNetRoute(Files.readString(route, StandardCharsets.US_ASCII));
        }
        return Optional.empty();
      }
      if (os.contains("win")) {
        return fromRoutePrint(run("route", "print", "-4"));
      }
      if (os.contains("mac") || os.contains("bsd") || os.contains("darwin")) {
        return fromNetstat(run("netstat", "-rn", "-f", "inet"));
      }
      LOG.info("Port mapping: no way to find the default gateway on {}", os);
    } catch (IOException | RuntimeException e) {
      LOG.info("Port mapping: cannot find the default gateway: {}", e.toString());
    }
    return Optional.empty();
  }

  /**
   * Linux {@code /proc/net/route}: columns {@code Iface Destination Gateway Flags ...}, addresses
   * in hex in host (little-endian) byte order; the default route has destination {@code 00000000}
   * and flag {@code RTF_GATEWAY} (0x2).
   */
  static Optional<InetAddress> fromProcNetRoute(String text) {
    for (String line : text.lines().skip(1).limit(1024).toList()) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 4 || !f[1].equals("00000000")) {
        continue;
      }
      try {
        int flags = Integer.parseInt(f[3], 16);
        long gw = Long.parseLong(f[2], 16);
        if ((flags & 0x2) == 0 || gw == 0 || f[2].length() != 8) {
          continue;
        }
        byte[] ip = {(byte) gw, (byte) (gw >> 8), (byte) (gw >> 16), (byte) (gw >> 24)};
        return Optional.of(InetAddress.getByAddress(ip));
      } catch (NumberFormatException | IOException e) {
        // not a route line: skip
      }
    }
    return Optional.empty();
  }

  /** macOS {@code netstat -rn -f inet}: the line {@code default 192.168.1.1 UGScg en0}. */
  static Optional<InetAddress> fromNetstat(String text) {
    for (String line : text.lines().limit(4096).toList()) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 2 && (f[0].equals("default") || f[0].equals("0.0.0.0"))) {
        Optional<InetAddress> a = ipv4(f[1]);
        if (a.isPresent()) {
          return a;
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Windows {@code route print -4}: the line {@code 0.0.0.0 0.0.0.0 192.168.1.1 192.168.1.10 25}
   * (destination, mask, gateway, interface, metric) with the lowest metric.
   */
  static Optional<InetAddress> fromRoutePrint(String text) {
    Optional<InetAddress> best = Optional.empty();
    long bestMetric = Long.MAX_VALUE;
    for (String line : text.lines().limit(4096).toList()) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 5 && f[0].equals("0.0.0.0") && f[1].equals("0.0.0.0")) {
        Optional<InetAddress> a = ipv4(f[2]);
        long metric;
        try {
          metric = Long.parseLong(f[4]);
        } catch (NumberFormatException e) {
          continue;
        }
        if (a.isPresent() && metric < bestMetric) {
          best = a;
          bestMetric = metric;
        }
      }
    }
    return best;
  }

  /** A dotted IPv4 literal (no name lookup), not 0.0.0.0. */
  static Optional<InetAddress> ipv4(String s) {
    if (!s.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      return Optional.empty();
    }
    byte[] ip = new byte[4];
    String[] parts = s.split("\\.");
    for (int i = 0; i < 4; i++) {
      int v = Integer.parseInt(parts[i]);
      if (v > 255) {
        return Optional.empty();
      }
      ip[i] = (byte) v;
    }
    try {
      InetAddress a = Inet4Address.getByAddress(ip);
      return a.isAnyLocalAddress() ? Optional.empty() : Optional.of(a);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static String run(String... command) throws IOException {
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try (InputStream in = p.getInputStream()) {
      // The output is small; read it in the background so that a stuck command is cut off at 2 s.
      java.util.concurrent.CompletableFuture<byte[]> out =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> {
                try {
                  return in.readNBytes(MAX_OUTPUT);
                } catch (IOException e) {
                  return new byte[0];
                }
              });
      if (!p.waitFor(2, TimeUnit.SECONDS)) {
        throw new IOException(String.join(" ", command) + " did not finish within 2 s");
      }
      return new String(out.get(1, TimeUnit.SECONDS), StandardCharsets.UTF_8);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IOException(String.join(" ", command) + ": " + e);
    } finally {
      p.destroyForcibly();
    }
  }
}

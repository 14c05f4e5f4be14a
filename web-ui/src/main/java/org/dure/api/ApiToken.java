package org.dure.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.dure.store.doc.PrivateFiles;

/**
 * The secret that the local API requires in {@code Authorization: Bearer …}: 32 random bytes,
 * Base64url, in {@code DATA_DIR/api-token}, readable by the owner only (on POSIX systems; on
 * Windows the file inherits the user profile's private permissions). Other local users and web
 * pages cannot read it, so they cannot drive this Dure.
 */
public final class ApiToken {
  /** The token file's name in the data directory. */
  public static final String FILE_NAME = "api-token";

  private static final int MAX_FILE_BYTES = 1024;

  private ApiToken() {}

  /** The token of the data directory, made on first use. */
  public static String ensure(Path dataDir) throws IOException {
    Path file = dataDir.resolve(FILE_NAME);
    if (Files.exists(file)) {
      return read(dataDir);
    }
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    PrivateFiles.directory(dataDir);
    Path tmp = dataDir.resolve(FILE_NAME + ".tmp");
    Files.deleteIfExists(tmp);
    PrivateFiles.createFile(tmp);
    Files.writeString(tmp, token + "\n", StandardCharsets.US_ASCII);
    try {
      Files.move(tmp, file);
    } catch (FileAlreadyExistsException raced) {
      Files.deleteIfExists(tmp);
      return read(dataDir);
    }
    return token;
  }

  /**
   * The token of the data directory.
   *
   * @throws IOException if there is none or it cannot be read
   */
  public static String read(Path dataDir) throws IOException {
    Path file = dataDir.resolve(FILE_NAME);
    if (Files.size(file) > MAX_FILE_BYTES) {
      throw new IOException(file + " is too large to be an API token");
    }
    String token = Files.readString(file, StandardCharsets.US_ASCII).strip();
    if (token.isEmpty()) {
      throw new IOException(file + " is empty");
    }
    return token;
  }

  /** Compares in constant time. */
  static boolean matches(String expected, String given) {
    if (given == null) {
      return false;
    }
    return MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }
}

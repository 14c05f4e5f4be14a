package org.dure.store.doc;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import org.dure.identity.Ed25519Keys;
import org.dure.identity.Identity;

/**
 * Where this node's Ed25519 {@link Identity} is kept: {@code DATA_DIR/identity.key} (PKCS#8,
 * readable by the owner only), created on first start. The key signs as the author of local changes
 * and is the libp2p peer identity.
 */
public final class IdentityKeyFile {
  public static final String FILE_NAME = "identity.key";

  private IdentityKeyFile() {}

  /** Loads the identity from {@code dir}, creating it on first use. */
  public static Identity loadOrCreate(Path dir) {
    Path file = dir.resolve(FILE_NAME);
    try {
      PrivateFiles.directory(dir);
      if (!Files.exists(file)) {
        writeOwnerOnly(file, Identity.generateEd25519().getPrivate().getEncoded());
      }
      byte[] encoded = Files.readAllBytes(file);
      if (encoded.length > 1024) {
        throw new StoreException(file + " is not an identity key file (too large)");
      }
      PrivateKey priv =
          KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(encoded));
      return new Identity(rebuild(priv));
    } catch (IOException e) {
      throw new StoreException("Cannot read or create the identity key " + file, e);
    } catch (GeneralSecurityException e) {
      throw new StoreException(file + " does not hold a valid Ed25519 key", e);
    }
  }

  private static void writeOwnerOnly(Path file, byte[] bytes) throws IOException {
    Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
    Files.deleteIfExists(tmp);
    PrivateFiles.createFile(tmp); // Windows: the profile directory is already private to the user
    try (java.nio.channels.FileChannel ch =
        java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
      java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true); // the peer ID must not change after a power loss
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      Journal.syncDirectory(file.getParent());
    } catch (FileAlreadyExistsException e) {
      Files.delete(tmp);
    }
  }

  /**
   * The key pair of a private key. The JDK cannot derive an Ed25519 public key directly; PKCS#8 for
   * Ed25519 (RFC 8410) ends with the 32-byte seed, from which the pair is rebuilt.
   */
  private static KeyPair rebuild(PrivateKey priv) throws GeneralSecurityException {
    byte[] enc = priv.getEncoded();
    if (enc.length < 32) {
      throw new GeneralSecurityException("unexpected private key encoding");
    }
    KeyPair kp = Ed25519Keys.fromSeed(Arrays.copyOfRange(enc, enc.length - 32, enc.length));
    if (!Arrays.equals(kp.getPrivate().getEncoded(), enc)) {
      throw new GeneralSecurityException("unexpected private key encoding");
    }
    return new KeyPair(kp.getPublic(), priv);
  }
}

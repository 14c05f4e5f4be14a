package org.dure.store.doc;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/**
 * This node's Ed25519 identity: it signs as the author of local changes and (later) is the libp2p
 * peer identity. Created on first start and kept in {@code DATA_DIR/identity.key} (PKCS#8, readable
 * by the owner only).
 */
public final class Identity {
  public static final String FILE_NAME = "identity.key";

  /** X.509 SubjectPublicKeyInfo prefix of an Ed25519 key; the raw key follows. */
  private static final int X509_ED25519_PREFIX = 12;

  private final KeyPair keyPair;
  private final Author author;

  private Identity(KeyPair keyPair) {
    this.keyPair = keyPair;
    this.author = new Author(rawPublicKey(keyPair.getPublic()));
  }

  /** A fresh identity that is not stored anywhere (for tests and throw-away nodes). */
  public static Identity ephemeral() {
    try {
      return new Identity(KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("This JDK has no Ed25519", e);
    }
  }

  /** Loads the identity from {@code dir}, creating it on first use. */
  public static Identity loadOrCreate(Path dir) {
    Path file = dir.resolve(FILE_NAME);
    try {
      PrivateFiles.directory(dir);
      if (!Files.exists(file)) {
        Identity created = ephemeral();
        writeOwnerOnly(file, created.keyPair.getPrivate().getEncoded());
      }
      byte[] encoded = Files.readAllBytes(file);
      if (encoded.length > 1024) {
        throw new StoreException(file + " is not an identity key file (too large)");
      }
      KeyFactory kf = KeyFactory.getInstance("Ed25519");
      PrivateKey priv = kf.generatePrivate(new PKCS8EncodedKeySpec(encoded));
      PublicKey pub = derivePublic(kf, priv);
      return new Identity(new KeyPair(pub, priv));
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

  private static PublicKey derivePublic(KeyFactory kf, PrivateKey priv)
      throws GeneralSecurityException {
    // The JDK cannot derive the public key directly; a signature round trip via the seed does.
    // PKCS#8 for Ed25519 (RFC 8410) ends with the 32-byte seed; rebuild the key pair from it.
    byte[] enc = priv.getEncoded();
    byte[] seed = Arrays.copyOfRange(enc, enc.length - 32, enc.length);
    KeyPairGenerator gen = KeyPairGenerator.getInstance("Ed25519");
    gen.initialize(255, new FixedSeedRandom(seed));
    KeyPair kp = gen.generateKeyPair();
    if (!Arrays.equals(kp.getPrivate().getEncoded(), enc)) {
      throw new GeneralSecurityException("unexpected private key encoding");
    }
    return kf.generatePublic(new X509EncodedKeySpec(kp.getPublic().getEncoded()));
  }

  static byte[] rawPublicKey(PublicKey key) {
    byte[] enc = key.getEncoded();
    if (enc.length != X509_ED25519_PREFIX + 32) {
      throw new IllegalArgumentException("Not an Ed25519 public key");
    }
    return Arrays.copyOfRange(enc, X509_ED25519_PREFIX, enc.length);
  }

  /** The key pair, for the network layer (libp2p identity). */
  public KeyPair keyPair() {
    return keyPair;
  }

  public Author author() {
    return author;
  }

  /** The libp2p peer ID text of this identity. */
  public String peerId() {
    return author.peerId();
  }

  /** Signs {@code data} with the identity's private key (Ed25519, 64 bytes). */
  public byte[] sign(byte[] data) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(keyPair.getPrivate());
      s.update(data);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A SecureRandom that returns a fixed seed once, to rebuild an Ed25519 key pair from it. */
  private static final class FixedSeedRandom extends java.security.SecureRandom {
    private static final long serialVersionUID = 1L;
    private final byte[] seed;

    FixedSeedRandom(byte[] seed) {
      this.seed = seed.clone();
    }

    @Override
    public void nextBytes(byte[] bytes) {
      System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
    }
  }
}

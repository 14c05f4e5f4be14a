package org.dure.net.noise;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.dure.net.ProtocolViolationException;

/**
 * The Noise XX handshake state machine ({@code Noise_XX_25519_ChaChaPoly_SHA256}, empty prologue),
 * without I/O. Messages are the raw Noise messages (without the 2-byte length prefix):
 *
 * <pre>
 *   -> e                    initiator: writeMessage(empty)   responder: readMessage
 *   <- e, ee, s, es         responder: writeMessage(payload) initiator: readMessage
 *   -> s, se                initiator: writeMessage(payload) responder: readMessage
 * </pre>
 */
public final class NoiseHandshake {
  public static final String PROTOCOL_NAME = "Noise_XX_25519_ChaChaPoly_SHA256";
  public static final int DH_LEN = 32;

  private final boolean initiator;
  private final KeyPair localStatic;
  private final KeyPair localEphemeral;
  private byte[] remoteEphemeral;
  private byte[] remoteStatic;
  private byte[] ck;
  private byte[] h;
  private NoiseCipherState cipher;
  private int step;

  public NoiseHandshake(boolean initiator, KeyPair localStatic) {
    this(initiator, localStatic, generateKeyPair());
  }

  NoiseHandshake(boolean initiator, KeyPair localStatic, KeyPair localEphemeral) {
    this.initiator = initiator;
    this.localStatic = localStatic;
    this.localEphemeral = localEphemeral;
    byte[] name = PROTOCOL_NAME.getBytes(StandardCharsets.US_ASCII);
    h = name.length == 32 ? name : sha256(name);
    ck = h.clone();
    mixHash(new byte[0]);
  }

  /** A fresh X25519 key pair. */
  public static KeyPair generateKeyPair() {
    try {
      return KeyPairGenerator.getInstance("X25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JDK lacks X25519", e);
    }
  }

  /** The raw 32-byte little-endian u-coordinate of an X25519 public key. */
  public static byte[] rawPublicKey(PublicKey key) {
    BigInteger u = ((XECPublicKey) key).getU();
    byte[] be = u.toByteArray();
    byte[] le = new byte[32];
    for (int i = 0; i < 32 && i < be.length; i++) {
      le[i] = be[be.length - 1 - i];
    }
    return le;
  }

  public boolean isInitiator() {
    return initiator;
  }

  /** Whether all three messages have been processed. */
  public boolean isComplete() {
    return step == 3;
  }

  /** Whether the next action is {@link #writeMessage}. */
  public boolean isMyTurn() {
    return initiator ? step % 2 == 0 : step % 2 == 1;
  }

  /** The remote static X25519 key (raw), once received. */
  public byte[] remoteStaticKey() {
    return remoteStatic == null ? null : remoteStatic.clone();
  }

  public byte[] localStaticKey() {
    return rawPublicKey(localStatic.getPublic());
  }

  /** Writes the next handshake message carrying {@code payload}. */
  public byte[] writeMessage(byte[] payload) {
    if (!isMyTurn() || isComplete()) {
      throw new IllegalStateException("not this side's turn to write");
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try {
      switch (step) {
        case 0 -> {
          byte[] e = rawPublicKey(localEphemeral.getPublic());
          mixHash(e);
          out.writeBytes(e);
        }
        case 1 -> {
          byte[] e = rawPublicKey(localEphemeral.getPublic());
          mixHash(e);
          out.writeBytes(e);
          mixKey(dh(localEphemeral, remoteEphemeral));
          out.writeBytes(encryptAndHash(rawPublicKey(localStatic.getPublic())));
          mixKey(dh(localStatic, remoteEphemeral));
        }
        case 2 -> {
          out.writeBytes(encryptAndHash(rawPublicKey(localStatic.getPublic())));
          mixKey(dh(localStatic, remoteEphemeral));
        }
        default -> throw new IllegalStateException();
      }
    } catch (ProtocolViolationException e) {
      throw new IllegalStateException(e);
    }
    out.writeBytes(encryptAndHash(payload));
    step++;
    return out.toByteArray();
  }

  /** Reads the next handshake message and returns its decrypted payload. */
  public byte[] readMessage(byte[] message) throws ProtocolViolationException {
    if (isMyTurn() || isComplete()) {
      throw new IllegalStateException("not this side's turn to read");
    }
    int pos = 0;
    switch (step) {
      case 0 -> {
        need(message, DH_LEN);
        remoteEphemeral = Arrays.copyOfRange(message, 0, DH_LEN);
        mixHash(remoteEphemeral);
        pos = DH_LEN;
      }
      case 1 -> {
        need(message, DH_LEN + DH_LEN + NoiseCipherState.TAG_LENGTH);
        remoteEphemeral = Arrays.copyOfRange(message, 0, DH_LEN);
        mixHash(remoteEphemeral);
        mixKey(dh(localEphemeral, remoteEphemeral));
        int sLen = DH_LEN + NoiseCipherState.TAG_LENGTH;
        remoteStatic = decryptAndHash(Arrays.copyOfRange(message, DH_LEN, DH_LEN + sLen));
        mixKey(dh(localEphemeral, remoteStatic));
        pos = DH_LEN + sLen;
      }
      case 2 -> {
        int sLen = DH_LEN + NoiseCipherState.TAG_LENGTH;
        need(message, sLen);
        remoteStatic = decryptAndHash(Arrays.copyOfRange(message, 0, sLen));
        mixKey(dh(localEphemeral, remoteStatic));
        pos = sLen;
      }
      default -> throw new IllegalStateException();
    }
    byte[] payload = decryptAndHash(Arrays.copyOfRange(message, pos, message.length));
    step++;
    return payload;
  }

  /** The transport ciphers: {@code [send, receive]} for this side. */
  public NoiseCipherState[] split() {
    if (!isComplete()) {
      throw new IllegalStateException("handshake not complete");
    }
    byte[][] keys = hkdf(ck, new byte[0]);
    NoiseCipherState c1 = new NoiseCipherState(keys[0]);
    NoiseCipherState c2 = new NoiseCipherState(keys[1]);
    return initiator ? new NoiseCipherState[] {c1, c2} : new NoiseCipherState[] {c2, c1};
  }

  private static void need(byte[] m, int n) throws ProtocolViolationException {
    if (m.length < n) {
      throw new ProtocolViolationException("noise handshake message too short");
    }
  }

  private void mixHash(byte[] data) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(h);
      md.update(data);
      h = md.digest();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private void mixKey(byte[] ikm) {
    byte[][] out = hkdf(ck, ikm);
    ck = out[0];
    cipher = new NoiseCipherState(out[1]);
  }

  private byte[] encryptAndHash(byte[] plaintext) {
    byte[] ct = cipher == null ? plaintext : cipher.encrypt(h, plaintext, 0, plaintext.length);
    mixHash(ct);
    return ct;
  }

  private byte[] decryptAndHash(byte[] ct) throws ProtocolViolationException {
    byte[] pt = cipher == null ? ct : cipher.decrypt(h, ct, 0, ct.length);
    mixHash(ct);
    return pt;
  }

  private static byte[] dh(KeyPair local, byte[] remotePublic) throws ProtocolViolationException {
    try {
      byte[] be = new byte[32];
      for (int i = 0; i < 32; i++) {
        be[i] = remotePublic[31 - i];
      }
      be[0] &= 0x7F; // RFC 7748: mask the most significant bit
      PublicKey pk =
          KeyFactory.getInstance("XDH")
              .generatePublic(
                  new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(1, be)));
      KeyAgreement ka = KeyAgreement.getInstance("X25519");
      ka.init(local.getPrivate());
      ka.doPhase(pk, true);
      return ka.generateSecret();
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new ProtocolViolationException("invalid X25519 public key from peer", e);
    }
  }

  private static byte[][] hkdf(byte[] chainingKey, byte[] ikm) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(chainingKey, "HmacSHA256"));
      byte[] temp = mac.doFinal(ikm);
      mac.init(new SecretKeySpec(temp, "HmacSHA256"));
      byte[] out1 = mac.doFinal(new byte[] {1});
      mac.update(out1);
      byte[] out2 = mac.doFinal(new byte[] {2});
      return new byte[][] {out1, out2};
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}

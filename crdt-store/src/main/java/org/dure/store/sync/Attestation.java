package org.dure.store.sync;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import org.dure.identity.Identity;
import org.dure.store.doc.Author;
import org.dure.store.doc.ClaimedAuthors;

/**
 * An author's signed statement about its changes to one document: "the changes of actor {@code
 * actor} up to and including number {@code seq}, the last of which has hash {@code hash}, are mine;
 * I made the last at {@code time} with {@code message}". The signer is the Ed25519 key that forms
 * the actor id's first 32 bytes (every Dure node writes as its public key plus 8 random bytes).
 *
 * <p>One statement covers a run: an honest author's change number {@code k} depends, directly or
 * through others, on its change {@code k - 1}, so every earlier change of the actor is an ancestor
 * of the attested one (the receiver checks exactly that, see {@link Attestations#cover}). Signing
 * once per run rather than per change keeps the cost (the JDK's Ed25519 takes about 0.6 ms per
 * signature here) off the edit path: a node signs when it sends, not when it commits.
 *
 * <p>What is signed: the ASCII bytes {@code "dure-attestation-v1"}, a zero byte, the document id
 * (26 ASCII bytes), the actor id's length (one byte) and bytes, the seq and the time (8 bytes each,
 * big-endian), the hash (32 bytes), the message's UTF-8 length (8 bytes, big-endian) and bytes.
 *
 * @param time milliseconds since 1970, as the author's clock said
 * @param message the author's message for the attested change, empty if none (at most {@link
 *     #MAX_MESSAGE} UTF-8 bytes)
 */
public record Attestation(
    String docId,
    byte[] actor,
    long seq,
    byte[] hash,
    long time,
    String message,
    byte[] signature) {

  /** Longest message in UTF-8 bytes. */
  public static final int MAX_MESSAGE = 1024;

  /** Length of a Dure actor id: the 32-byte public key and 8 random bytes. */
  public static final int ACTOR_BYTES = ClaimedAuthors.ACTOR_ID_BYTES;

  private static final byte[] DOMAIN = "dure-attestation-v1\0".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] X509_ED25519 = HexFormat.of().parseHex("302a300506032b6570032100");

  public Attestation {
    if (docId == null || docId.length() != 26) {
      throw new IllegalArgumentException("A document id has 26 characters");
    }
    if (actor == null || actor.length != ACTOR_BYTES) {
      throw new IllegalArgumentException("A Dure actor id has " + ACTOR_BYTES + " bytes");
    }
    if (seq < 1) {
      throw new IllegalArgumentException("A change's seq starts at 1");
    }
    if (hash == null || hash.length != 32) {
      throw new IllegalArgumentException("A change hash has 32 bytes");
    }
    if (message == null || message.getBytes(StandardCharsets.UTF_8).length > MAX_MESSAGE) {
      throw new IllegalArgumentException("An attestation's message has at most 1 KiB");
    }
    if (signature == null || signature.length != 64) {
      throw new IllegalArgumentException("An Ed25519 signature has 64 bytes");
    }
  }

  /** Signs a statement with {@code identity}, whose key must begin {@code actor}. */
  public static Attestation sign(
      Identity identity,
      String docId,
      byte[] actor,
      long seq,
      byte[] hash,
      long time,
      String message) {
    byte[] key = identity.publicKey().data();
    if (!Arrays.equals(key, 0, 32, actor, 0, 32)) {
      throw new IllegalArgumentException("The actor is not this identity's");
    }
    byte[] bytes = signedBytes(docId, actor, seq, hash, time, message);
    return new Attestation(docId, actor, seq, hash, time, message, identity.sign(bytes));
  }

  /** The author: the Ed25519 key that must have made the signature. */
  public Author author() {
    return new Author(Arrays.copyOf(actor, 32));
  }

  /** Whether the signature is the author's over this statement. */
  public boolean isValid() {
    try {
      PublicKey key =
          KeyFactory.getInstance("Ed25519")
              .generatePublic(new X509EncodedKeySpec(x509(Arrays.copyOf(actor, 32))));
      Signature s = Signature.getInstance("Ed25519");
      s.initVerify(key);
      s.update(signedBytes(docId, actor, seq, hash, time, message));
      return s.verify(signature);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false; // not a point on the curve, or a malformed signature
    }
  }

  private static byte[] x509(byte[] raw) {
    byte[] enc = Arrays.copyOf(X509_ED25519, X509_ED25519.length + 32);
    System.arraycopy(raw, 0, enc, X509_ED25519.length, 32);
    return enc;
  }

  static byte[] signedBytes(
      String docId, byte[] actor, long seq, byte[] hash, long time, String message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(160);
    out.writeBytes(DOMAIN);
    out.writeBytes(docId.getBytes(StandardCharsets.US_ASCII));
    out.write(actor.length);
    out.writeBytes(actor);
    writeLong(out, seq);
    writeLong(out, time);
    out.writeBytes(hash);
    byte[] msg = message.getBytes(StandardCharsets.UTF_8);
    writeLong(out, msg.length);
    out.writeBytes(msg);
    return out.toByteArray();
  }

  private static void writeLong(ByteArrayOutputStream out, long v) {
    for (int i = 7; i >= 0; i--) {
      out.write((int) (v >>> (8 * i)));
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Attestation a
        && docId.equals(a.docId)
        && Arrays.equals(actor, a.actor)
        && seq == a.seq
        && Arrays.equals(hash, a.hash)
        && time == a.time
        && message.equals(a.message)
        && Arrays.equals(signature, a.signature);
  }

  @Override
  public int hashCode() {
    return 31 * docId.hashCode() + Arrays.hashCode(actor) + (int) seq;
  }

  @Override
  public String toString() {
    return "Attestation[" + docId + " " + author().shortId() + " seq " + seq + "]";
  }
}

package org.dure.net.invite;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import org.dure.identity.Identity;
import org.dure.identity.LibP2pPublicKey;
import org.dure.identity.PeerId;
import org.dure.net.ProtocolViolationException;
import org.dure.net.base.WireIdentity;
import org.dure.net.multiaddr.Multiaddr;

/**
 * An invitation to a space, as text a person can pass on ({@code dure:invite/…}) or show as a QR
 * code: the inviter's peer ID and addresses (possibly none), the space, the role offered, a
 * single-use secret and an expiry, signed by the inviter's key (so the addresses cannot be swapped
 * for an attacker's).
 *
 * <p>Binary form, base64url without padding after the prefix: version (1), peer ID (length byte,
 * bytes), addresses (count byte ≤ {@value #MAX_ADDRESSES}, each: length (2 bytes) and bytes), space
 * id (26 ASCII bytes), space name (length byte, UTF-8), role (length byte, ASCII), secret (32
 * bytes), expiry (8 bytes, epoch seconds), signature (64 bytes, Ed25519 over {@code "dure-invite:"}
 * and everything before it).
 */
public record InviteLink(
    PeerId inviter,
    List<Multiaddr> addresses,
    String spaceId,
    String spaceName,
    String role,
    byte[] secret,
    Instant expires) {

  public static final String PREFIX = "dure:invite/";
  public static final int MAX_ADDRESSES = 8;
  public static final int MAX_TEXT = 4096;
  private static final byte VERSION = 1;
  private static final byte[] DOMAIN = "dure-invite:".getBytes(StandardCharsets.US_ASCII);
  private static final Pattern SPACE_ID = Pattern.compile("[a-z2-7]{26}");
  private static final Pattern ROLE = Pattern.compile("[a-z]{1,20}");

  public InviteLink {
    addresses = List.copyOf(addresses);
    if (addresses.size() > MAX_ADDRESSES) {
      throw new IllegalArgumentException("At most " + MAX_ADDRESSES + " addresses");
    }
    if (!SPACE_ID.matcher(spaceId).matches()) {
      throw new IllegalArgumentException("Not a space id: " + spaceId);
    }
    if (spaceName.getBytes(StandardCharsets.UTF_8).length > 255) {
      throw new IllegalArgumentException("The space name is too long for an invite");
    }
    if (!ROLE.matcher(role).matches()) {
      throw new IllegalArgumentException("Not a role: " + role);
    }
    if (secret.length != 32) {
      throw new IllegalArgumentException("The secret must have 32 bytes");
    }
    secret = secret.clone();
  }

  @Override
  public byte[] secret() {
    return secret.clone();
  }

  public boolean isExpired(Instant now) {
    return !now.isBefore(expires);
  }

  /** Signs the invite with the inviter's key pair and returns its text form. */
  public String sign(KeyPair inviterKeys) {
    Identity id = new Identity(inviterKeys);
    if (!id.peerId().equals(inviter)) {
      throw new IllegalArgumentException("The key pair is not the inviter's");
    }
    byte[] body = body();
    byte[] signature = id.sign(signed(body));
    ByteBuffer out = ByteBuffer.allocate(body.length + signature.length);
    out.put(body).put(signature);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out.array());
  }

  private byte[] body() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(VERSION);
    byte[] peer = inviter.toBytes();
    out.write(peer.length);
    out.writeBytes(peer);
    out.write(addresses.size());
    for (Multiaddr a : addresses) {
      byte[] b = a.toBytes();
      out.write(b.length >> 8);
      out.write(b.length & 0xff);
      out.writeBytes(b);
    }
    out.writeBytes(spaceId.getBytes(StandardCharsets.US_ASCII));
    byte[] name = spaceName.getBytes(StandardCharsets.UTF_8);
    out.write(name.length);
    out.writeBytes(name);
    byte[] r = role.getBytes(StandardCharsets.US_ASCII);
    out.write(r.length);
    out.writeBytes(r);
    out.writeBytes(secret);
    out.writeBytes(ByteBuffer.allocate(8).putLong(expires.getEpochSecond()).array());
    return out.toByteArray();
  }

  private static byte[] signed(byte[] body) {
    byte[] m = new byte[DOMAIN.length + body.length];
    System.arraycopy(DOMAIN, 0, m, 0, DOMAIN.length);
    System.arraycopy(body, 0, m, DOMAIN.length, body.length);
    return m;
  }

  /**
   * Parses and verifies an invite's text (surrounding whitespace is ignored).
   *
   * @throws InviteException with a message for the user if it is not a valid, correctly signed
   *     invite (expiry is not checked here: see {@link #isExpired})
   */
  public static InviteLink parse(String text) throws InviteException {
    String t = text == null ? "" : text.strip();
    if (t.length() > MAX_TEXT) {
      throw new InviteException("This is too long to be a Dure invite.");
    }
    if (!t.startsWith(PREFIX)) {
      throw new InviteException("A Dure invite starts with \"" + PREFIX + "\".");
    }
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(t.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new InviteException("The invite is damaged (not base64url); copy it again.");
    }
    try {
      return decode(bytes);
    } catch (java.nio.BufferUnderflowException
        | IllegalArgumentException
        | java.time.DateTimeException
        | ProtocolViolationException e) {
      throw new InviteException(
          "The invite is damaged or incomplete; copy it again (" + e.getMessage() + ").");
    }
  }

  private static InviteLink decode(byte[] bytes)
      throws InviteException, ProtocolViolationException {
    if (bytes.length < 64 + 1) {
      throw new InviteException("The invite is too short; copy it again.");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes, 0, bytes.length - 64);
    byte version = in.get();
    if (version != VERSION) {
      throw new InviteException(
          "This invite was made by a newer Dure (version " + version + "); update Dure.");
    }
    PeerId inviter = WireIdentity.peerId(take(in, in.get() & 0xff));
    int count = in.get() & 0xff;
    if (count > MAX_ADDRESSES) {
      throw new IllegalArgumentException(count + " addresses");
    }
    List<Multiaddr> addrs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int len = ((in.get() & 0xff) << 8) | (in.get() & 0xff);
      if (len > Multiaddr.MAX_LENGTH) {
        throw new IllegalArgumentException("address of " + len + " bytes");
      }
      addrs.add(Multiaddr.fromBytes(take(in, len)));
    }
    String spaceId = new String(take(in, 26), StandardCharsets.US_ASCII);
    String name = new String(take(in, in.get() & 0xff), StandardCharsets.UTF_8);
    String role = new String(take(in, in.get() & 0xff), StandardCharsets.US_ASCII);
    byte[] secret = take(in, 32);
    Instant expires = Instant.ofEpochSecond(in.getLong());
    if (in.hasRemaining()) {
      throw new IllegalArgumentException("trailing bytes");
    }
    byte[] body = java.util.Arrays.copyOf(bytes, bytes.length - 64);
    byte[] signature = java.util.Arrays.copyOfRange(bytes, bytes.length - 64, bytes.length);
    LibP2pPublicKey key = inviter.embeddedPublicKey();
    if (key == null || !key.verify(signed(body), signature)) {
      throw new InviteException(
          "The invite's signature does not match its sender; it may have been altered.");
    }
    return new InviteLink(inviter, addrs, spaceId, name, role, secret, expires);
  }

  private static byte[] take(ByteBuffer in, int n) {
    if (n > in.remaining()) {
      throw new IllegalArgumentException("field of " + n + " bytes exceeds the invite");
    }
    byte[] b = new byte[n];
    in.get(b);
    return b;
  }
}

package org.dure.net.sync;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.dure.net.ProtocolViolationException;
import org.dure.net.base.UnsignedVarint;
import org.dure.store.sync.DocumentRef;
import org.dure.store.wiki.SpaceId;

/**
 * Bytes ↔ {@link SyncFrame}s. Spec: "A frame is an unsigned varint length {@code n} (1 ≤ n ≤
 * 1,048,576) followed by {@code n} bytes: one type byte and the type's body. A larger length, an
 * unknown type or a malformed body is a protocol error." Every declared length is checked before
 * anything is allocated for it.
 *
 * <pre>
 * HELLO    01 | varint version (1) | varint count ≤ 1000 | count × space id (26 bytes)
 * SYNC     02 | document id | Automerge sync message (rest of frame)
 * NEED     03 | document id | space id | kind (1 space, 2 members, 3 page, 4 profile, 5 comments,
 *                6 moderation)
 * SNAPSHOT 04 | document id | space id | kind | varint total ≤ 64 MiB | varint offset | chunk ≤ 256 KiB
 * BYE      05 | varint code | varint length ≤ 1 KiB | UTF-8 message
 * SYNC_PART 06 | document id | varint total | varint offset | chunk ≤ 256 KiB
 * ATTEST   07 | document id | varint count 1..256 | count × attestation:
 *                varint actor length (40) | actor | varint seq ≥ 1 | hash (32 bytes) |
 *                varint time | varint length ≤ 1 KiB | UTF-8 message | signature (64 bytes)
 * </pre>
 */
public final class SyncFrameCodec {
  public static final String PROTOCOL = "/dure/sync/1.0.0";
  public static final int VERSION = 1;
  public static final int MAX_FRAME = 1 << 20;
  public static final int MAX_HELLO_SPACES = 1000;
  public static final long MAX_SNAPSHOT = 64L << 20;
  public static final int MAX_CHUNK = 256 << 10;
  public static final int MAX_BYE_MESSAGE = 1024;

  /** Attestations in one ATTEST frame at most. */
  public static final int MAX_ATTESTATIONS = 256;

  /** Largest sync message sent in parts (what the store accepts). */
  public static final int MAX_SYNC_MESSAGE = 16 << 20;

  static final int ID_LENGTH = 26;
  private static final Pattern ID = Pattern.compile("[a-z2-7]{26}");

  private SyncFrameCodec() {}

  /**
   * Reads one frame.
   *
   * @return the frame, or {@code null} if the stream ended cleanly before it
   * @throws ProtocolViolationException if the length is out of bounds or the frame malformed
   */
  public static SyncFrame read(InputStream in) throws IOException {
    long n = UnsignedVarint.read(in);
    if (n < 0) {
      return null;
    }
    if (n < 1 || n > MAX_FRAME) {
      throw new ProtocolViolationException("frame length " + n + " outside 1.." + MAX_FRAME);
    }
    byte[] frame = in.readNBytes((int) n);
    if (frame.length != n) {
      throw new EOFException("truncated frame");
    }
    return decode(frame);
  }

  /** Decodes a frame's content (type byte and body, without the length prefix). */
  public static SyncFrame decode(byte[] frame) throws ProtocolViolationException {
    if (frame.length < 1 || frame.length > MAX_FRAME) {
      throw new ProtocolViolationException("frame length " + frame.length);
    }
    Cursor c = new Cursor(frame, 1);
    SyncFrame f =
        switch (frame[0]) {
          case SyncFrame.HELLO -> {
            long version = c.varint();
            if (version != VERSION) {
              throw new ProtocolViolationException("unsupported sync version " + version);
            }
            long count = c.varint();
            if (count > MAX_HELLO_SPACES) {
              throw new ProtocolViolationException("HELLO with " + count + " spaces");
            }
            c.need(count * ID_LENGTH);
            List<SpaceId> spaces = new ArrayList<>((int) count);
            for (int i = 0; i < count; i++) {
              spaces.add(new SpaceId(c.id()));
            }
            yield new SyncFrame.Hello((int) version, spaces);
          }
          case SyncFrame.SYNC -> {
            String doc = c.id();
            if (c.remaining() == 0) {
              throw new ProtocolViolationException("empty sync message");
            }
            yield new SyncFrame.Sync(doc, c.rest());
          }
          case SyncFrame.NEED -> new SyncFrame.Need(c.id(), new SpaceId(c.id()), c.kind());
          case SyncFrame.SNAPSHOT -> {
            String doc = c.id();
            SpaceId space = new SpaceId(c.id());
            DocumentRef.Kind kind = c.kind();
            long total = c.varint();
            long offset = c.varint();
            int chunk = c.remaining();
            if (total < 1 || total > MAX_SNAPSHOT) {
              throw new ProtocolViolationException("snapshot of " + total + " bytes");
            }
            if (chunk < 1 || chunk > MAX_CHUNK || offset > total - chunk) {
              throw new ProtocolViolationException(
                  "snapshot chunk of " + chunk + " bytes at " + offset + " of " + total);
            }
            yield new SyncFrame.Snapshot(doc, space, kind, total, offset, c.rest());
          }
          case SyncFrame.SYNC_PART -> {
            String doc = c.id();
            long total = c.varint();
            long offset = c.varint();
            int chunk = c.remaining();
            if (total <= maxSyncMessage() || total > MAX_SYNC_MESSAGE) {
              throw new ProtocolViolationException("sync message in parts of " + total + " bytes");
            }
            if (chunk < 1 || chunk > MAX_CHUNK || offset > total - chunk) {
              throw new ProtocolViolationException(
                  "sync message part of " + chunk + " bytes at " + offset + " of " + total);
            }
            yield new SyncFrame.SyncPart(doc, total, offset, c.rest());
          }
          case SyncFrame.BYE -> {
            long code = c.varint();
            if (code > Integer.MAX_VALUE) {
              throw new ProtocolViolationException("BYE code " + code);
            }
            long len = c.varint();
            if (len > MAX_BYE_MESSAGE) {
              throw new ProtocolViolationException("BYE message of " + len + " bytes");
            }
            yield new SyncFrame.Bye((int) code, c.utf8((int) len));
          }
          case SyncFrame.ATTEST -> {
            String doc = c.id();
            long count = c.varint();
            if (count < 1 || count > MAX_ATTESTATIONS) {
              throw new ProtocolViolationException("ATTEST with " + count + " attestations");
            }
            List<org.dure.store.sync.Attestation> atts = new ArrayList<>((int) count);
            for (int i = 0; i < count; i++) {
              atts.add(c.attestation(doc));
            }
            yield new SyncFrame.Attest(doc, atts);
          }
          default ->
              throw new ProtocolViolationException(
                  "unknown frame type 0x" + Integer.toHexString(frame[0] & 0xFF));
        };
    if (c.remaining() != 0) {
      throw new ProtocolViolationException(c.remaining() + " bytes left over in frame");
    }
    return f;
  }

  /** The frame with its varint length prefix, ready to write. */
  public static byte[] encode(SyncFrame frame) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    switch (frame) {
      case SyncFrame.Hello h -> {
        if (h.spaces().size() > MAX_HELLO_SPACES) {
          throw new IllegalArgumentException("HELLO with " + h.spaces().size() + " spaces");
        }
        b.write(SyncFrame.HELLO);
        UnsignedVarint.write(h.version(), b);
        UnsignedVarint.write(h.spaces().size(), b);
        h.spaces().forEach(s -> id(b, s.value()));
      }
      case SyncFrame.Sync s -> {
        b.write(SyncFrame.SYNC);
        id(b, s.docId());
        b.writeBytes(s.message());
      }
      case SyncFrame.Need n -> {
        b.write(SyncFrame.NEED);
        id(b, n.docId());
        id(b, n.space().value());
        b.write(kindByte(n.kind()));
      }
      case SyncFrame.Snapshot s -> {
        b.write(SyncFrame.SNAPSHOT);
        id(b, s.docId());
        id(b, s.space().value());
        b.write(kindByte(s.kind()));
        UnsignedVarint.write(s.total(), b);
        UnsignedVarint.write(s.offset(), b);
        b.writeBytes(s.chunk());
      }
      case SyncFrame.SyncPart p -> {
        b.write(SyncFrame.SYNC_PART);
        id(b, p.docId());
        UnsignedVarint.write(p.total(), b);
        UnsignedVarint.write(p.offset(), b);
        b.writeBytes(p.chunk());
      }
      case SyncFrame.Attest a -> {
        if (a.attestations().isEmpty() || a.attestations().size() > MAX_ATTESTATIONS) {
          throw new IllegalArgumentException("ATTEST with " + a.attestations().size());
        }
        b.write(SyncFrame.ATTEST);
        id(b, a.docId());
        UnsignedVarint.write(a.attestations().size(), b);
        for (org.dure.store.sync.Attestation x : a.attestations()) {
          UnsignedVarint.write(x.actor().length, b);
          b.writeBytes(x.actor());
          UnsignedVarint.write(x.seq(), b);
          b.writeBytes(x.hash());
          UnsignedVarint.write(x.time(), b);
          byte[] msg = x.message().getBytes(StandardCharsets.UTF_8);
          UnsignedVarint.write(msg.length, b);
          b.writeBytes(msg);
          b.writeBytes(x.signature());
        }
      }
      case SyncFrame.Bye y -> {
        b.write(SyncFrame.BYE);
        UnsignedVarint.write(y.code(), b);
        byte[] text = truncatedUtf8(y.message(), MAX_BYE_MESSAGE);
        UnsignedVarint.write(text.length, b);
        b.writeBytes(text);
      }
    }
    if (b.size() > MAX_FRAME) {
      throw new IllegalArgumentException("frame of " + b.size() + " bytes exceeds " + MAX_FRAME);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(b.size() + 4);
    UnsignedVarint.write(b.size(), out);
    out.writeBytes(b.toByteArray());
    return out.toByteArray();
  }

  /**
   * A sync message as the frames that carry it: one SYNC, or SYNC_PARTs of at most {@link
   * #MAX_CHUNK} bytes when it does not fit one frame.
   *
   * @throws IllegalArgumentException if it is larger than {@link #MAX_SYNC_MESSAGE}
   */
  public static List<SyncFrame> syncFrames(String docId, byte[] message) {
    if (message.length <= maxSyncMessage()) {
      return List.of(new SyncFrame.Sync(docId, message));
    }
    if (message.length > MAX_SYNC_MESSAGE) {
      throw new IllegalArgumentException(
          "sync message of " + message.length + " bytes exceeds " + MAX_SYNC_MESSAGE);
    }
    List<SyncFrame> parts = new ArrayList<>();
    for (int off = 0; off < message.length; off += MAX_CHUNK) {
      int n = Math.min(MAX_CHUNK, message.length - off);
      parts.add(
          new SyncFrame.SyncPart(
              docId, message.length, off, java.util.Arrays.copyOfRange(message, off, off + n)));
    }
    return parts;
  }

  /** The most bytes of sync message that fit one SYNC frame. */
  public static int maxSyncMessage() {
    return MAX_FRAME - 1 - ID_LENGTH;
  }

  static boolean isId(String s) {
    return ID.matcher(s).matches();
  }

  private static void id(ByteArrayOutputStream b, String id) {
    if (!isId(id)) {
      throw new IllegalArgumentException("not an id: " + id);
    }
    b.writeBytes(id.getBytes(StandardCharsets.US_ASCII));
  }

  static int kindByte(DocumentRef.Kind kind) {
    return switch (kind) {
      case SPACE -> 1;
      case MEMBERS -> 2;
      case PAGE -> 3;
      case PROFILE -> 4;
      case COMMENTS -> 5;
      case MODERATION -> 6;
    };
  }

  private static byte[] truncatedUtf8(String s, int max) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (b.length <= max) {
      return b;
    }
    int end = max;
    while (end > 0 && (b[end] & 0xC0) == 0x80) {
      end--; // do not cut a character in half
    }
    return Arrays.copyOf(b, end);
  }

  /** Reads a frame's fields; every read is bounded by what is left. */
  private static final class Cursor {
    private final byte[] data;
    private int pos;

    Cursor(byte[] data, int pos) {
      this.data = data;
      this.pos = pos;
    }

    int remaining() {
      return data.length - pos;
    }

    void need(long n) throws ProtocolViolationException {
      if (n > remaining()) {
        throw new ProtocolViolationException("frame truncated: " + n + " bytes needed");
      }
    }

    long varint() throws ProtocolViolationException {
      UnsignedVarint.Decoded d = UnsignedVarint.decode(data, pos);
      pos += d.length();
      return d.value();
    }

    String id() throws ProtocolViolationException {
      need(ID_LENGTH);
      String s = new String(data, pos, ID_LENGTH, StandardCharsets.US_ASCII);
      if (!isId(s)) {
        throw new ProtocolViolationException("malformed id in frame");
      }
      pos += ID_LENGTH;
      return s;
    }

    DocumentRef.Kind kind() throws ProtocolViolationException {
      need(1);
      return switch (data[pos++]) {
        case 1 -> DocumentRef.Kind.SPACE;
        case 2 -> DocumentRef.Kind.MEMBERS;
        case 3 -> DocumentRef.Kind.PAGE;
        case 4 -> DocumentRef.Kind.PROFILE;
        case 5 -> DocumentRef.Kind.COMMENTS;
        case 6 -> DocumentRef.Kind.MODERATION;
        default -> throw new ProtocolViolationException("unknown document kind " + data[pos - 1]);
      };
    }

    String utf8(int len) throws ProtocolViolationException {
      need(len);
      try {
        String s =
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(data, pos, len))
                .toString();
        pos += len;
        return s;
      } catch (CharacterCodingException e) {
        throw new ProtocolViolationException("malformed UTF-8 in frame");
      }
    }

    byte[] bytes(int n) throws ProtocolViolationException {
      need(n);
      byte[] out = Arrays.copyOfRange(data, pos, pos + n);
      pos += n;
      return out;
    }

    org.dure.store.sync.Attestation attestation(String doc) throws ProtocolViolationException {
      long actorLength = varint();
      if (actorLength != org.dure.store.sync.Attestation.ACTOR_BYTES) {
        throw new ProtocolViolationException("attestation actor of " + actorLength + " bytes");
      }
      byte[] actor = bytes((int) actorLength);
      long seq = varint();
      byte[] hash = bytes(32);
      long time = varint();
      long len = varint();
      if (seq < 1 || time < 0 || len > org.dure.store.sync.Attestation.MAX_MESSAGE) {
        throw new ProtocolViolationException("malformed attestation");
      }
      String message = utf8((int) len);
      byte[] signature = bytes(64);
      try {
        return new org.dure.store.sync.Attestation(doc, actor, seq, hash, time, message, signature);
      } catch (IllegalArgumentException e) {
        throw new ProtocolViolationException("malformed attestation: " + e.getMessage());
      }
    }

    byte[] rest() {
      byte[] out = Arrays.copyOfRange(data, pos, data.length);
      pos = data.length;
      return out;
    }
  }
}

package org.dure.net.noise;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dure.net.ProtocolViolationException;
import org.dure.net.base.ProtoReader;
import org.dure.net.base.ProtoWriter;

/**
 * The libp2p {@code NoiseHandshakePayload}: {@code bytes identity_key = 1; bytes identity_sig = 2;
 * NoiseExtensions extensions = 4;} with {@code NoiseExtensions { repeated bytes
 * webtransport_certhashes = 1; repeated string stream_muxers = 2; }}.
 *
 * @param streamMuxers the muxers from the extensions, in preference order (empty if none were sent)
 */
public record NoiseHandshakePayload(
    byte[] identityKey, byte[] identitySignature, List<String> streamMuxers) {
  /** Largest payload accepted (one Noise message). */
  public static final int MAX_SIZE = 65535;

  private static final int MAX_MUXERS = 16;
  private static final int MAX_CERTHASHES = 16;

  public NoiseHandshakePayload {
    identityKey = identityKey.clone();
    identitySignature = identitySignature.clone();
    streamMuxers = List.copyOf(streamMuxers);
  }

  @Override
  public byte[] identityKey() {
    return identityKey.clone();
  }

  @Override
  public byte[] identitySignature() {
    return identitySignature.clone();
  }

  public byte[] encode() {
    ProtoWriter w = new ProtoWriter().bytes(1, identityKey).bytes(2, identitySignature);
    if (!streamMuxers.isEmpty()) {
      ProtoWriter ext = new ProtoWriter();
      for (String m : streamMuxers) {
        ext.string(2, m);
      }
      w.bytes(4, ext.toByteArray());
    }
    return w.toByteArray();
  }

  public static NoiseHandshakePayload decode(byte[] data) throws ProtocolViolationException {
    if (data.length > MAX_SIZE) {
      throw new ProtocolViolationException("noise handshake payload too large");
    }
    ProtoReader r = new ProtoReader(data);
    byte[] key = null;
    byte[] sig = null;
    List<String> muxers = new ArrayList<>();
    while (r.next()) {
      switch (r.field()) {
        case 1 -> key = r.bytes();
        case 2 -> sig = r.bytes();
        case 4 -> {
          byte[] ext = r.bytes();
          ProtoReader e = new ProtoReader(ext);
          int hashes = 0;
          while (e.next()) {
            if (e.field() == 2) {
              if (muxers.size() >= MAX_MUXERS) {
                throw new ProtocolViolationException("too many stream muxers in noise extensions");
              }
              muxers.add(e.string());
            } else if (e.field() == 1) {
              e.bytes();
              if (++hashes > MAX_CERTHASHES) {
                throw new ProtocolViolationException("too many certhashes in noise extensions");
              }
            } else {
              e.skip();
            }
          }
        }
        default -> r.skip();
      }
    }
    if (key == null || sig == null) {
      throw new ProtocolViolationException(
          "noise handshake payload lacks identity key or signature");
    }
    return new NoiseHandshakePayload(key, sig, muxers);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NoiseHandshakePayload p
        && Arrays.equals(p.identityKey, identityKey)
        && Arrays.equals(p.identitySignature, identitySignature)
        && p.streamMuxers.equals(streamMuxers);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(identityKey) * 31 + streamMuxers.hashCode();
  }

  @Override
  public String toString() {
    return "NoiseHandshakePayload[muxers=" + streamMuxers + "]";
  }
}

package org.dure.net.relay;

import java.time.Duration;
import org.dure.net.ProtocolViolationException;
import org.dure.net.base.ProtoReader;
import org.dure.net.base.ProtoWriter;

/**
 * The circuit v2 {@code Limit} of one relayed connection: {@code duration = 1} (seconds, uint32)
 * and {@code data = 2} (bytes "allowed to be transmitted in each direction"); 0 means no limit.
 */
public record RelayLimit(long durationSeconds, long dataBytes) {
  /** No limit. */
  public static final RelayLimit NONE = new RelayLimit(0, 0);

  private static final long MAX_UINT32 = 0xFFFF_FFFFL;

  public RelayLimit {
    if (durationSeconds < 0 || durationSeconds > MAX_UINT32 || dataBytes < 0) {
      throw new IllegalArgumentException("invalid relay limit");
    }
  }

  public static RelayLimit of(Duration duration, long dataBytes) {
    return new RelayLimit(duration.toSeconds(), dataBytes);
  }

  /** The duration limit, or {@link Duration#ZERO} for none. */
  public Duration duration() {
    return Duration.ofSeconds(durationSeconds);
  }

  byte[] encode() {
    ProtoWriter w = new ProtoWriter();
    if (durationSeconds != 0) {
      w.uint64(1, durationSeconds);
    }
    if (dataBytes != 0) {
      w.uint64(2, dataBytes);
    }
    return w.toByteArray();
  }

  static RelayLimit decode(byte[] data) throws ProtocolViolationException {
    ProtoReader r = new ProtoReader(data);
    long duration = 0;
    long bytes = 0;
    while (r.next()) {
      switch (r.field()) {
        case 1 -> duration = r.uint64();
        case 2 -> bytes = r.uint64();
        default -> r.skip();
      }
    }
    if (duration < 0 || duration > MAX_UINT32 || bytes < 0) {
      throw new ProtocolViolationException("relay limit out of range");
    }
    return new RelayLimit(duration, bytes);
  }
}

package org.dure.net.relay;

import org.dure.net.ProtocolViolationException;

/** The circuit v2 {@code Status} codes. */
public enum RelayStatus {
  OK(100),
  RESERVATION_REFUSED(200),
  RESOURCE_LIMIT_EXCEEDED(201),
  PERMISSION_DENIED(202),
  CONNECTION_FAILED(203),
  NO_RESERVATION(204),
  MALFORMED_MESSAGE(400),
  UNEXPECTED_MESSAGE(401);

  private final int code;

  RelayStatus(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  static RelayStatus fromCode(long code) throws ProtocolViolationException {
    for (RelayStatus s : values()) {
      if (s.code == code) {
        return s;
      }
    }
    throw new ProtocolViolationException("unknown relay status " + code);
  }
}

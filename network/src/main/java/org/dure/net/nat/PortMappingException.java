package org.dure.net.nat;

import org.dure.net.NetworkException;

/**
 * A router did not map the port: no answer, a malformed answer, or a refusal with an error code
 * (NAT-PMP result code, UPnP error code; -1 when there is none).
 */
public class PortMappingException extends NetworkException {
  private static final long serialVersionUID = 1L;
  private final int code;

  public PortMappingException(String message) {
    this(message, -1);
  }

  public PortMappingException(String message, int code) {
    super(message);
    this.code = code;
  }

  public PortMappingException(String message, Throwable cause) {
    super(message, cause);
    this.code = -1;
  }

  /** The router's error code, or -1. */
  public int code() {
    return code;
  }
}

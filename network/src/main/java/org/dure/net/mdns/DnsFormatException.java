package org.dure.net.mdns;

import org.dure.net.NetworkException;

/** A DNS packet that could not be decoded: truncated, over a limit, or with a bad name. */
public class DnsFormatException extends NetworkException {
  public DnsFormatException(String message) {
    super(message);
  }
}

package org.dure.net.host;

/** Which side opened a connection. */
public enum Direction {
  INBOUND,
  OUTBOUND
}

package org.dure.net.nat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketTimeoutException;

/** Receiving a datagram before a deadline: the wait shared by NAT-PMP and SSDP. */
final class Udp {
  private Udp() {}

  /**
   * Receives one datagram into {@code buf} if one arrives before {@code deadlineNanos} (on the
   * {@link System#nanoTime()} clock); null when the time is up.
   *
   * @throws IOException as {@link DatagramSocket#receive} does (e.g. {@link
   *     java.net.PortUnreachableException} on a connected socket)
   */
  static DatagramPacket receiveBefore(DatagramSocket socket, byte[] buf, long deadlineNanos)
      throws IOException {
    long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
    if (left <= 0) {
      return null;
    }
    socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
    DatagramPacket in = new DatagramPacket(buf, buf.length);
    try {
      socket.receive(in);
    } catch (SocketTimeoutException e) {
      return null;
    }
    return in;
  }
}

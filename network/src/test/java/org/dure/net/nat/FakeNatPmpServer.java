package org.dure.net.nat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A NAT-PMP gateway on 127.0.0.1 (any port) for tests: answers external address and TCP mapping
 * requests as RFC 6886 says, records what it was asked, and can be told to misbehave.
 */
final class FakeNatPmpServer implements AutoCloseable {
  /** A mapping request as received. */
  record Request(int op, int internalPort, int suggestedPort, long lifetime) {}

  enum Mode {
    NORMAL,
    SILENT,
    TRUNCATED,
    GARBAGE
  }

  final List<Request> requests = new CopyOnWriteArrayList<>();
  volatile Mode mode = Mode.NORMAL;
  volatile int resultCode;
  volatile int externalAddressResult; // result code of external address answers only
  volatile int grantedExternalPort; // 0: the suggested one
  volatile byte[] externalAddress = {(byte) 203, 0, 113, 7};
  private final DatagramSocket socket;
  private final Thread thread;

  FakeNatPmpServer() throws IOException {
    socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    thread = new Thread(this::serve, "fake-nat-pmp");
    thread.setDaemon(true);
    thread.start();
  }

  InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort());
  }

  long mapRequests() {
    return requests.stream().filter(r -> r.op() == 2).count();
  }

  private void serve() {
    byte[] buf = new byte[64];
    while (!socket.isClosed()) {
      DatagramPacket in = new DatagramPacket(buf, buf.length);
      try {
        socket.receive(in);
      } catch (IOException e) {
        return;
      }
      ByteBuffer b = ByteBuffer.wrap(buf, 0, in.getLength());
      int version = b.get();
      int op = b.get() & 0xFF;
      Request r;
      if (op == 2 && in.getLength() >= 12) {
        b.getShort();
        r =
            new Request(
                op,
                Short.toUnsignedInt(b.getShort()),
                Short.toUnsignedInt(b.getShort()),
                Integer.toUnsignedLong(b.getInt()));
      } else {
        r = new Request(op, 0, 0, 0);
      }
      requests.add(r);
      byte[] answer = answer(version, r);
      if (answer == null) {
        continue;
      }
      try {
        socket.send(new DatagramPacket(answer, answer.length, in.getSocketAddress()));
      } catch (IOException e) {
        return;
      }
    }
  }

  private byte[] answer(int version, Request r) {
    switch (mode) {
      case SILENT:
        return null;
      case GARBAGE:
        return new byte[] {9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9};
      default:
        break;
    }
    ByteBuffer out;
    if (r.op() == 0) {
      out = ByteBuffer.allocate(12);
      out.put((byte) version)
          .put((byte) 128)
          .putShort((short) (resultCode != 0 ? resultCode : externalAddressResult))
          .putInt(1000);
      out.put(externalAddress);
    } else {
      int external =
          r.lifetime() == 0
              ? 0
              : (grantedExternalPort == 0 ? r.suggestedPort() : grantedExternalPort);
      out = ByteBuffer.allocate(16);
      out.put((byte) version).put((byte) (128 + r.op())).putShort((short) resultCode).putInt(1000);
      out.putShort((short) r.internalPort()).putShort((short) external).putInt((int) r.lifetime());
    }
    byte[] a = out.array();
    return mode == Mode.TRUNCATED ? java.util.Arrays.copyOf(a, 7) : a;
  }

  @Override
  public void close() {
    socket.close();
  }
}

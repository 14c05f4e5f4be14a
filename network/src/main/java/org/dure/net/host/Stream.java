package org.dure.net.host;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.dure.identity.PeerId;
import org.dure.net.yamux.YamuxStream;

/**
 * A negotiated protocol stream with blocking byte views. {@link #outputStream()} writes block while
 * the remote's flow-control window is exhausted; {@link #inputStream()} returns -1 once the remote
 * half-closed. Errors: {@link org.dure.net.StreamResetException} if the stream was reset, another
 * {@link IOException} if the connection failed. One reader and one writer thread at a time.
 */
public final class Stream implements Closeable {
  private final YamuxStream yamux;
  private final Connection connection;
  private final String protocol;

  Stream(YamuxStream yamux, Connection connection, String protocol) {
    this.yamux = yamux;
    this.connection = connection;
    this.protocol = protocol;
  }

  /** The agreed protocol ID. */
  public String protocol() {
    return protocol;
  }

  public Connection connection() {
    return connection;
  }

  public PeerId remotePeer() {
    return connection.remotePeer();
  }

  public int id() {
    return yamux.id();
  }

  public InputStream inputStream() {
    return yamux.inputStream();
  }

  /** Output view; its {@code close()} half-closes like {@link #closeWrite()}. */
  public OutputStream outputStream() {
    return yamux.outputStream();
  }

  /** Reads block at most this long (0 = no limit), then throw {@code SocketTimeoutException}. */
  public void setReadTimeout(long millis) {
    yamux.setReadTimeout(millis);
  }

  /** Writes one unsigned-varint length-prefixed message (the usual libp2p message framing). */
  public void writeMessage(byte[] message) throws IOException {
    org.dure.net.protocol.LengthPrefixed.write(outputStream(), message);
  }

  /**
   * Reads one unsigned-varint length-prefixed message.
   *
   * @return the message, or {@code null} if the remote half-closed before it
   * @throws org.dure.net.ProtocolViolationException if the declared length exceeds {@code
   *     maxLength} (nothing is allocated for it)
   */
  public byte[] readMessage(int maxLength) throws IOException {
    return org.dure.net.protocol.LengthPrefixed.read(inputStream(), maxLength);
  }

  /** Half-close: the remote reads end of stream; we can still read. */
  public void closeWrite() throws IOException {
    yamux.closeWrite();
  }

  /** Abort both directions (Yamux RST). */
  public void reset() {
    yamux.reset();
  }

  /** Graceful close: half-closes and discards any further input. */
  @Override
  public void close() throws IOException {
    yamux.close();
  }

  @Override
  public String toString() {
    return "Stream[" + protocol + " #" + yamux.id() + " " + connection.remotePeer() + "]";
  }
}

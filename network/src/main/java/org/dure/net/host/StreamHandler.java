package org.dure.net.host;

import java.io.IOException;

/**
 * Serves one inbound stream of a protocol. Runs on its own virtual thread, so it may block. The
 * handler owns the stream: it should close it when done; if it throws, the stream is reset.
 */
@FunctionalInterface
public interface StreamHandler {
  void handle(Stream stream) throws IOException;
}

package org.dure.net.autonat;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.dure.identity.PeerId;
import org.dure.net.NetworkException;
import org.dure.net.ProtocolViolationException;
import org.dure.net.autonat.AutonatMessage.DialDataRequest;
import org.dure.net.autonat.AutonatMessage.DialDataResponse;
import org.dure.net.autonat.AutonatMessage.DialRequest;
import org.dure.net.autonat.AutonatMessage.DialResponse;
import org.dure.net.autonat.AutonatMessage.ResponseStatus;
import org.dure.net.host.Connection;
import org.dure.net.host.Host;
import org.dure.net.host.Stream;
import org.dure.net.multiaddr.Multiaddr;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AutoNAT v2 client on a {@link Host}: asks one server about a list of this node's addresses
 * ({@link #check}) and serves {@value AutonatServer#DIAL_BACK}, where the server's dial back
 * delivers the nonce. "The client MUST check that the nonce received in the DialBack is the same as
 * the nonce it sent": a server saying OK without the nonce having arrived proves nothing.
 */
public final class AutonatClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AutonatClient.class);
  private static final int MAX_PENDING = 64;

  /** What one server said about one address. */
  public enum Outcome {
    REACHABLE,
    UNREACHABLE,
    UNKNOWN
  }

  /**
   * One answer.
   *
   * @param address the address the server dialled, or {@code null} if it dialled none
   * @param detail why, for logs
   */
  public record Result(PeerId server, Multiaddr address, Outcome outcome, String detail) {}

  private final Host host;
  private final AutonatConfig config;
  private final SecureRandom random = new SecureRandom();
  private final Map<Long, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();

  public AutonatClient(Host host, AutonatConfig config) {
    this.host = host;
    this.config = config;
  }

  public AutonatClient start() {
    host.setHandler(AutonatServer.DIAL_BACK, this::serveDialBack);
    return this;
  }

  public void stop() {
    host.removeHandler(AutonatServer.DIAL_BACK);
  }

  @Override
  public void close() {
    stop();
  }

  /**
   * Asks the server at the other end of {@code server} to dial one of {@code addresses} (most
   * wanted first) back.
   *
   * @throws IOException if the exchange itself fails (the server went away, broke the protocol)
   */
  public Result check(Connection server, List<Multiaddr> addresses) throws IOException {
    if (addresses.isEmpty() || addresses.size() > AutonatMessage.MAX_ADDRESSES) {
      throw new IllegalArgumentException("1 to " + AutonatMessage.MAX_ADDRESSES + " addresses");
    }
    PeerId peer = server.remotePeer();
    long nonce = random.nextLong();
    CompletableFuture<Void> back = new CompletableFuture<>();
    if (pending.size() >= MAX_PENDING) {
      throw new NetworkException("too many AutoNAT requests at once");
    }
    pending.put(nonce, back);
    try (Stream s = server.newStream(AutonatServer.DIAL_REQUEST)) {
      s.setReadTimeout(config.timeout().toMillis() + 5000);
      new DialRequest(addresses, nonce).write(s.outputStream());
      DialResponse response = null;
      while (response == null) {
        AutonatMessage m = AutonatMessage.read(s.inputStream());
        switch (m) {
          case null -> throw new NetworkException(peer + " closed the AutoNAT stream");
          case DialResponse r -> response = r;
          case DialDataRequest r -> payDialData(s, r, addresses.size());
          default ->
              throw new ProtocolViolationException(
                  peer + " sent " + m.getClass().getSimpleName() + " to a client");
        }
      }
      if (response.status() != ResponseStatus.OK) {
        return new Result(peer, null, Outcome.UNKNOWN, response.status().name());
      }
      if (response.index() >= addresses.size()) {
        throw new ProtocolViolationException(peer + " answered for address " + response.index());
      }
      Multiaddr addr = addresses.get(response.index());
      return switch (response.dialStatus()) {
        case OK -> {
          try {
            back.get(2, TimeUnit.SECONDS); // the dial back may still be finishing
            yield new Result(peer, addr, Outcome.REACHABLE, "dialled back");
          } catch (Exception e) {
            LOG.debug("{} said it dialled {} back, but no nonce came", peer, addr);
            yield new Result(peer, addr, Outcome.UNKNOWN, "OK without the nonce");
          }
        }
        case E_DIAL_ERROR -> new Result(peer, addr, Outcome.UNREACHABLE, "dial failed");
        case E_DIAL_BACK_ERROR, UNUSED ->
            new Result(peer, addr, Outcome.UNKNOWN, response.dialStatus().name());
      };
    } finally {
      pending.remove(nonce);
    }
  }

  /** Pays the bytes a server asks before it dials another IP, if the amount is reasonable. */
  private void payDialData(Stream s, DialDataRequest r, int count) throws IOException {
    if (r.index() >= count || r.bytes() > config.maxDialData()) {
      s.reset();
      throw new NetworkException(
          "AutoNAT server asked for " + r.bytes() + " bytes of dial data; not paying");
    }
    DialDataResponse chunk = new DialDataResponse(new byte[AutonatMessage.MAX_DATA_CHUNK]);
    for (long sent = 0; sent < r.bytes(); sent += AutonatMessage.MAX_DATA_CHUNK) {
      chunk.write(s.outputStream());
    }
  }

  private void serveDialBack(Stream s) throws IOException {
    s.setReadTimeout(config.timeout().toMillis());
    DialBack m = DialBack.read(s.inputStream());
    if (m == null) {
      s.close();
      return;
    }
    CompletableFuture<Void> f = pending.get(m.nonce());
    if (f != null) {
      f.complete(null);
    }
    s.writeMessage(DialBack.ok());
    s.close();
  }
}

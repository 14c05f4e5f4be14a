package org.dure.net.autonat;

import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.dure.identity.PeerId;
import org.dure.net.autonat.AutonatMessage.DialRequest;
import org.dure.net.autonat.AutonatMessage.DialResponse;
import org.dure.net.autonat.AutonatMessage.DialStatus;
import org.dure.net.autonat.AutonatMessage.ResponseStatus;
import org.dure.net.host.Connection;
import org.dure.net.host.Host;
import org.dure.net.host.Stream;
import org.dure.net.multiaddr.IpScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AutoNAT v2 server on a {@link Host}: serves {@value #DIAL_REQUEST}, and for each request the
 * {@link AutonatServerEngine} lets through dials the selected address back from an ephemeral port
 * ({@link Host#dialProbe}), sends the nonce on {@value #DIAL_BACK}, and answers with the outcome.
 * Whom it serves is the caller's policy ({@code permitted}); limits are in {@link AutonatConfig}.
 */
public final class AutonatServer implements AutoCloseable {
  public static final String DIAL_REQUEST = "/libp2p/autonat/2/dial-request";
  public static final String DIAL_BACK = "/libp2p/autonat/2/dial-back";
  private static final Logger LOG = LoggerFactory.getLogger(AutonatServer.class);

  private final Host host;
  private final AutonatConfig config;
  private final Predicate<PeerId> permitted;
  private final AutonatServerEngine engine;

  /**
   * @param permitted whether to serve a peer (e.g. members of my spaces, or anyone with consent);
   *     asked once per request
   */
  public AutonatServer(Host host, AutonatConfig config, Predicate<PeerId> permitted) {
    this.host = host;
    this.config = config;
    this.permitted = permitted;
    this.engine = new AutonatServerEngine(config, System::nanoTime);
  }

  public AutonatServer start() {
    host.setHandler(DIAL_REQUEST, this::serve);
    return this;
  }

  public void stop() {
    host.removeHandler(DIAL_REQUEST);
  }

  @Override
  public void close() {
    stop();
  }

  private void serve(Stream s) throws IOException {
    s.setReadTimeout(config.timeout().toMillis());
    AutonatMessage m = AutonatMessage.read(s.inputStream());
    if (!(m instanceof DialRequest request)) {
      LOG.debug("{} opened {} without a dial request", s.remotePeer(), DIAL_REQUEST);
      s.reset();
      return;
    }
    Connection conn = s.connection();
    InetAddress observed = conn.isRelayed() ? null : IpScope.ipOf(conn.remoteAddress());
    PeerId peer = conn.remotePeer();
    AutonatServerEngine.Decision d = engine.decide(peer, request, observed, permitted.test(peer));
    if (d instanceof AutonatServerEngine.Refuse refuse) {
      LOG.debug("AutoNAT request from {} refused: {}", peer, refuse.reason());
      new DialResponse(refuse.status(), 0, DialStatus.UNUSED).write(s.outputStream());
      s.close();
      return;
    }
    AutonatServerEngine.Dial dial = (AutonatServerEngine.Dial) d;
    DialStatus status;
    try {
      status = dialBack(dial, request.nonce());
    } finally {
      engine.finished();
    }
    LOG.debug("AutoNAT dial back to {} at {}: {}", peer, dial.address(), status);
    new DialResponse(ResponseStatus.OK, dial.index(), status).write(s.outputStream());
    s.close();
  }

  private DialStatus dialBack(AutonatServerEngine.Dial dial, long nonce) {
    Connection c;
    try {
      c =
          host.dialProbe(dial.address(), config.timeout())
              .get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return DialStatus.E_DIAL_ERROR;
    } catch (ExecutionException | TimeoutException e) {
      return DialStatus.E_DIAL_ERROR;
    }
    try (Stream back = c.newStream(DIAL_BACK)) {
      back.setReadTimeout(config.timeout().toMillis());
      new DialBack(nonce).write(back.outputStream());
      DialBack.readResponse(back.inputStream());
      return DialStatus.OK;
    } catch (IOException | RuntimeException e) {
      LOG.debug("dial back to {} failed after connecting: {}", dial.address(), e.toString());
      return DialStatus.E_DIAL_BACK_ERROR;
    } finally {
      c.close();
    }
  }
}

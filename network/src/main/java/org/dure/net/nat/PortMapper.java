package org.dure.net.nat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a TCP port forwarded on the home router: tries NAT-PMP, then UPnP; renews the mapping at
 * half its lifetime; tries again every {@link PortMapperConfig#retryAfter()} when no router mapped
 * it (or a renewal failed); deletes it on {@link #close()}.
 *
 * <p>Concurrency: one daemon thread ({@code dure-portmap}) does all router I/O and calls the
 * listeners; {@link #start()} returns at once, {@link #state()} never blocks. {@link #close()}
 * waits at most {@link PortMapperConfig#stopTimeout()} for the deletion (after an attempt under
 * way, whose waits are all bounded).
 */
public final class PortMapper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PortMapper.class);

  private final int internalPort;
  private final Supplier<List<MappingProtocol>> protocols;
  private final PortMapperConfig config;
  private final Clock clock;
  private final ScheduledExecutorService executor;
  private final List<Consumer<PortMappingState>> listeners = new CopyOnWriteArrayList<>();
  private volatile PortMappingState state = new PortMappingState.Searching();
  private volatile boolean closed;
  // mapper thread only:
  private MappingProtocol current;
  private Lease lease;
  private ScheduledFuture<?> next;

  /**
   * @param internalPort this computer's TCP port to forward
   * @param protocols asked at each attempt for the ways to try, in order
   */
  public PortMapper(
      int internalPort,
      Supplier<List<MappingProtocol>> protocols,
      PortMapperConfig config,
      Clock clock) {
    if (internalPort < 1 || internalPort > 65535) {
      throw new IllegalArgumentException("port out of range: " + internalPort);
    }
    this.internalPort = internalPort;
    this.protocols = Objects.requireNonNull(protocols);
    this.config = Objects.requireNonNull(config);
    this.clock = Objects.requireNonNull(clock);
    ScheduledThreadPoolExecutor ex =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "dure-portmap");
              t.setDaemon(true);
              return t;
            });
    ex.setRemoveOnCancelPolicy(true);
    this.executor = ex;
  }

  /** A mapper for the home router: NAT-PMP on the default gateway (if one is found), then UPnP. */
  public static PortMapper forRouter(int internalPort, PortMapperConfig config) {
    return new PortMapper(internalPort, () -> routerProtocols(config), config, Clock.systemUTC());
  }

  /** NAT-PMP (when a gateway is configured or found), then UPnP. */
  static List<MappingProtocol> routerProtocols(PortMapperConfig config) {
    List<MappingProtocol> out = new ArrayList<>(2);
    InetSocketAddress gw = config.natPmpGateway();
    if (gw == null) {
      Optional<java.net.InetAddress> found = Gateways.defaultGateway();
      if (found.isPresent()) {
        gw = new InetSocketAddress(found.get(), NatPmpClient.PORT);
      } else {
        LOG.info("Port mapping: no default gateway found; NAT-PMP is not tried");
      }
    }
    if (gw != null) {
      out.add(new NatPmpClient(gw, config.natPmpInitialTimeout(), config.natPmpAttempts()));
    }
    out.add(
        new UpnpClient(
            config.ssdpTarget(), config.ssdpTimeout(), config.httpTimeout(), config.description()));
    return out;
  }

  /** Starts the first attempt in the background. */
  public PortMapper start() {
    executor.execute(this::attempt);
    return this;
  }

  /** The current state (never blocks). */
  public PortMappingState state() {
    return state;
  }

  /** The port forwarded. */
  public int internalPort() {
    return internalPort;
  }

  /** Told of every new state, on the mapper's thread; it must not block. */
  public void addListener(Consumer<PortMappingState> listener) {
    listeners.add(Objects.requireNonNull(listener));
  }

  public void removeListener(Consumer<PortMappingState> listener) {
    listeners.remove(listener);
  }

  private void attempt() {
    if (closed) {
      return;
    }
    List<String> reasons = new ArrayList<>();
    List<MappingProtocol> ways;
    try {
      ways = protocols.get();
    } catch (RuntimeException e) {
      LOG.warn("Port mapping: cannot set up", e);
      ways = List.of();
    }
    for (MappingProtocol p : ways) {
      if (closed) {
        return;
      }
      try {
        Lease l = p.map(internalPort, config.lifetime());
        current = p;
        granted(l);
        return;
      } catch (IOException | RuntimeException e) {
        LOG.debug("Port mapping: {} failed", p.name(), e);
        reasons.add(e.getMessage() == null ? p.name() + ": " + e : e.getMessage());
      }
    }
    current = null;
    lease = null;
    String reason =
        reasons.isEmpty() ? "no way to reach the router was found" : String.join("; ", reasons);
    LOG.info("Port mapping: port {} not forwarded: {}", internalPort, reason);
    setState(new PortMappingState.Unavailable(reason));
    schedule(this::attempt, config.retryAfter());
  }

  private void renew() {
    if (closed) {
      return;
    }
    MappingProtocol p = current;
    if (p == null) {
      attempt();
      return;
    }
    try {
      granted(p.map(internalPort, config.lifetime()));
    } catch (IOException | RuntimeException e) {
      LOG.info(
          "Port mapping: renewing with {} failed ({}); looking again", p.name(), e.getMessage());
      current = null;
      lease = null;
      attempt();
    }
  }

  private void granted(Lease l) {
    boolean changed =
        lease == null
            || lease.externalPort() != l.externalPort()
            || !Objects.equals(lease.externalAddress(), l.externalAddress());
    lease = l;
    PortMappingState.Mapped m =
        new PortMappingState.Mapped(
            l.protocol(),
            l.externalAddress(),
            l.externalPort(),
            l.internalPort(),
            l.permanent() ? null : clock.instant().plus(l.lifetime()));
    if (changed) {
      LOG.info(
          "Port mapping: {} forwards {}:{} to port {} (lifetime {})",
          l.protocol(),
          l.externalAddress() == null ? "?" : l.externalAddress().getHostAddress(),
          l.externalPort(),
          l.internalPort(),
          l.permanent() ? "permanent" : l.lifetime());
    }
    setState(m);
    // Renew at half the lifetime (RFC 6886 §3.3 recommends it); a permanent mapping is checked as
    // often as a timed one would be renewed, in case the router restarted and forgot it.
    Duration half = (l.permanent() ? config.lifetime() : l.lifetime()).dividedBy(2);
    schedule(this::renew, half.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : half);
  }

  private void schedule(Runnable r, Duration delay) {
    if (closed) {
      return;
    }
    try {
      next = executor.schedule(r, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closing
    }
  }

  private void setState(PortMappingState s) {
    state = s;
    for (Consumer<PortMappingState> l : listeners) {
      try {
        l.accept(s);
      } catch (RuntimeException e) {
        LOG.warn("Port mapping listener failed", e);
      }
    }
  }

  /** Deletes the mapping on the router (waiting at most the stop timeout) and stops. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    Future<?> release;
    try {
      release = executor.submit(this::release);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      return;
    }
    try {
      release.get(config.stopTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.info("Port mapping: not deleted on the router in time; it expires by itself");
    } finally {
      executor.shutdownNow();
    }
  }

  private void release() {
    if (next != null) {
      next.cancel(false);
    }
    MappingProtocol p = current;
    Lease l = lease;
    current = null;
    lease = null;
    if (p != null && l != null) {
      try {
        p.unmap(l);
        LOG.info("Port mapping: {} mapping of port {} deleted", p.name(), l.externalPort());
      } catch (IOException | RuntimeException e) {
        LOG.info("Port mapping: deleting with {} failed: {}", p.name(), e.getMessage());
      }
    }
    setState(new PortMappingState.Disabled());
  }
}

package org.dure.net.nat;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * UPnP IGD client: finds the router by SSDP, reads its device description, and calls {@code
 * AddPortMapping}, {@code GetExternalIPAddress} and {@code DeletePortMapping} on its
 * WANIPConnection (v2 or v1) or WANPPPConnection service (UPnP-gw-WANIPConnection-v1/v2 §2.4).
 *
 * <p>Every wait is bounded: the SSDP search lasts {@code searchTimeout}; each HTTP exchange has a
 * connect and a request timeout; descriptions and answers are read up to a size limit, and a larger
 * one is refused. Found services are remembered for renewals and forgotten after a failure.
 */
public final class UpnpClient implements MappingProtocol {
  private static final Logger LOG = LoggerFactory.getLogger(UpnpClient.class);
  public static final String NAME = "UPnP";

  /** The connection services, preferred first. */
  static final List<String> SERVICES =
      List.of(
          "urn:schemas-upnp-org:service:WANIPConnection:2",
          "urn:schemas-upnp-org:service:WANIPConnection:1",
          "urn:schemas-upnp-org:service:WANPPPConnection:1");

  /** Largest device description read (real ones are a few KiB). */
  static final int MAX_DESCRIPTION = 64 * 1024;

  /** Largest SOAP answer read. */
  static final int MAX_ANSWER = 16 * 1024;

  /** Error codes of AddPortMapping (WANIPConnection:1 §2.4.16). */
  static final int CONFLICT_IN_MAPPING_ENTRY = 718;

  static final int ONLY_PERMANENT_LEASES_SUPPORTED = 725;
  static final int CONFLICT_WITH_OTHER_MECHANISMS = 729;

  /** How many external ports are tried when the wanted one is taken (718, 729). */
  static final int EXTERNAL_PORT_TRIES = 4;

  /** A connection service: where to send its SOAP requests. */
  record Service(String type, URI controlUrl) {}

  private final InetSocketAddress ssdpTarget;
  private final Duration searchTimeout;
  private final Duration httpTimeout;
  private final String description;
  private final HttpClient http;
  private volatile Service service;
  private volatile int lastExternalPort;

  /**
   * @param ssdpTarget where the search goes: {@code 239.255.255.250:1900}, or a unicast address
   *     (tests)
   * @param searchTimeout how long answers to the search are awaited
   * @param httpTimeout connect timeout, and the limit of each HTTP exchange
   * @param description the mapping's description on the router, e.g. {@code Dure}
   */
  public UpnpClient(
      InetSocketAddress ssdpTarget,
      Duration searchTimeout,
      Duration httpTimeout,
      String description) {
    this.ssdpTarget = Objects.requireNonNull(ssdpTarget);
    this.searchTimeout = Objects.requireNonNull(searchTimeout);
    this.httpTimeout = Objects.requireNonNull(httpTimeout);
    if (description.length() > 64 || description.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
      throw new IllegalArgumentException("description must be up to 64 printable ASCII characters");
    }
    this.description = description;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(httpTimeout)
            .proxy(HttpClient.Builder.NO_PROXY)
            .build();
  }

  /** With the SSDP multicast group as target. */
  public static UpnpClient multicast(
      Duration searchTimeout, Duration httpTimeout, String description) {
    return new UpnpClient(SsdpSearch.MULTICAST, searchTimeout, httpTimeout, description);
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * Maps TCP {@code internalPort} to the same external port, or to one of the next few if that one
   * is taken by someone else (718, 729); a router that supports only permanent mappings (725) gets
   * one of those. The external address is asked for afterwards; if that fails the lease has none.
   */
  @Override
  public Lease map(int internalPort, Duration lifetime) throws IOException {
    Service s = service;
    if (s != null) {
      try {
        return map(s, internalPort, lifetime);
      } catch (PortMappingException e) {
        if (e.code() > 0) {
          throw e; // the router answered and refused
        }
      } catch (IOException e) {
        // perhaps the router restarted, on another port: search again
      }
      service = null;
    }
    s = discover();
    service = s;
    return map(s, internalPort, lifetime);
  }

  private Lease map(Service s, int internalPort, Duration lifetime) throws IOException {
    InetAddress self = localAddressTowards(s.controlUrl());
    long lease = Math.max(1, Math.min(lifetime.toSeconds(), 604800)); // v2 allows up to a week
    List<Integer> ports = new ArrayList<>();
    if (lastExternalPort != 0) {
      ports.add(lastExternalPort);
    }
    for (int p = internalPort; ports.size() < EXTERNAL_PORT_TRIES + 1 && p <= 65535; p++) {
      if (!ports.contains(p)) {
        ports.add(p);
      }
    }
    PortMappingException last = null;
    for (int external : ports) {
      try {
        try {
          addPortMapping(s, external, internalPort, self, lease);
        } catch (PortMappingException e) {
          if (e.code() != ONLY_PERMANENT_LEASES_SUPPORTED) {
            throw e;
          }
          LOG.debug("UPnP: the router supports only permanent mappings");
          lease = 0;
          addPortMapping(s, external, internalPort, self, 0);
        }
        lastExternalPort = external;
        return new Lease(
            NAME, externalAddress(s), external, internalPort, Duration.ofSeconds(lease));
      } catch (PortMappingException e) {
        if (e.code() != CONFLICT_IN_MAPPING_ENTRY && e.code() != CONFLICT_WITH_OTHER_MECHANISMS) {
          throw e;
        }
        LOG.debug("UPnP: external port {} is taken ({}); trying another", external, e.code());
        last = e;
      }
    }
    throw Objects.requireNonNull(last);
  }

  @Override
  public void unmap(Lease lease) throws IOException {
    Service s = service();
    Map<String, String> args = new LinkedHashMap<>();
    args.put("NewRemoteHost", "");
    args.put("NewExternalPort", Integer.toString(lease.externalPort()));
    args.put("NewProtocol", "TCP");
    soap(s, "DeletePortMapping", args);
    lastExternalPort = 0;
  }

  /** The router's external address, or null if it does not say (or says nonsense). */
  InetAddress externalAddress(Service s) {
    try {
      Element answer = soap(s, "GetExternalIPAddress", Map.of());
      String ip = SafeXml.childText(answer, "NewExternalIPAddress");
      if (ip == null || !ip.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
        LOG.debug("UPnP: no usable external address in the answer: {}", ip);
        return null;
      }
      return InetAddress.getByName(ip); // a literal: no DNS lookup
    } catch (IOException e) {
      LOG.debug("UPnP: GetExternalIPAddress failed: {}", e.getMessage());
      return null;
    }
  }

  private void addPortMapping(
      Service s, int external, int internal, InetAddress self, long leaseSeconds)
      throws IOException {
    Map<String, String> args = new LinkedHashMap<>();
    args.put("NewRemoteHost", "");
    args.put("NewExternalPort", Integer.toString(external));
    args.put("NewProtocol", "TCP");
    args.put("NewInternalPort", Integer.toString(internal));
    args.put("NewInternalClient", self.getHostAddress());
    args.put("NewEnabled", "1");
    args.put("NewPortMappingDescription", description);
    args.put("NewLeaseDuration", Long.toString(leaseSeconds));
    soap(s, "AddPortMapping", args);
  }

  /** The service found earlier, or a new search. */
  private Service service() throws IOException {
    Service s = service;
    if (s == null) {
      s = discover();
      service = s;
    }
    return s;
  }

  /** Searches, then reads each answer's description until one has a connection service. */
  Service discover() throws IOException {
    List<SsdpSearch.Answer> answers = SsdpSearch.search(ssdpTarget, searchTimeout);
    if (answers.isEmpty()) {
      throw new PortMappingException("UPnP: no router answered the search");
    }
    IOException last = null;
    for (SsdpSearch.Answer a : answers) {
      try {
        byte[] xml = get(a.location(), MAX_DESCRIPTION);
        Service s = findService(SafeXml.parse(xml), a.location());
        if (s != null) {
          LOG.debug("UPnP: {} at {}", s.type(), s.controlUrl());
          return s;
        }
        last = new PortMappingException("UPnP: " + a.location() + " has no WAN connection service");
      } catch (IOException e) {
        LOG.debug("UPnP: description at {}: {}", a.location(), e.getMessage());
        last = e;
      }
    }
    throw Objects.requireNonNull(last);
  }

  /**
   * The preferred connection service in a device description, its control URL resolved against
   * {@code URLBase} or the description's own URL; null if there is none. A control URL on another
   * host than the description is not used.
   */
  static Service findService(Document description, URI location) {
    URI base = location;
    String urlBase = SafeXml.childText(description, "URLBase");
    if (urlBase != null && !urlBase.isEmpty()) {
      try {
        base = new URI(urlBase);
      } catch (java.net.URISyntaxException e) {
        // keep the location
      }
    }
    List<Element> services = SafeXml.elements(description, "service");
    for (String type : SERVICES) {
      for (Element e : services) {
        if (!type.equals(SafeXml.childText(e, "serviceType"))) {
          continue;
        }
        String control = SafeXml.childText(e, "controlURL");
        if (control == null || control.isEmpty()) {
          continue;
        }
        try {
          URI u = base.resolve(control);
          if ("http".equalsIgnoreCase(u.getScheme())
              && location.getHost().equalsIgnoreCase(u.getHost())) {
            return new Service(type, u);
          }
        } catch (IllegalArgumentException ex) {
          // malformed: look further
        }
      }
    }
    return null;
  }

  /**
   * Calls {@code action} and returns the answer's {@code <u:actionResponse>} element.
   *
   * @throws PortMappingException with the UPnP error code when the router answers with a fault
   */
  Element soap(Service s, String action, Map<String, String> args) throws IOException {
    StringBuilder body = new StringBuilder(512);
    body.append("<?xml version=\"1.0\"?>\r\n")
        .append("<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"")
        .append(" s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\">")
        .append("<s:Body><u:")
        .append(action)
        .append(" xmlns:u=\"")
        .append(s.type())
        .append("\">");
    args.forEach(
        (k, v) ->
            body.append('<')
                .append(k)
                .append('>')
                .append(escape(v))
                .append("</")
                .append(k)
                .append('>'));
    body.append("</u:").append(action).append("></s:Body></s:Envelope>\r\n");
    HttpRequest req =
        HttpRequest.newBuilder(s.controlUrl())
            .timeout(httpTimeout)
            .header("Content-Type", "text/xml; charset=\"utf-8\"")
            .header("SOAPAction", "\"" + s.type() + "#" + action + "\"")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
            .build();
    HttpResponse<byte[]> res = send(req, MAX_ANSWER);
    byte[] answer = res.body();
    if (res.statusCode() == 200) {
      List<Element> r = SafeXml.elements(SafeXml.parse(answer), action + "Response");
      if (r.isEmpty()) {
        throw new PortMappingException(
            "UPnP: " + action + " answer without " + action + "Response");
      }
      return r.get(0);
    }
    // UPnP Device Architecture §3.2.2: a fault is HTTP 500 with a UPnPError in the SOAP fault.
    int code = -1;
    String text = "";
    if (res.statusCode() == 500 && answer.length > 0) {
      try {
        Document fault = SafeXml.parse(answer);
        String c = SafeXml.childText(fault, "errorCode");
        text = Objects.requireNonNullElse(SafeXml.childText(fault, "errorDescription"), "");
        code = c == null ? -1 : Integer.parseInt(c);
      } catch (PortMappingException | NumberFormatException e) {
        // a fault we cannot read: no code
      }
    }
    if (code < 0) {
      throw new PortMappingException(
          "UPnP: " + action + " failed with HTTP " + res.statusCode(), 0);
    }
    throw new PortMappingException(
        "UPnP: the router refused " + action + ": " + code + " " + text.replaceAll("[^ -~]", "?"),
        code);
  }

  private byte[] get(URI uri, int max) throws IOException {
    HttpRequest req = HttpRequest.newBuilder(uri).timeout(httpTimeout).GET().build();
    HttpResponse<byte[]> res = send(req, max);
    if (res.statusCode() != 200) {
      throw new PortMappingException("UPnP: HTTP " + res.statusCode() + " for " + uri);
    }
    return res.body();
  }

  /**
   * Sends {@code req} and reads the answer's body, refused when it is (or says it is) larger than
   * {@code max}; the whole exchange, body included, must be over within twice {@code httpTimeout}
   * (the request's own timeout covers only the wait for the headers).
   */
  private HttpResponse<byte[]> send(HttpRequest req, int max) throws IOException {
    java.util.concurrent.CompletableFuture<HttpResponse<byte[]>> f =
        http.sendAsync(
            req,
            info ->
                new BoundedBody(max, info.headers().firstValueAsLong("Content-Length").orElse(-1)));
    try {
      return f.get(httpTimeout.toMillis() * 2, java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted");
    } catch (java.util.concurrent.TimeoutException e) {
      f.cancel(true);
      throw new PortMappingException("UPnP: no complete answer from " + req.uri() + " in time");
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable c = e.getCause();
      while (c != null && !(c instanceof PortMappingException) && c.getCause() != null) {
        c = c.getCause();
      }
      if (c instanceof PortMappingException p) {
        throw new PortMappingException(p.getMessage(), p.code());
      }
      throw new PortMappingException("UPnP: " + req.uri() + ": " + e.getCause(), e.getCause());
    }
  }

  /** Collects a body of at most {@code max} bytes; fails (and stops reading) beyond that. */
  private static final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final int max;
    private final long declared;
    private final java.util.concurrent.CompletableFuture<byte[]> result =
        new java.util.concurrent.CompletableFuture<>();
    private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    private java.util.concurrent.Flow.Subscription subscription;

    BoundedBody(int max, long declared) {
      this.max = max;
      this.declared = declared;
    }

    @Override
    public java.util.concurrent.CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
      subscription = s;
      if (declared > max) {
        s.cancel();
        result.completeExceptionally(
            new PortMappingException(
                "UPnP: answer of " + declared + " bytes is larger than " + max));
        return;
      }
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<java.nio.ByteBuffer> items) {
      if (result.isDone()) {
        return;
      }
      for (java.nio.ByteBuffer b : items) {
        if (out.size() + b.remaining() > max) {
          subscription.cancel();
          result.completeExceptionally(
              new PortMappingException("UPnP: answer is larger than " + max + " bytes"));
          return;
        }
        byte[] chunk = new byte[b.remaining()];
        b.get(chunk);
        out.writeBytes(chunk);
      }
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(out.toByteArray());
    }
  }

  /**
   * The address of this computer that the router sees (the route towards it); no packet is sent.
   */
  static InetAddress localAddressTowards(URI control) throws IOException {
    try (DatagramSocket s = new DatagramSocket()) {
      int port = control.getPort() > 0 ? control.getPort() : 80;
      s.connect(new InetSocketAddress(InetAddress.getByName(control.getHost()), port));
      InetAddress a = s.getLocalAddress();
      if (a == null || a.isAnyLocalAddress()) {
        throw new PortMappingException("UPnP: no local address towards " + control.getHost());
      }
      return a;
    }
  }

  private static String escape(String v) {
    return v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}

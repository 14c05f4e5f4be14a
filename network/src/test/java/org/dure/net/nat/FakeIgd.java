package org.dure.net.nat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A UPnP Internet gateway device on 127.0.0.1 for tests: an SSDP responder reached by unicast, and
 * an HTTP server with the device description and a WANIPConnection:1 control URL answering
 * AddPortMapping, GetExternalIPAddress and DeletePortMapping. It keeps the mappings it granted.
 */
final class FakeIgd implements AutoCloseable {
  static final String SERVICE = "urn:schemas-upnp-org:service:WANIPConnection:1";

  /** A SOAP call as received: action and arguments. */
  record Call(String action, Map<String, String> args) {}

  final List<Call> calls = new CopyOnWriteArrayList<>();
  final List<String> paths = new CopyOnWriteArrayList<>();
  final Map<Integer, String> mappings = new ConcurrentHashMap<>();
  final Set<Integer> takenPorts = ConcurrentHashMap.newKeySet();
  volatile boolean permanentOnly;
  volatile String description;
  volatile String externalIp = "203.0.113.9";
  volatile String ssdpLocationHost = "127.0.0.1";
  private final DatagramSocket ssdp;
  private final HttpServer http;
  private final Thread ssdpThread;

  FakeIgd() throws IOException {
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    http.createContext("/", this::serve);
    http.start();
    description = description(SERVICE, "/ctl/IPConn");
    ssdp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    ssdpThread = new Thread(this::answerSearches, "fake-ssdp");
    ssdpThread.setDaemon(true);
    ssdpThread.start();
  }

  /** Where the SSDP search must go. */
  InetSocketAddress ssdpAddress() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), ssdp.getLocalPort());
  }

  int httpPort() {
    return http.getAddress().getPort();
  }

  static String description(String serviceType, String controlUrl) {
    return """
        <?xml version="1.0"?>
        <root xmlns="urn:schemas-upnp-org:device-1-0">
          <specVersion><major>1</major><minor>0</minor></specVersion>
          <device>
            <deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:1</deviceType>
            <friendlyName>Fake router</friendlyName>
            <serviceList>
              <service>
                <serviceType>urn:schemas-upnp-org:service:Layer3Forwarding:1</serviceType>
                <controlURL>/ctl/L3F</controlURL>
              </service>
            </serviceList>
            <deviceList>
              <device>
                <deviceType>urn:schemas-upnp-org:device:WANDevice:1</deviceType>
                <deviceList>
                  <device>
                    <deviceType>urn:schemas-upnp-org:device:WANConnectionDevice:1</deviceType>
                    <serviceList>
                      <service>
                        <serviceType>%s</serviceType>
                        <serviceId>urn:upnp-org:serviceId:WANIPConn1</serviceId>
                        <controlURL>%s</controlURL>
                      </service>
                    </serviceList>
                  </device>
                </deviceList>
              </device>
            </deviceList>
          </device>
        </root>
        """
        .formatted(serviceType, controlUrl);
  }

  private void answerSearches() {
    byte[] buf = new byte[2048];
    while (!ssdp.isClosed()) {
      DatagramPacket in = new DatagramPacket(buf, buf.length);
      try {
        ssdp.receive(in);
        String req = new String(buf, 0, in.getLength(), StandardCharsets.US_ASCII);
        if (!req.startsWith("M-SEARCH * HTTP/1.1") || !req.contains("ssdp:discover")) {
          continue;
        }
        String answer =
            "HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=120\r\nEXT:\r\n"
                + "LOCATION: http://"
                + ssdpLocationHost
                + ":"
                + httpPort()
                + "/rootDesc.xml\r\n"
                + "ST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n"
                + "USN: uuid:fake::urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n\r\n";
        byte[] out = answer.getBytes(StandardCharsets.US_ASCII);
        ssdp.send(new DatagramPacket(out, out.length, in.getSocketAddress()));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(HttpExchange ex) throws IOException {
    paths.add(ex.getRequestURI().getPath());
    try (ex) {
      if (ex.getRequestMethod().equals("GET")
          && ex.getRequestURI().getPath().equals("/rootDesc.xml")) {
        reply(ex, 200, description);
        return;
      }
      if (!ex.getRequestMethod().equals("POST")
          || !ex.getRequestURI().getPath().equals("/ctl/IPConn")) {
        reply(ex, 404, "");
        return;
      }
      String soapAction = ex.getRequestHeaders().getFirst("SOAPAction");
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String action = soapAction.substring(soapAction.indexOf('#') + 1).replace("\"", "");
      Map<String, String> args = new java.util.LinkedHashMap<>();
      Matcher m = Pattern.compile("<(New\\w+)>([^<]*)</\\1>").matcher(body);
      while (m.find()) {
        args.put(m.group(1), m.group(2));
      }
      calls.add(new Call(action, args));
      switch (action) {
        case "AddPortMapping" -> {
          int port = Integer.parseInt(args.get("NewExternalPort"));
          if (takenPorts.contains(port)) {
            fault(ex, 718, "ConflictInMappingEntry");
          } else if (permanentOnly && !args.get("NewLeaseDuration").equals("0")) {
            fault(ex, 725, "OnlyPermanentLeasesSupported");
          } else {
            mappings.put(port, args.get("NewInternalClient") + ":" + args.get("NewInternalPort"));
            ok(ex, action, "");
          }
        }
        case "GetExternalIPAddress" ->
            ok(ex, action, "<NewExternalIPAddress>" + externalIp + "</NewExternalIPAddress>");
        case "DeletePortMapping" -> {
          if (mappings.remove(Integer.parseInt(args.get("NewExternalPort"))) == null) {
            fault(ex, 714, "NoSuchEntryInArray");
          } else {
            ok(ex, action, "");
          }
        }
        default -> fault(ex, 401, "Invalid Action");
      }
    }
  }

  private static void ok(HttpExchange ex, String action, String inner) throws IOException {
    reply(
        ex,
        200,
        "<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">"
            + "<s:Body><u:"
            + action
            + "Response xmlns:u=\""
            + SERVICE
            + "\">"
            + inner
            + "</u:"
            + action
            + "Response></s:Body></s:Envelope>");
  }

  private static void fault(HttpExchange ex, int code, String text) throws IOException {
    reply(
        ex,
        500,
        "<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">"
            + "<s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>UPnPError</faultstring>"
            + "<detail><UPnPError xmlns=\"urn:schemas-upnp-org:control-1-0\"><errorCode>"
            + code
            + "</errorCode><errorDescription>"
            + text
            + "</errorDescription></UPnPError></detail></s:Fault></s:Body></s:Envelope>");
  }

  private static void reply(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/xml; charset=\"utf-8\"");
    ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    if (b.length > 0) {
      ex.getResponseBody().write(b);
    }
  }

  @Override
  public void close() {
    ssdp.close();
    http.stop(0);
  }
}

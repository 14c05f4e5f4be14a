package org.dure.net.multiaddr;

import java.io.ByteArrayOutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.dure.identity.InvalidPeerIdException;
import org.dure.identity.PeerId;
import org.dure.net.ProtocolViolationException;
import org.dure.net.base.UnsignedVarint;

/**
 * A multiaddr: a sequence of (protocol, value) components, with text form {@code
 * /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW…} and the binary form {@code <varint code><value>…}.
 */
public final class Multiaddr {
  /** Longest binary or text multiaddr accepted. */
  public static final int MAX_LENGTH = 1024;

  /** One component. {@code value} is the binary value (without length prefix). */
  public record Component(Protocol protocol, byte[] value) {
    public Component {
      value = value.clone();
    }

    @Override
    public byte[] value() {
      return value.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Component c && c.protocol == protocol && Arrays.equals(c.value, value);
    }

    @Override
    public int hashCode() {
      return protocol.hashCode() * 31 + Arrays.hashCode(value);
    }

    /** The value in text form. */
    public String valueText() {
      return switch (protocol) {
        case IP4, IP6 -> ipText(value);
        case TCP, UDP -> Integer.toString(((value[0] & 0xFF) << 8) | (value[1] & 0xFF));
        case DNS, DNS4, DNS6 -> new String(value, StandardCharsets.UTF_8);
        case P2P -> org.dure.identity.Base58.encode(value);
        default -> "";
      };
    }

    @Override
    public String toString() {
      return protocol.bits() == 0
          ? "/" + protocol.text()
          : "/" + protocol.text() + "/" + valueText();
    }
  }

  private final List<Component> components;

  private Multiaddr(List<Component> components) {
    this.components = List.copyOf(components);
  }

  public List<Component> components() {
    return components;
  }

  /**
   * Parses the text form.
   *
   * @throws MultiaddrFormatException if malformed
   */
  public static Multiaddr parse(String text) {
    if (text.length() > MAX_LENGTH) {
      throw new MultiaddrFormatException("multiaddr too long");
    }
    if (!text.startsWith("/")) {
      throw new MultiaddrFormatException("multiaddr must start with '/': " + text);
    }
    String[] parts = text.substring(1).split("/", -1);
    if (parts.length > 0 && parts[parts.length - 1].isEmpty()) {
      parts = Arrays.copyOf(parts, parts.length - 1);
    }
    if (parts.length == 0) {
      throw new MultiaddrFormatException("empty multiaddr");
    }
    List<Component> out = new ArrayList<>();
    for (int i = 0; i < parts.length; i++) {
      Protocol p = Protocol.byName(parts[i]);
      if (p == null) {
        throw new MultiaddrFormatException("unknown protocol '" + parts[i] + "' in " + text);
      }
      if (p.bits() == 0) {
        out.add(new Component(p, new byte[0]));
        continue;
      }
      if (++i >= parts.length || parts[i].isEmpty()) {
        throw new MultiaddrFormatException("protocol " + p.text() + " needs a value in " + text);
      }
      out.add(new Component(p, valueFromText(p, parts[i])));
    }
    return new Multiaddr(out);
  }

  private static byte[] valueFromText(Protocol p, String v) {
    switch (p) {
      case IP4 -> {
        String[] octets = v.split("\\.", -1);
        if (octets.length != 4) {
          throw new MultiaddrFormatException("invalid ip4 address " + v);
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
          if (octets[i].isEmpty()
              || octets[i].length() > 3
              || !octets[i].chars().allMatch(Character::isDigit)) {
            throw new MultiaddrFormatException("invalid ip4 address " + v);
          }
          int n = Integer.parseInt(octets[i]);
          if (n > 255) {
            throw new MultiaddrFormatException("invalid ip4 address " + v);
          }
          b[i] = (byte) n;
        }
        return b;
      }
      case IP6 -> {
        if (!v.contains(":") || !v.matches("[0-9a-fA-F:.]+")) {
          throw new MultiaddrFormatException("invalid ip6 address " + v);
        }
        try {
          byte[] b = InetAddress.getByName(v).getAddress();
          if (b.length == 4) {
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xFF;
            mapped[11] = (byte) 0xFF;
            System.arraycopy(b, 0, mapped, 12, 4);
            return mapped;
          }
          return b;
        } catch (UnknownHostException e) {
          throw new MultiaddrFormatException("invalid ip6 address " + v, e);
        }
      }
      case TCP, UDP -> {
        if (v.length() > 5 || !v.chars().allMatch(Character::isDigit)) {
          throw new MultiaddrFormatException("invalid port " + v);
        }
        int port = Integer.parseInt(v);
        if (port > 65535) {
          throw new MultiaddrFormatException("invalid port " + v);
        }
        return new byte[] {(byte) (port >>> 8), (byte) port};
      }
      case DNS, DNS4, DNS6 -> {
        byte[] b = v.getBytes(StandardCharsets.UTF_8);
        if (b.length > 255) {
          throw new MultiaddrFormatException("dns name too long");
        }
        return b;
      }
      case P2P -> {
        try {
          return PeerId.parse(v).toBytes();
        } catch (IllegalArgumentException e) {
          throw new MultiaddrFormatException("invalid p2p value: " + e.getMessage(), e);
        }
      }
      default -> throw new MultiaddrFormatException("protocol " + p.text() + " takes no value");
    }
  }

  /**
   * Decodes the binary form.
   *
   * @throws MultiaddrFormatException if malformed
   */
  public static Multiaddr fromBytes(byte[] bytes) {
    if (bytes.length > MAX_LENGTH) {
      throw new MultiaddrFormatException("multiaddr too long");
    }
    if (bytes.length == 0) {
      throw new MultiaddrFormatException("empty multiaddr");
    }
    List<Component> out = new ArrayList<>();
    int pos = 0;
    try {
      while (pos < bytes.length) {
        UnsignedVarint.Decoded code = UnsignedVarint.decode(bytes, pos);
        pos += code.length();
        Protocol p = Protocol.byCode(code.value());
        if (p == null) {
          throw new MultiaddrFormatException("unknown protocol code " + code.value());
        }
        int len;
        if (p.bits() >= 0) {
          len = p.bits() / 8;
        } else {
          UnsignedVarint.Decoded l = UnsignedVarint.decode(bytes, pos);
          pos += l.length();
          if (l.value() > bytes.length - pos) {
            throw new MultiaddrFormatException("component length exceeds input");
          }
          len = (int) l.value();
        }
        if (len > bytes.length - pos) {
          throw new MultiaddrFormatException("truncated " + p.text() + " value");
        }
        byte[] value = Arrays.copyOfRange(bytes, pos, pos + len);
        pos += len;
        validateValue(p, value);
        out.add(new Component(p, value));
      }
    } catch (ProtocolViolationException e) {
      throw new MultiaddrFormatException("invalid multiaddr bytes: " + e.getMessage(), e);
    }
    return new Multiaddr(out);
  }

  private static void validateValue(Protocol p, byte[] value) throws ProtocolViolationException {
    switch (p) {
      case P2P -> {
        try {
          PeerId.fromBytes(value);
        } catch (InvalidPeerIdException e) {
          throw new ProtocolViolationException(e.getMessage(), e);
        }
      }
      case DNS, DNS4, DNS6 -> {
        String s = new String(value, StandardCharsets.UTF_8);
        if (s.isEmpty()
            || s.contains("/")
            || !Arrays.equals(s.getBytes(StandardCharsets.UTF_8), value)) {
          throw new MultiaddrFormatException("invalid dns name");
        }
      }
      default -> {}
    }
  }

  public byte[] toBytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Component c : components) {
      UnsignedVarint.write(c.protocol().code(), out);
      if (c.protocol().bits() < 0) {
        UnsignedVarint.write(c.value.length, out);
      }
      out.writeBytes(c.value);
    }
    return out.toByteArray();
  }

  /** Builds {@code /ip4|ip6/<addr>/tcp/<port>} from a socket address. */
  public static Multiaddr fromSocketAddress(InetSocketAddress address) {
    InetAddress ip = address.getAddress();
    String host = ip.getHostAddress();
    int pct = host.indexOf('%');
    if (pct >= 0) {
      host = host.substring(0, pct);
    }
    String proto = ip instanceof Inet6Address ? "ip6" : "ip4";
    return parse("/" + proto + "/" + host + "/tcp/" + address.getPort());
  }

  /** The first component's value for a protocol, or {@code null}. */
  public Component first(Protocol p) {
    for (Component c : components) {
      if (c.protocol() == p) {
        return c;
      }
    }
    return null;
  }

  /** The peer ID of the last {@code /p2p/} component, or {@code null}. */
  public PeerId peerId() {
    PeerId id = null;
    for (Component c : components) {
      if (c.protocol() == Protocol.P2P) {
        try {
          id = PeerId.fromBytes(c.value);
        } catch (InvalidPeerIdException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return id;
  }

  /** This address without a trailing {@code /p2p/…} component. */
  public Multiaddr withoutPeerId() {
    if (!components.isEmpty() && components.get(components.size() - 1).protocol() == Protocol.P2P) {
      return new Multiaddr(components.subList(0, components.size() - 1));
    }
    return this;
  }

  /** This address with {@code /p2p/<id>} appended (replacing a trailing one). */
  public Multiaddr withPeerId(PeerId id) {
    List<Component> list = new ArrayList<>(withoutPeerId().components);
    list.add(new Component(Protocol.P2P, id.toBytes()));
    return new Multiaddr(list);
  }

  /**
   * The TCP socket address this multiaddr designates ({@code ip4|ip6|dns|dns4|dns6} then {@code
   * tcp}); host names are left unresolved.
   *
   * @throws IllegalArgumentException if it is not a TCP address
   */
  public InetSocketAddress toTcpSocketAddress() {
    if (components.size() < 2 || components.get(1).protocol() != Protocol.TCP) {
      throw new IllegalArgumentException("not a TCP multiaddr: " + this);
    }
    for (Component c : components.subList(2, components.size())) {
      if (c.protocol() != Protocol.P2P) {
        throw new IllegalArgumentException("unsupported TCP multiaddr: " + this);
      }
    }
    Component host = components.get(0);
    int port = Integer.parseInt(components.get(1).valueText());
    return switch (host.protocol()) {
      case IP4, IP6 -> {
        try {
          yield new InetSocketAddress(InetAddress.getByAddress(host.value), port);
        } catch (UnknownHostException e) {
          throw new IllegalArgumentException(e);
        }
      }
      case DNS, DNS4, DNS6 -> InetSocketAddress.createUnresolved(host.valueText(), port);
      default -> throw new IllegalArgumentException("not a TCP multiaddr: " + this);
    };
  }

  private static String ipText(byte[] value) {
    try {
      String s =
          value.length == 16
              ? Inet6Address.getByAddress(null, value, -1).getHostAddress()
              : InetAddress.getByAddress(value).getHostAddress();
      return s.toLowerCase(Locale.ROOT);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Component c : components) {
      sb.append(c);
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Multiaddr m && m.components.equals(components);
  }

  @Override
  public int hashCode() {
    return components.hashCode();
  }
}

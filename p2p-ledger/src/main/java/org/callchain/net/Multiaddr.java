package org.callchain.net;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A self-describing network address, e.g. {@code /ip4/127.0.0.1/tcp/4001/p2p/16Uiu2HA...}. Text and
 * binary codecs cover ip4, ip6, tcp, udp, dns, dns4, dns6, dnsaddr and p2p; only ip4/ip6 + tcp can
 * be dialled (dns forms are parse-only). Binary form: each component is its varint protocol code
 * followed by a fixed-size value or a varint-length-prefixed one.
 *
 * @see <a href="https://github.com/multiformats/multiaddr">multiaddr</a>
 * @see <a href="https://github.com/multiformats/multicodec/blob/master/table.csv">multicodec
 *     table</a>
 */
public final class Multiaddr {
  /** The protocols this codec knows, with their multicodec code and value size in bits. */
  public enum Protocol {
    IP4("ip4", 4, 32),
    TCP("tcp", 6, 16),
    UDP("udp", 273, 16),
    IP6("ip6", 41, 128),
    DNS("dns", 53, -1),
    DNS4("dns4", 54, -1),
    DNS6("dns6", 55, -1),
    DNSADDR("dnsaddr", 56, -1),
    P2P("p2p", 421, -1);

    private final String text;
    private final int code;
    private final int bits;

    Protocol(String text, int code, int bits) {
      this.text = text;
      this.code = code;
      this.bits = bits;
    }

    public String text() {
      return text;
    }

    public int code() {
      return code;
    }

    static Protocol byText(String text) throws InvalidMultiaddrException {
      for (Protocol p : values()) {
        if (p.text.equals(text) || (p == P2P && text.equals("ipfs"))) {
          return p;
        }
      }
      throw new InvalidMultiaddrException("unknown multiaddr protocol /" + text);
    }

    static Protocol byCode(long code) throws InvalidMultiaddrException {
      for (Protocol p : values()) {
        if (p.code == code) {
          return p;
        }
      }
      throw new InvalidMultiaddrException("unknown multiaddr protocol code " + code);
    }
  }

  /** One {@code /protocol/value} pair, the value in its canonical text form. */
  public record Component(Protocol protocol, String value) {}

  private static final int MAX_BYTES = 1024;

  private final List<Component> components;

  private Multiaddr(List<Component> components) {
    this.components = List.copyOf(components);
  }

  /** Parses the text form. */
  public static Multiaddr parse(String text) throws InvalidMultiaddrException {
    if (!text.startsWith("/") || text.length() > MAX_BYTES) {
      throw new InvalidMultiaddrException("a multiaddr starts with '/': " + text);
    }
    String[] parts = text.substring(1).split("/", -1);
    List<Component> out = new ArrayList<>();
    int i = 0;
    while (i < parts.length) {
      if (parts[i].isEmpty() && i == parts.length - 1 && i > 0) {
        break; // tolerate one trailing slash
      }
      Protocol protocol = Protocol.byText(parts[i]);
      if (i + 1 >= parts.length) {
        throw new InvalidMultiaddrException("/" + parts[i] + " needs a value in " + text);
      }
      out.add(new Component(protocol, canonical(protocol, parts[i + 1])));
      i += 2;
    }
    if (out.isEmpty()) {
      throw new InvalidMultiaddrException("empty multiaddr");
    }
    return new Multiaddr(out);
  }

  /** Decodes the binary form. */
  public static Multiaddr fromBytes(byte[] bytes) throws InvalidMultiaddrException {
    if (bytes.length == 0 || bytes.length > MAX_BYTES) {
      throw new InvalidMultiaddrException("multiaddr has " + bytes.length + " bytes");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    List<Component> out = new ArrayList<>();
    try {
      while (in.hasRemaining()) {
        long code = Varint.read(in);
        if (code < 0) {
          throw new InvalidMultiaddrException("truncated multiaddr protocol code");
        }
        Protocol protocol = Protocol.byCode(code);
        int size = protocol.bits >= 0 ? protocol.bits / 8 : (int) Varint.read(in);
        if (size < 0 || size > in.remaining()) {
          throw new InvalidMultiaddrException("truncated /" + protocol.text + " value");
        }
        byte[] value = new byte[size];
        in.get(value);
        out.add(new Component(protocol, valueText(protocol, value)));
      }
    } catch (IllegalArgumentException e) {
      throw new InvalidMultiaddrException("invalid multiaddr bytes", e);
    }
    return new Multiaddr(out);
  }

  /** {@code /ip4|ip6/<address>/tcp/<port>} for a socket address. */
  public static Multiaddr tcp(InetSocketAddress address) {
    InetAddress ip = address.getAddress();
    Protocol family = ip.getAddress().length == 4 ? Protocol.IP4 : Protocol.IP6;
    return new Multiaddr(
        List.of(
            new Component(family, ip.getHostAddress().replaceAll("%.*$", "")),
            new Component(Protocol.TCP, Integer.toString(address.getPort()))));
  }

  public List<Component> components() {
    return components;
  }

  /** The binary form. */
  public byte[] toBytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Component c : components) {
      Varint.write(c.protocol.code, out);
      byte[] value = valueBytes(c.protocol, c.value);
      if (c.protocol.bits < 0) {
        Varint.write(value.length, out);
      }
      out.write(value, 0, value.length);
    }
    return out.toByteArray();
  }

  /** The peer id of a trailing {@code /p2p/} component. */
  public Optional<PeerId> peerId() {
    Component last = components.get(components.size() - 1);
    if (last.protocol != Protocol.P2P) {
      return Optional.empty();
    }
    try {
      return Optional.of(PeerId.parse(last.value));
    } catch (InvalidKeyException e) {
      throw new IllegalStateException("p2p value was validated at parse", e);
    }
  }

  /** This address with a {@code /p2p/} component replaced or added. */
  public Multiaddr withPeerId(PeerId peer) {
    List<Component> out = new ArrayList<>(withoutPeerId().components);
    out.add(new Component(Protocol.P2P, peer.toBase58()));
    return new Multiaddr(out);
  }

  /** This address without a trailing {@code /p2p/} component. */
  public Multiaddr withoutPeerId() {
    if (peerId().isEmpty()) {
      return this;
    }
    return new Multiaddr(components.subList(0, components.size() - 1));
  }

  /**
   * The TCP endpoint of an {@code /ip4|ip6/.../tcp/...} address (optionally followed by {@code
   * /p2p/}).
   */
  public InetSocketAddress toTcpSocketAddress() throws InvalidMultiaddrException {
    List<Component> base = withoutPeerId().components;
    if (base.size() != 2
        || base.get(1).protocol != Protocol.TCP
        || (base.get(0).protocol != Protocol.IP4 && base.get(0).protocol != Protocol.IP6)) {
      throw new InvalidMultiaddrException("not a dialable /ip4|ip6/.../tcp/... address: " + this);
    }
    try {
      InetAddress ip =
          InetAddress.getByAddress(valueBytes(base.get(0).protocol, base.get(0).value));
      return new InetSocketAddress(ip, Integer.parseInt(base.get(1).value));
    } catch (UnknownHostException e) {
      throw new InvalidMultiaddrException("bad IP in " + this, e);
    }
  }

  private static String canonical(Protocol protocol, String value)
      throws InvalidMultiaddrException {
    return valueText(protocol, textToBytes(protocol, value));
  }

  private static byte[] textToBytes(Protocol protocol, String value)
      throws InvalidMultiaddrException {
    switch (protocol) {
      case IP4, IP6 -> {
        if (!value.matches(
            protocol == Protocol.IP4 ? "([0-9]{1,3}\\.){3}[0-9]{1,3}" : "[0-9a-fA-F:.]+")) {
          throw new InvalidMultiaddrException("invalid /" + protocol.text + " value " + value);
        }
        try {
          byte[] ip = InetAddress.getByName(value).getAddress();
          if (ip.length != protocol.bits / 8) {
            throw new InvalidMultiaddrException("wrong address family for /" + protocol.text);
          }
          return ip;
        } catch (UnknownHostException e) {
          throw new InvalidMultiaddrException("invalid /" + protocol.text + " value " + value, e);
        }
      }
      case TCP, UDP -> {
        try {
          int port = Integer.parseInt(value);
          if (port < 0 || port > 65535) {
            throw new NumberFormatException();
          }
          return new byte[] {(byte) (port >> 8), (byte) port};
        } catch (NumberFormatException e) {
          throw new InvalidMultiaddrException("invalid port " + value, e);
        }
      }
      case DNS, DNS4, DNS6, DNSADDR -> {
        if (value.isEmpty() || value.length() > 253) {
          throw new InvalidMultiaddrException("invalid DNS name " + value);
        }
        return value.getBytes(StandardCharsets.UTF_8);
      }
      case P2P -> {
        try {
          return PeerId.parse(value).toBytes();
        } catch (InvalidKeyException e) {
          throw new InvalidMultiaddrException("invalid /p2p value " + value, e);
        }
      }
    }
    throw new IllegalStateException("unhandled protocol " + protocol);
  }

  private static byte[] valueBytes(Protocol protocol, String value) {
    try {
      return textToBytes(protocol, value);
    } catch (InvalidMultiaddrException e) {
      throw new IllegalStateException("component was validated at construction", e);
    }
  }

  private static String valueText(Protocol protocol, byte[] value)
      throws InvalidMultiaddrException {
    try {
      return switch (protocol) {
        case IP4, IP6 -> InetAddress.getByAddress(value).getHostAddress();
        case TCP, UDP -> Integer.toString(((value[0] & 0xff) << 8) | (value[1] & 0xff));
        case DNS, DNS4, DNS6, DNSADDR -> {
          String name = new String(value, StandardCharsets.UTF_8);
          if (name.isEmpty() || name.contains("/")) {
            throw new InvalidMultiaddrException("invalid DNS name in multiaddr");
          }
          yield name;
        }
        case P2P -> PeerId.fromBytes(value).toBase58();
      };
    } catch (UnknownHostException | InvalidKeyException e) {
      throw new InvalidMultiaddrException("invalid /" + protocol.text + " value", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Multiaddr other && other.components.equals(components);
  }

  @Override
  public int hashCode() {
    return components.hashCode();
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    for (Component c : components) {
      out.append('/').append(c.protocol.text).append('/').append(c.value);
    }
    return out.toString();
  }
}

package org.callchain.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Multiaddr text and binary codecs (multiformats/multiaddr, multicodec table). */
class MultiaddrTest {
  @Test
  void ip4TcpHasTheMulticodecBinaryForm() throws Exception {
    Multiaddr address = Multiaddr.parse("/ip4/127.0.0.1/tcp/4001");
    assertThat(HexFormat.of().formatHex(address.toBytes())).isEqualTo("047f000001060fa1");
    assertThat(Multiaddr.fromBytes(address.toBytes())).isEqualTo(address);
    assertThat(address.toTcpSocketAddress()).isEqualTo(new InetSocketAddress("127.0.0.1", 4001));
  }

  @Test
  void p2pComponentCarriesThePeerId() throws Exception {
    PeerId peer = NodeKey.generateSecp256k1().peerId();
    Multiaddr address = Multiaddr.parse("/ip4/10.0.0.1/tcp/1/p2p/" + peer.toBase58());
    assertThat(address.peerId()).contains(peer);
    assertThat(Multiaddr.fromBytes(address.toBytes())).isEqualTo(address);
    assertThat(address.withoutPeerId().toString()).isEqualTo("/ip4/10.0.0.1/tcp/1");
    assertThat(Multiaddr.parse("/ip4/10.0.0.1/tcp/1/ipfs/" + peer.toBase58())).isEqualTo(address);
    assertThat(Multiaddr.parse("/ip4/10.0.0.1/tcp/1/p2p/" + peer.toCid())).isEqualTo(address);
  }

  @Test
  void ip6AndDnsParseAndRoundTrip() throws Exception {
    Multiaddr ip6 = Multiaddr.parse("/ip6/::1/tcp/4001");
    assertThat(Multiaddr.fromBytes(ip6.toBytes())).isEqualTo(ip6);
    assertThat(ip6.toTcpSocketAddress().getPort()).isEqualTo(4001);
    Multiaddr dns = Multiaddr.parse("/dns4/example.com/tcp/443");
    assertThat(dns.toString()).isEqualTo("/dns4/example.com/tcp/443");
    assertThat(Multiaddr.fromBytes(dns.toBytes())).isEqualTo(dns);
    assertThatThrownBy(dns::toTcpSocketAddress).isInstanceOf(InvalidMultiaddrException.class);
  }

  @Test
  void rejectsMalformedAddresses() {
    for (String bad :
        new String[] {
          "",
          "ip4/1.2.3.4",
          "/ip4/1.2.3",
          "/ip4/300.1.1.1/tcp/1",
          "/tcp/70000",
          "/foo/1",
          "/ip4",
          "/ip6/1.2.3.4",
          "/p2p/notapeer"
        }) {
      assertThatThrownBy(() -> Multiaddr.parse(bad))
          .as(bad)
          .isInstanceOf(InvalidMultiaddrException.class);
    }
    assertThatThrownBy(() -> Multiaddr.fromBytes(new byte[] {0x04, 0x7f}))
        .isInstanceOf(InvalidMultiaddrException.class);
    assertThatThrownBy(() -> Multiaddr.fromBytes(new byte[] {(byte) 0xff, 0x01}))
        .isInstanceOf(InvalidMultiaddrException.class);
  }
}

package org.callchain.net.internal.libp2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.callchain.net.Connection;
import org.callchain.net.Host;
import org.callchain.net.HostConfig;
import org.callchain.net.NodeKey;
import org.callchain.net.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A host under hostile or unwanted peers: the offending connection is closed, the host keeps
 * serving its other connections.
 */
class BadInputIT {
  private final List<Host> hosts = new ArrayList<>();

  @AfterEach
  void stopAll() {
    hosts.forEach(Host::close);
  }

  private Host host(HostConfig.Builder builder) throws Exception {
    Host host = new Libp2pHost(builder.build());
    hosts.add(host);
    host.start().get(5, TimeUnit.SECONDS);
    return host;
  }

  private Host host() throws Exception {
    return host(HostConfig.builder(NodeKey.generateSecp256k1()));
  }

  private static boolean closedByPeer(Socket socket) throws Exception {
    socket.setSoTimeout(5000);
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[4096];
    while (true) {
      int n;
      try {
        n = in.read(buffer);
      } catch (java.net.SocketException reset) {
        return true;
      }
      if (n < 0) {
        return true;
      }
    }
  }

  private void assertStillServes(Host server) throws Exception {
    Host good = host();
    good.dial(server.listenAddresses().get(0).withPeerId(server.peerId())).get(5, TimeUnit.SECONDS);
    assertThat(good.ping(server.peerId()).get(5, TimeUnit.SECONDS)).isPositive();
  }

  @Test
  void garbageOnTheSocketClosesThatConnectionOnly() throws Exception {
    Host server = host();
    InetSocketAddress address = server.listenAddresses().get(0).toTcpSocketAddress();
    try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
      OutputStream out = socket.getOutputStream();
      // Random bytes: the first "message" has no trailing newline, so multistream fails.
      byte[] garbage = new byte[4096];
      new java.util.Random(42).nextBytes(garbage);
      out.write(garbage);
      out.flush();
      assertThat(closedByPeer(socket)).isTrue();
    }
    assertStillServes(server);
  }

  @Test
  void oversizedMultistreamMessageClosesTheConnection() throws Exception {
    Host server = host();
    InetSocketAddress address = server.listenAddresses().get(0).toTcpSocketAddress();
    try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(new byte[] {(byte) 0xff, (byte) 0xff, 0x03}); // a 65535-byte "protocol id"
      out.write(new byte[2048]);
      out.flush();
      assertThat(closedByPeer(socket)).isTrue();
    }
    assertStillServes(server);
  }

  @Test
  void silentPeerIsDroppedAfterTheUpgradeTimeout() throws Exception {
    Host server =
        host(
            HostConfig.builder(NodeKey.generateSecp256k1()).upgradeTimeout(Duration.ofMillis(500)));
    InetSocketAddress address = server.listenAddresses().get(0).toTcpSocketAddress();
    try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
      assertThat(closedByPeer(socket)).isTrue();
    }
  }

  @Test
  void dialFailsWhenTheAuthenticatedPeerIsNotTheExpectedOne() throws Exception {
    Host server = host();
    Host client = host();
    var wrongId = NodeKey.generateEd25519().peerId();
    assertThatThrownBy(
            () ->
                client
                    .dial(server.listenAddresses().get(0).withPeerId(wrongId))
                    .get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("remote key is " + server.peerId());
    assertThat(client.isConnected(server.peerId())).isFalse();
  }

  @Test
  void gaterRefusesUnknownKeysBeforeAnyStreamIsOpened() throws Exception {
    NodeKey admitted = NodeKey.generateSecp256k1();
    AtomicInteger streamsServed = new AtomicInteger();
    Host server =
        host(
            HostConfig.builder(NodeKey.generateSecp256k1())
                .gater((key, peer, direction) -> peer.equals(admitted.peerId())));
    server.setStreamHandler("/test/1", s -> streamsServed.incrementAndGet());
    Host stranger = host();
    CompletableFuture<Connection> dial =
        stranger.dial(server.listenAddresses().get(0).withPeerId(server.peerId()));
    // The stranger finished its handshake, but the server closes before muxing: no stream.
    try {
      Connection connection = dial.get(5, TimeUnit.SECONDS);
      connection.closeFuture().get(5, TimeUnit.SECONDS);
    } catch (ExecutionException expected) {
      // the server may close before the stranger's muxer negotiation ends
    }
    assertThat(server.connections()).isEmpty();
    assertThat(streamsServed).hasValue(0);

    Host friend = host(HostConfig.builder(admitted));
    friend
        .dial(server.listenAddresses().get(0).withPeerId(server.peerId()))
        .get(5, TimeUnit.SECONDS);
    Stream stream = friend.newStream(server.peerId(), List.of("/test/1")).get(5, TimeUnit.SECONDS);
    assertThat(stream.protocol()).isEqualTo("/test/1");
  }

  @Test
  void totalConnectionLimitRefusesTheExtraConnection() throws Exception {
    Host server = host(HostConfig.builder(NodeKey.generateSecp256k1()).maxConnections(1));
    Host first = host();
    first
        .dial(server.listenAddresses().get(0).withPeerId(server.peerId()))
        .get(5, TimeUnit.SECONDS);
    Host second = host();
    assertThatThrownBy(
            () ->
                second
                    .dial(server.listenAddresses().get(0).withPeerId(server.peerId()))
                    .get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class);
    assertThat(first.ping(server.peerId()).get(5, TimeUnit.SECONDS)).isPositive();
  }

  @Test
  void streamFloodClosesThatConnectionAndOthersAreUnaffected() throws Exception {
    Host server =
        host(HostConfig.builder(NodeKey.generateSecp256k1()).maxInboundStreamsPerConnection(4));
    server.setStreamHandler("/hold/1", s -> s.setReader((st, d) -> {}));
    Host flooder = host();
    Connection connection =
        flooder
            .dial(server.listenAddresses().get(0).withPeerId(server.peerId()))
            .get(5, TimeUnit.SECONDS);
    for (int i = 0; i < 20; i++) {
      connection.newStream(List.of("/hold/1"));
    }
    connection.closeFuture().get(5, TimeUnit.SECONDS);
    assertThat(connection.isOpen()).isFalse();
    assertStillServes(server);
  }
}

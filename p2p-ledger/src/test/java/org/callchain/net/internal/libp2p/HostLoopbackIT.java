package org.callchain.net.internal.libp2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.callchain.net.Connection;
import org.callchain.net.ConnectionListener;
import org.callchain.net.Host;
import org.callchain.net.HostConfig;
import org.callchain.net.IdentifyInfo;
import org.callchain.net.LengthPrefixed;
import org.callchain.net.LengthPrefixedReader;
import org.callchain.net.NetworkException;
import org.callchain.net.NodeKey;
import org.callchain.net.ProtocolNotSupportedException;
import org.callchain.net.RequestResponse;
import org.callchain.net.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two Java hosts on loopback: the whole stack end to end (TCP, multistream, Noise, yamux). */
class HostLoopbackIT {
  private final Host alice =
      new Libp2pHost(HostConfig.builder(NodeKey.generateSecp256k1()).build());
  private final Host bob = new Libp2pHost(HostConfig.builder(NodeKey.generateEd25519()).build());

  @AfterEach
  void stop() {
    alice.close();
    bob.close();
  }

  private Connection connect() throws Exception {
    alice.start().get(5, TimeUnit.SECONDS);
    bob.start().get(5, TimeUnit.SECONDS);
    return alice
        .dial(bob.listenAddresses().get(0).withPeerId(bob.peerId()))
        .get(5, TimeUnit.SECONDS);
  }

  @Test
  void dialAuthenticatesThePeerAndBothSidesSeeTheConnection() throws Exception {
    CompletableFuture<Connection> bobSees = new CompletableFuture<>();
    bob.addConnectionListener(
        new ConnectionListener() {
          @Override
          public void onConnected(Connection connection) {
            bobSees.complete(connection);
          }
        });
    Connection connection = connect();
    assertThat(connection.remotePeer()).isEqualTo(bob.peerId());
    assertThat(bobSees.get(5, TimeUnit.SECONDS).remotePeer()).isEqualTo(alice.peerId());
    assertThat(alice.isConnected(bob.peerId())).isTrue();

    connection.close().get(5, TimeUnit.SECONDS);
    assertThat(connection.isOpen()).isFalse();
    assertThat(connection.remoteAddress()).isEqualTo(bob.listenAddresses().get(0));
  }

  @Test
  void pingMeasuresARoundTripBothWays() throws Exception {
    connect();
    Duration rtt = alice.ping(bob.peerId()).get(5, TimeUnit.SECONDS);
    assertThat(rtt).isPositive().isLessThan(Duration.ofSeconds(5));
    assertThat(bob.ping(alice.peerId()).get(5, TimeUnit.SECONDS)).isPositive();
  }

  @Test
  void identifyReportsProtocolsKeyAndObservedAddress() throws Exception {
    bob.setStreamHandler("/test/echo/1.0.0", stream -> stream.setReader((s, d) -> {}));
    connect();
    IdentifyInfo info = alice.identify(bob.peerId()).get(5, TimeUnit.SECONDS);
    assertThat(info.peer()).isEqualTo(bob.peerId());
    assertThat(info.protocols()).contains("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0", "/test/echo/1.0.0");
    assertThat(info.listenAddresses()).containsExactlyElementsOf(bob.listenAddresses());
    assertThat(info.observedAddress()).isPresent();
    assertThat(info.agentVersion()).startsWith("callchain/");
  }

  @Test
  void streamCarriesLengthPrefixedMessagesBothWays() throws Exception {
    bob.setStreamHandler(
        "/test/echo/1.0.0",
        stream ->
            stream.setReader(
                new LengthPrefixedReader(
                    1024, (s, message) -> s.write(LengthPrefixed.frame(message)))));
    connect();
    Stream stream =
        alice.newStream(bob.peerId(), List.of("/test/echo/1.0.0")).get(5, TimeUnit.SECONDS);
    CompletableFuture<byte[]> reply = new CompletableFuture<>();
    stream.setReader(new LengthPrefixedReader(1024, (s, m) -> reply.complete(m)));
    stream.write(LengthPrefixed.frame("hello".getBytes(StandardCharsets.UTF_8)));
    assertThat(new String(reply.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8))
        .isEqualTo("hello");
    assertThat(stream.protocol()).isEqualTo("/test/echo/1.0.0");
  }

  @Test
  void unknownProtocolFailsWithProtocolNotSupported() throws Exception {
    connect();
    assertThatThrownBy(
            () -> alice.newStream(bob.peerId(), List.of("/nope/1.0.0")).get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(ProtocolNotSupportedException.class);
  }

  @Test
  void requestResponseAnswersAndEnforcesTheSizeLimit() throws Exception {
    RequestResponse server = new RequestResponse(bob, "/test/rr/1", 64, Duration.ofSeconds(5));
    server.serve(
        (from, request) ->
            CompletableFuture.completedFuture(
                ("re:" + new String(request, StandardCharsets.UTF_8))
                    .getBytes(StandardCharsets.UTF_8)));
    connect();
    RequestResponse client = new RequestResponse(alice, "/test/rr/1", 64, Duration.ofSeconds(5));
    byte[] response =
        client.request(bob.peerId(), "x".getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
    assertThat(new String(response, StandardCharsets.UTF_8)).isEqualTo("re:x");
    assertThatThrownBy(() -> client.request(bob.peerId(), new byte[65]).get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(NetworkException.class);
  }
}

package org.callchain.net.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.callchain.net.Connection;
import org.callchain.net.ConnectionListener;
import org.callchain.net.Host;
import org.callchain.net.HostConfig;
import org.callchain.net.IdentifyInfo;
import org.callchain.net.KeyType;
import org.callchain.net.NodeKey;
import org.callchain.net.internal.libp2p.Libp2pHost;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our stack against js-libp2p (tcp + @chainsafe/libp2p-noise + @chainsafe/libp2p-yamux + identify +
 * ping): both dial directions, identify both ways, ping both ways, and both key types (the JS peer
 * uses Ed25519, our host secp256k1; a second JS peer uses secp256k1 too).
 */
class Libp2pInteropIT {
  private static JsLibp2pPeer js;
  private static JsLibp2pPeer jsSecp;
  private static Host java;
  private static final List<Connection> javaSeen = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    js = JsLibp2pPeer.start();
    jsSecp = JsLibp2pPeer.start("secp256k1");
    java =
        new Libp2pHost(
            HostConfig.builder(NodeKey.generateSecp256k1())
                .agentVersion("callchain/interop")
                .build());
    java.addConnectionListener(
        new ConnectionListener() {
          @Override
          public void onConnected(Connection connection) {
            synchronized (javaSeen) {
              javaSeen.add(connection);
            }
          }
        });
    java.start().get(5, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() {
    try {
      if (java != null) {
        java.close();
      }
    } finally {
      if (js != null) {
        js.close();
      }
      if (jsSecp != null) {
        jsSecp.close();
      }
    }
  }

  @Test
  void javaDialsJsAndIdentifiesIt() throws Exception {
    Connection connection = java.dial(js.address()).get(10, TimeUnit.SECONDS);
    assertThat(connection.remotePeer()).isEqualTo(js.peerId());
    assertThat(connection.remotePublicKey().type()).isEqualTo(KeyType.ED25519);
    js.awaitEvent(
        e ->
            "peer:connect".equals(e.path("event").asText())
                && java.peerId().toBase58().equals(e.path("peer").asText()),
        Duration.ofSeconds(10));

    IdentifyInfo info = java.identify(js.peerId()).get(10, TimeUnit.SECONDS);
    assertThat(info.protocols()).contains("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0", "/meshsub/1.1.0");
    assertThat(info.agentVersion()).contains("libp2p");
    assertThat(info.listenAddresses()).contains(js.address().withoutPeerId());
  }

  @Test
  void jsIdentifiesJava() throws Exception {
    java.dial(js.address()).get(10, TimeUnit.SECONDS);
    JsonNode identified =
        js.awaitEvent(
            e ->
                "peer:identify".equals(e.path("event").asText())
                    && java.peerId().toBase58().equals(e.path("peer").asText()),
            Duration.ofSeconds(10));
    assertThat(identified.path("agentVersion").asText()).isEqualTo("callchain/interop");
    List<String> protocols = new ArrayList<>();
    identified.path("protocols").forEach(p -> protocols.add(p.asText()));
    assertThat(protocols).contains("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0");
    JsonNode direct = js.identify(java.peerId());
    assertThat(direct.path("agentVersion").asText()).isEqualTo("callchain/interop");
  }

  @Test
  void javaPingsJs() throws Exception {
    java.dial(js.address()).get(10, TimeUnit.SECONDS);
    Duration rtt = java.ping(js.peerId()).get(10, TimeUnit.SECONDS);
    assertThat(rtt).isPositive().isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void jsDialsAndPingsJava() throws Exception {
    var address = java.listenAddresses().get(0).withPeerId(java.peerId());
    js.dial(address);
    double rttMs = js.ping(address);
    assertThat(rttMs).isGreaterThanOrEqualTo(0).isLessThan(5000);
    boolean seen;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    do {
      synchronized (javaSeen) {
        seen = javaSeen.stream().anyMatch(c -> c.remotePeer().equals(js.peerId()));
      }
    } while (!seen && System.nanoTime() < deadline);
    assertThat(seen).isTrue();
  }

  @Test
  void secp256k1PeersOnBothSidesHandshake() throws Exception {
    Connection connection = java.dial(jsSecp.address()).get(10, TimeUnit.SECONDS);
    assertThat(connection.remotePublicKey().type()).isEqualTo(KeyType.SECP256K1);
    assertThat(connection.remotePeer().toBase58()).startsWith("16Uiu2HA");
    assertThat(java.ping(jsSecp.peerId()).get(10, TimeUnit.SECONDS)).isPositive();
    CompletableFuture<Double> jsPing = new CompletableFuture<>();
    jsPing.complete(jsSecp.ping(java.listenAddresses().get(0).withPeerId(java.peerId())));
    assertThat(jsPing.get()).isGreaterThanOrEqualTo(0);
  }
}

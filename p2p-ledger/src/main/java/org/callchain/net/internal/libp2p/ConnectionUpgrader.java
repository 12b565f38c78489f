package org.callchain.net.internal.libp2p;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.callchain.net.Direction;
import org.callchain.net.NetworkException;
import org.callchain.net.PeerId;
import org.callchain.net.internal.multistream.MultistreamChannelHandler;
import org.callchain.net.internal.multistream.MultistreamNegotiator;
import org.callchain.net.internal.noise.NoiseHandshakeHandler;
import org.callchain.net.internal.noise.NoiseTransportCodec;
import org.callchain.net.internal.noise.NoiseXXHandshake;
import org.callchain.net.internal.yamux.YamuxSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a raw TCP channel into a {@link Libp2pConnection} (libp2p connections spec, "Upgrading
 * Connections"): multistream-select {@code /noise}, the Noise XX handshake, the expected-peer and
 * {@link org.callchain.net.ConnectionGater} checks (before any muxer exists, so a refused peer can
 * open no stream), the per-peer limit, multistream-select {@code /yamux/1.0.0}, then the yamux
 * session. Each stage installs the next one in the channel's pipeline and removes itself. The whole
 * upgrade must finish within the configured timeout.
 */
final class ConnectionUpgrader {
  static final String NOISE = "/noise";
  static final String YAMUX = "/yamux/1.0.0";

  private static final Logger LOG = LoggerFactory.getLogger(ConnectionUpgrader.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Libp2pHost host;
  private final Direction direction;
  private final Optional<PeerId> expectedPeer;
  private final CompletableFuture<Libp2pConnection> result = new CompletableFuture<>();

  ConnectionUpgrader(Libp2pHost host, Direction direction, Optional<PeerId> expectedPeer) {
    this.host = host;
    this.direction = direction;
    this.expectedPeer = expectedPeer;
  }

  CompletableFuture<Libp2pConnection> result() {
    return result;
  }

  private boolean dialer() {
    return direction == Direction.OUTBOUND;
  }

  void install(Channel channel) {
    channel
        .pipeline()
        .addLast(
            "security-select",
            new MultistreamChannelHandler(
                out ->
                    dialer()
                        ? MultistreamNegotiator.dialer(List.of(NOISE), out)
                        : MultistreamNegotiator.listener(NOISE::equals, () -> List.of(NOISE), out),
                new MultistreamChannelHandler.Selection() {
                  @Override
                  public void onSelected(ChannelHandlerContext ctx, String protocol) {
                    startNoise(ctx);
                  }

                  @Override
                  public void onFailed(ChannelHandlerContext ctx, String reason) {
                    fail("security negotiation failed: " + reason);
                  }
                }))
        .addLast("errors", new CloseOnError());
    var timer =
        channel
            .eventLoop()
            .schedule(
                () -> {
                  if (fail(
                      "connection upgrade timed out after " + host.config().upgradeTimeout())) {
                    channel.close();
                  }
                },
                host.config().upgradeTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
    result.whenComplete((c, e) -> timer.cancel(false));
    channel.closeFuture().addListener(f -> fail("connection closed during upgrade"));
  }

  private void startNoise(ChannelHandlerContext ctx) {
    NoiseXXHandshake handshake =
        new NoiseXXHandshake(
            dialer() ? NoiseXXHandshake.Role.INITIATOR : NoiseXXHandshake.Role.RESPONDER,
            host.config().key(),
            RANDOM);
    ctx.pipeline()
        .addAfter(
            ctx.name(),
            "noise-handshake",
            new NoiseHandshakeHandler(
                handshake,
                dialer(),
                new NoiseHandshakeHandler.Completion() {
                  @Override
                  public void onComplete(ChannelHandlerContext c, NoiseXXHandshake.Result r) {
                    onSecured(c, r);
                  }

                  @Override
                  public void onFailed(ChannelHandlerContext c, Exception cause) {
                    fail("Noise handshake failed: " + cause.getMessage());
                  }
                }));
  }

  private void onSecured(ChannelHandlerContext ctx, NoiseXXHandshake.Result secured) {
    PeerId peer = secured.remotePeer();
    if (expectedPeer.isPresent() && !expectedPeer.get().equals(peer)) {
      refuse(ctx, "dialled " + expectedPeer.get() + " but the remote key is " + peer);
      return;
    }
    if (!host.config().gater().allow(secured.remoteKey(), peer, direction)) {
      refuse(ctx, "connection gater refused " + peer);
      return;
    }
    if (host.connectionCount(peer) >= host.config().maxConnectionsPerPeer()) {
      refuse(ctx, "per-peer connection limit reached for " + peer);
      return;
    }
    ctx.pipeline()
        .addAfter(ctx.name(), "noise", new NoiseTransportCodec(secured.transport()))
        .addAfter(
            "noise",
            "muxer-select",
            new MultistreamChannelHandler(
                out ->
                    dialer()
                        ? MultistreamNegotiator.dialer(List.of(YAMUX), out)
                        : MultistreamNegotiator.listener(YAMUX::equals, () -> List.of(YAMUX), out),
                new MultistreamChannelHandler.Selection() {
                  @Override
                  public void onSelected(ChannelHandlerContext c, String protocol) {
                    startYamux(c, secured);
                  }

                  @Override
                  public void onFailed(ChannelHandlerContext c, String reason) {
                    fail("muxer negotiation failed: " + reason);
                  }
                }));
  }

  private void startYamux(ChannelHandlerContext ctx, NoiseXXHandshake.Result secured) {
    Libp2pConnection[] holder = new Libp2pConnection[1];
    YamuxSession session =
        new YamuxSession(
            dialer(),
            new YamuxSession.Limits(
                host.config().maxInboundStreamsPerConnection(),
                host.config().maxPendingWriteBytes(),
                host.config().keepAliveInterval()),
            stream -> host.onInboundStream(holder[0], stream));
    Libp2pConnection connection =
        new Libp2pConnection(
            ctx.channel(), session, secured.remoteKey(), direction, host.config().upgradeTimeout());
    holder[0] = connection;
    session.attach(connection);
    ctx.pipeline().addAfter(ctx.name(), "yamux", session);
    if (!result.isDone()) {
      // Registered before the dial future completes, so the dialler can open streams at once.
      host.onConnectionEstablished(connection);
      result.complete(connection);
    }
  }

  private void refuse(ChannelHandlerContext ctx, String reason) {
    fail(reason);
    ctx.close();
  }

  private boolean fail(String reason) {
    boolean failed = result.completeExceptionally(new NetworkException(reason));
    if (failed) {
      LOG.debug("{} connection upgrade failed: {}", direction, reason);
    }
    return failed;
  }

  /** Last handler: any exception a stage did not handle closes the connection. */
  private static final class CloseOnError extends ChannelInboundHandlerAdapter {
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.debug("closing {} after {}", ctx.channel(), cause.toString());
      ctx.close();
    }
  }
}

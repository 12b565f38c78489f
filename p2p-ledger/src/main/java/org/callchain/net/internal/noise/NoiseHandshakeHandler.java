package org.callchain.net.internal.noise;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import java.util.Optional;

/**
 * Runs the Noise XX handshake on a channel: handshake messages are framed by a 2-byte big-endian
 * length (noise-libp2p, "Wire Format"). On success it hands the result to {@code onComplete}, which
 * installs the transport stage after this handler; bytes the peer already sent under the transport
 * keys are passed on, and this handler removes itself. Any failure closes the channel.
 */
public final class NoiseHandshakeHandler extends ByteToMessageDecoder {
  /** Receives the handshake outcome. */
  public interface Completion {
    void onComplete(ChannelHandlerContext ctx, NoiseXXHandshake.Result result) throws Exception;

    void onFailed(ChannelHandlerContext ctx, Exception cause);
  }

  private final NoiseXXHandshake handshake;
  private final boolean initiator;
  private final Completion completion;
  private boolean started;

  public NoiseHandshakeHandler(
      NoiseXXHandshake handshake, boolean initiator, Completion completion) {
    this.handshake = handshake;
    this.initiator = initiator;
    this.completion = completion;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (initiator && ctx.channel().isActive() && !started) {
      started = true;
      send(ctx, handshake.start());
    }
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    try {
      while (in.readableBytes() >= 2) {
        int length = in.getUnsignedShort(in.readerIndex());
        if (in.readableBytes() < 2 + length) {
          return;
        }
        in.skipBytes(2);
        byte[] message = new byte[length];
        in.readBytes(message);
        Optional<byte[]> reply = handshake.onMessage(message);
        reply.ifPresent(bytes -> send(ctx, bytes));
        if (handshake.isComplete()) {
          completion.onComplete(ctx, handshake.result());
          if (ctx.channel().isActive() && in.isReadable()) {
            out.add(in.readRetainedSlice(in.readableBytes()));
          }
          ctx.pipeline().remove(this);
          return;
        }
      }
    } catch (Exception e) {
      in.skipBytes(in.readableBytes());
      completion.onFailed(ctx, e);
      ctx.close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (!handshake.isComplete()) {
      completion.onFailed(ctx, new NoiseException("connection closed during the Noise handshake"));
    }
    super.channelInactive(ctx);
  }

  private static void send(ChannelHandlerContext ctx, byte[] message) {
    ByteBuf frame = ctx.alloc().buffer(2 + message.length);
    frame.writeShort(message.length);
    frame.writeBytes(message);
    ctx.writeAndFlush(frame, ctx.voidPromise());
  }
}

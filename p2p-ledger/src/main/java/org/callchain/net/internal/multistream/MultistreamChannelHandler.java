package org.callchain.net.internal.multistream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs one multistream-select negotiation on a whole channel (the security protocol on raw TCP, the
 * muxer inside Noise). When a protocol is selected it hands the pipeline to {@code onSelected},
 * which installs the next stage after this handler; bytes that already belong to that stage are
 * passed on, and this handler removes itself. A failed negotiation closes the channel.
 */
public final class MultistreamChannelHandler extends ByteToMessageDecoder {
  /** Installs the next stage for the selected protocol. */
  public interface Selection {
    void onSelected(ChannelHandlerContext ctx, String protocol) throws Exception;

    void onFailed(ChannelHandlerContext ctx, String reason);
  }

  private final Function<Consumer<byte[]>, MultistreamNegotiator> factory;
  private final Selection selection;
  private MultistreamNegotiator negotiator;

  /**
   * @param factory builds the dialer or listener negotiator around an output that writes to the
   *     channel
   */
  public MultistreamChannelHandler(
      Function<Consumer<byte[]>, MultistreamNegotiator> factory, Selection selection) {
    this.factory = factory;
    this.selection = selection;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      begin(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    begin(ctx);
    super.channelActive(ctx);
  }

  private void begin(ChannelHandlerContext ctx) {
    if (negotiator != null) {
      return;
    }
    negotiator =
        factory.apply(bytes -> ctx.writeAndFlush(Unpooled.wrappedBuffer(bytes), ctx.voidPromise()));
    negotiator.start();
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    if (negotiator == null) {
      begin(ctx);
    }
    byte[] data = ByteBufUtil.getBytes(in);
    in.skipBytes(data.length);
    MultistreamNegotiator.Outcome outcome = negotiator.feed(data);
    if (outcome instanceof MultistreamNegotiator.Selected selected) {
      selection.onSelected(ctx, selected.protocol());
      if (selected.leftover().length > 0) {
        out.add(Unpooled.wrappedBuffer(selected.leftover()));
      }
      ctx.pipeline().remove(this);
    } else if (outcome instanceof MultistreamNegotiator.Failed failed) {
      selection.onFailed(ctx, failed.reason());
      ctx.close();
    }
  }
}

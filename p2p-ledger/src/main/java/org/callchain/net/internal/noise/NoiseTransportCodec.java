package org.callchain.net.internal.noise;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageCodec;
import java.util.List;

/**
 * Noise transport messages on a channel (noise-libp2p, "Wire Format"): outbound bytes are cut into
 * plaintexts of at most 65519 bytes, each encrypted and sent behind a 2-byte length; inbound frames
 * are decrypted in order. The 2-byte prefix caps a frame at 65535 bytes, so an oversized frame
 * cannot be expressed; a frame that fails to decrypt closes the connection.
 */
public final class NoiseTransportCodec extends ByteToMessageCodec<ByteBuf> {
  private final NoiseTransport transport;

  public NoiseTransportCodec(NoiseTransport transport) {
    super(ByteBuf.class);
    this.transport = transport;
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, ByteBuf msg, ByteBuf out) {
    while (msg.isReadable()) {
      int n = Math.min(msg.readableBytes(), NoiseTransport.MAX_PLAINTEXT);
      byte[] plaintext = new byte[n];
      msg.readBytes(plaintext);
      byte[] ciphertext = transport.encrypt(plaintext);
      out.writeShort(ciphertext.length);
      out.writeBytes(ciphertext);
    }
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (in.readableBytes() >= 2) {
      int length = in.getUnsignedShort(in.readerIndex());
      if (in.readableBytes() < 2 + length) {
        return;
      }
      in.skipBytes(2);
      byte[] ciphertext = new byte[length];
      in.readBytes(ciphertext);
      try {
        out.add(Unpooled.wrappedBuffer(transport.decrypt(ciphertext)));
      } catch (NoiseException e) {
        in.skipBytes(in.readableBytes());
        ctx.close();
        return;
      }
    }
  }
}

package org.callchain.media.internal.engine;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import org.callchain.media.internal.codec.AudioCodec;
import org.callchain.media.internal.dtmf.DtmfSender;
import org.callchain.media.internal.rtp.RtpPacket;

/**
 * The send half of a call leg: one RTP packet per ptime, the encoded audio or, while a digit is
 * sent, the RFC 4733 event in its place, under a random SSRC, first sequence number and first
 * timestamp (RFC 3550 §5.1, §8.1). Runs on the clock thread, under the session lock.
 */
final class RtpSender {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final DatagramChannel channel;
  private final Counters counters;
  private final byte[] sendBuffer = new byte[12 + 1500];
  // A heap buffer would be copied into a temporary direct buffer by every send.
  private final ByteBuffer sendDirect = ByteBuffer.allocateDirect(sendBuffer.length);
  private final byte[] encodeBuffer = new byte[1500];
  private final long ssrc = RANDOM.nextInt() & 0xFFFFFFFFL;
  private int seq = RANDOM.nextInt(1 << 16);
  private long timestamp = RANDOM.nextInt() & 0xFFFFFFFFL;
  private boolean talkspurtStart = true;

  RtpSender(DatagramChannel channel, Counters counters) {
    this.channel = channel;
    this.counters = counters;
  }

  long ssrc() {
    return ssrc;
  }

  /** The RTP timestamp of the next frame, for RTCP sender reports. */
  long timestamp() {
    return timestamp;
  }

  /** RFC 3551 §4.1: the next packet starts a talkspurt, so it carries the marker. */
  void startTalkspurt() {
    talkspurtStart = true;
  }

  /**
   * Sends the frame {@code pcm[0..samples)} to {@code to}, or nothing when {@code to} is null (not
   * sending, or no peer address yet: the next packet sent then starts a talkspurt). The timestamp
   * advances by the frame either way.
   */
  void sendFrame(NegotiatedStream s, short[] pcm, int samples, InetSocketAddress to) {
    AudioCodec codec = s.codec();
    if (to != null) {
      DtmfSender.EventPacket event =
          s.telephoneEvent().isPresent() ? s.dtmfSender().next(timestamp, s.ptimeMillis()) : null;
      int payloadLength;
      if (event != null) {
        RtpPacket.writeHeader(
            sendBuffer,
            event.marker(),
            s.telephoneEvent().get().payloadType(),
            seq,
            event.timestamp(),
            ssrc);
        System.arraycopy(event.payload(), 0, sendBuffer, 12, event.payload().length);
        payloadLength = event.payload().length;
      } else {
        byte[] encoded = encodeBuffer;
        payloadLength = codec.encode(pcm, samples, encoded);
        RtpPacket.writeHeader(
            sendBuffer, talkspurtStart, codec.format().payloadType(), seq, timestamp, ssrc);
        System.arraycopy(encoded, 0, sendBuffer, 12, payloadLength);
        talkspurtStart = false;
      }
      try {
        sendDirect.clear();
        sendDirect.put(sendBuffer, 0, 12 + payloadLength).flip();
        int sent = channel.send(sendDirect, to);
        if (sent == 0) {
          counters.sendOverflows.increment();
        } else {
          seq = (seq + 1) & 0xFFFF;
          counters.packetsSent.increment();
          counters.octetsSent.add(payloadLength);
        }
      } catch (IOException e) {
        counters.sendErrors.increment();
      }
    } else {
      talkspurtStart = true;
    }
    timestamp = (timestamp + (long) samples * codec.timestampUnitsPerSample()) & 0xFFFFFFFFL;
  }
}

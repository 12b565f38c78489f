package org.callchain.media.internal.engine;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.callchain.media.internal.rtcp.NtpTime;
import org.callchain.media.internal.rtcp.ReportBlock;
import org.callchain.media.internal.rtcp.RtcpPacket;
import org.callchain.media.internal.rtp.ReceptionStatistics;

/**
 * The RTCP side of one session (RFC 3550 §6): reception statistics per remote SSRC, SR when we sent
 * since the last report and RR otherwise, each with an SDES CNAME (§6.1), at a randomised interval
 * (§6.3.1: 0.5 to 1.5 times the configured interval), and the round-trip time from the LSR/DLSR
 * fields of the peer's report blocks about us (§6.4.1). A CNAME is random per session, as RFC 7022
 * recommends for privacy.
 */
final class RtcpSession {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int MAX_SOURCES = 8;

  /** Reception figures summed over the remote sources. */
  record Reception(long expected, long lost, double jitterMillis) {}

  private final long ssrc;
  private final DatagramChannel channel;
  private final long intervalNanos;
  private final Counters counters;
  private final String cname;
  private final Map<Long, ReceptionStatistics> sources =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, ReceptionStatistics> eldest) {
          return size() > MAX_SOURCES;
        }
      };
  private ReceptionStatistics current;
  private ReceptionStatistics lastSource;
  private long lastSourceSsrc;
  private volatile InetSocketAddress peer;
  private boolean peerLatched;
  private long nextReportNanos = Long.MAX_VALUE;
  private long sentAtLastReport;
  private long lastSrMiddle;
  private long lastSrArrivalNanos;
  private volatile double roundTripMillis = -1;

  RtcpSession(long ssrc, DatagramChannel channel, int intervalMillis, Counters counters) {
    this.ssrc = ssrc;
    this.channel = channel;
    this.intervalNanos = intervalMillis * 1_000_000L;
    this.counters = counters;
    byte[] r = new byte[8];
    RANDOM.nextBytes(r);
    this.cname = HexFormat.of().formatHex(r) + "@callchain";
  }

  synchronized void start(long now) {
    nextReportNanos = now + nextInterval() / 2;
  }

  synchronized void setPeer(InetSocketAddress address) {
    peer = address;
    peerLatched = false;
  }

  private long nextInterval() {
    return (long) (intervalNanos * (0.5 + RANDOM.nextDouble()));
  }

  synchronized void received(
      long packetSsrc, int seq, long timestamp, long arrivalNanos, int clockRate, boolean audio) {
    ReceptionStatistics rx;
    if (lastSource != null && packetSsrc == lastSourceSsrc) {
      rx = lastSource; // the usual case: no map look-up, no boxed key per packet
    } else {
      rx = sources.get(packetSsrc);
      if (rx == null) {
        rx = new ReceptionStatistics(clockRate);
        sources.put(packetSsrc, rx);
      }
      lastSource = rx;
      lastSourceSsrc = packetSsrc;
    }
    if (rx.update(packetSsrc, seq, timestamp, arrivalNanos, audio)) {
      current = rx;
    }
  }

  synchronized Reception reception() {
    long expected = 0;
    long lost = 0;
    for (ReceptionStatistics rx : sources.values()) {
      expected += rx.expected();
      lost += rx.cumulativeLost();
    }
    return new Reception(expected, lost, current == null ? 0 : current.jitterMillis());
  }

  double roundTripMillis() {
    return roundTripMillis;
  }

  void tick(long now, InetSocketAddress rtpPeer, long rtpTimestamp) {
    byte[] packet;
    synchronized (this) {
      if (now < nextReportNanos) {
        return;
      }
      nextReportNanos = now + nextInterval();
      packet = build(now, rtpTimestamp, false);
    }
    send(packet, rtpPeer);
  }

  void sendBye(InetSocketAddress rtpPeer, long rtpTimestamp) {
    byte[] packet;
    synchronized (this) {
      packet = build(System.nanoTime(), rtpTimestamp, true);
    }
    send(packet, rtpPeer);
  }

  private byte[] build(long now, long rtpTimestamp, boolean bye) {
    List<ReportBlock> blocks = new ArrayList<>();
    for (Map.Entry<Long, ReceptionStatistics> e : sources.entrySet()) {
      ReceptionStatistics rx = e.getValue();
      if (rx.expected() == 0) {
        continue;
      }
      long dlsr =
          lastSrMiddle == 0 ? 0 : (long) ((now - lastSrArrivalNanos) / 1e9 * 65536) & 0xFFFFFFFFL;
      blocks.add(
          new ReportBlock(
              e.getKey(),
              rx.takeFractionLost(),
              (int) Math.max(-0x800000, Math.min(0x7FFFFF, rx.cumulativeLost())),
              rx.extendedHighestSequence() & 0xFFFFFFFFL,
              rx.jitterUnits() & 0xFFFFFFFFL,
              e.getValue() == current ? lastSrMiddle : 0,
              e.getValue() == current ? dlsr : 0));
    }
    long sent = counters.packetsSent.sum();
    long[] senderInfo = null;
    if (sent > sentAtLastReport) {
      long ntp = NtpTime.fromUnixMillis(System.currentTimeMillis());
      senderInfo =
          new long[] {
            ntp >>> 32,
            ntp & 0xFFFFFFFFL,
            rtpTimestamp,
            sent & 0xFFFFFFFFL,
            counters.octetsSent.sum() & 0xFFFFFFFFL
          };
    }
    sentAtLastReport = sent;
    return RtcpPacket.compound(ssrc, senderInfo, blocks, cname, bye);
  }

  private void send(byte[] packet, InetSocketAddress rtpPeer) {
    InetSocketAddress to = peer;
    if (to == null && rtpPeer != null) {
      to = new InetSocketAddress(rtpPeer.getAddress(), rtpPeer.getPort() + 1);
    }
    if (to == null || !channel.isOpen()) {
      return;
    }
    try {
      channel.send(ByteBuffer.wrap(packet), to);
    } catch (IOException e) {
      counters.sendErrors.increment();
    }
  }

  void onPacket(byte[] data, int length, InetSocketAddress from, long arrivalNanos) {
    RtcpPacket.Compound c;
    try {
      c = RtcpPacket.parse(data, length);
    } catch (RtcpPacket.MalformedRtcpException e) {
      counters.reject("RTCP_MALFORMED");
      return;
    }
    synchronized (this) {
      if (!sources.isEmpty() && !sources.containsKey(c.senderSsrc())) {
        counters.reject("RTCP_UNKNOWN_SOURCE");
        return;
      }
      if (!peerLatched) {
        peer = from; // symmetric RTCP, like symmetric RTP (RFC 4961)
        peerLatched = true;
      }
      if (c.senderNtpMiddle() >= 0) {
        lastSrMiddle = c.senderNtpMiddle();
        lastSrArrivalNanos = arrivalNanos;
      }
    }
    long nowMiddle = NtpTime.middle(NtpTime.fromUnixMillis(System.currentTimeMillis()));
    for (ReportBlock b : c.blocks()) {
      if (b.ssrc() == ssrc) {
        double rtt = NtpTime.roundTripMillis(nowMiddle, b.lastSr(), b.delaySinceLastSr());
        if (rtt >= 0) {
          roundTripMillis = rtt;
        }
      }
    }
  }
}

package org.callchain.phone.interop;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.callchain.media.MediaDescription;
import org.callchain.media.MediaEngine;
import org.callchain.media.MediaException;
import org.callchain.media.MediaListener;
import org.callchain.media.MediaOutcome;
import org.callchain.media.MediaQuality;
import org.callchain.media.MediaSession;
import org.callchain.media.MediaSessionOptions;
import org.callchain.media.PayloadFormat;

/**
 * A media engine for the SIP interop tests: every session binds a real RTP socket on loopback (so
 * the SDP advertises a port that works), sends one 20 ms packet of G.711 silence per ptime while
 * its direction sends (RFC 3550 §5.1 header, RFC 3551 §4.5.14), and counts what arrives. That is
 * enough to prove that peers such as SIPp ({@code -rtp_echo}) reached the advertised port; codecs,
 * jitter buffers and audio devices are the media engine's business, not this one's.
 */
public final class RtpCountingMediaEngine implements MediaEngine {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private final ScheduledExecutorService sender =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "interop-rtp-sender");
            t.setDaemon(true);
            return t;
          });
  private final Set<Session> open = ConcurrentHashMap.newKeySet();
  private final AtomicLong totalReceived = new AtomicLong();

  public RtpCountingMediaEngine() {
    sender.scheduleAtFixedRate(this::tick, 20, 20, TimeUnit.MILLISECONDS);
  }

  @Override
  public List<PayloadFormat> supportedFormats() {
    return List.of(PayloadFormat.PCMU, PayloadFormat.PCMA, PayloadFormat.TELEPHONE_EVENT);
  }

  @Override
  public MediaSession open(MediaSessionOptions options) throws MediaException {
    try {
      Session s = new Session(new DatagramSocket(new InetSocketAddress(LOOPBACK, 0)));
      open.add(s);
      return s;
    } catch (SocketException e) {
      throw new MediaException("cannot bind an RTP socket on loopback", e);
    }
  }

  /** RTP packets received by all sessions of this engine, open or finished. */
  public long totalPacketsReceived() {
    return totalReceived.get();
  }

  /** Sessions not finished yet (a leak check: every call must release its media). */
  public int openSessions() {
    return open.size();
  }

  private void tick() {
    for (Session s : open) {
      s.sendOnePacket();
    }
  }

  @Override
  public void close() {
    sender.shutdownNow();
    for (Session s : open) {
      s.finish();
    }
  }

  private final class Session implements MediaSession {
    private final DatagramSocket socket;
    private final InetSocketAddress local;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final List<MediaListener> listeners = new CopyOnWriteArrayList<>();
    private final int ssrc = (int) (Math.random() * Integer.MAX_VALUE);
    private volatile MediaDescription negotiated;
    private volatile boolean finished;
    private int sequence;
    private int timestamp;

    Session(DatagramSocket socket) {
      this.socket = socket;
      // Kept apart: a closed socket reports port -1, and the call record is written after close.
      this.local = new InetSocketAddress(LOOPBACK, socket.getLocalPort());
      Thread receiver = new Thread(this::receiveLoop, "interop-rtp-recv-" + socket.getLocalPort());
      receiver.setDaemon(true);
      receiver.start();
    }

    @Override
    public InetSocketAddress localRtpAddress() {
      return local;
    }

    @Override
    public void apply(MediaDescription description) {
      this.negotiated = description;
    }

    @Override
    public void sendDtmf(char digit) {
      // Not needed by the interop tests: the DTMF path is covered by the media engine's tests.
    }

    @Override
    public void addListener(MediaListener listener) {
      listeners.add(listener);
    }

    @Override
    public MediaQuality quality() {
      return new MediaQuality(sent.get(), received.get(), 0, 0, -1, 0);
    }

    @Override
    public MediaOutcome finish() {
      if (!finished) {
        finished = true;
        open.remove(this);
        socket.close();
      }
      MediaDescription d = negotiated;
      return new MediaOutcome(
          d == null ? "" : d.codec().encodingName(), quality(), Optional.empty());
    }

    synchronized void sendOnePacket() {
      MediaDescription d = negotiated;
      if (finished || d == null || !d.direction().sends()) {
        return;
      }
      int samples = 8 * d.ptimeMillis();
      byte[] packet = new byte[12 + samples];
      packet[0] = (byte) 0x80; // V=2, no padding, no extension, no CSRC
      packet[1] = (byte) (d.codec().payloadType() & 0x7f);
      packet[2] = (byte) (sequence >> 8);
      packet[3] = (byte) sequence;
      for (int i = 0; i < 4; i++) {
        packet[4 + i] = (byte) (timestamp >> (24 - 8 * i));
        packet[8 + i] = (byte) (ssrc >> (24 - 8 * i));
      }
      // G.711 silence: 0xFF in mu-law, 0xD5 in A-law.
      byte silence = d.codec().payloadType() == 8 ? (byte) 0xD5 : (byte) 0xFF;
      java.util.Arrays.fill(packet, 12, packet.length, silence);
      sequence = (sequence + 1) & 0xffff;
      timestamp += samples;
      try {
        socket.send(new DatagramPacket(packet, packet.length, d.remoteRtp()));
        sent.incrementAndGet();
      } catch (IOException e) {
        // The peer's port may be closed already at the end of a call: nothing to do.
      }
    }

    private void receiveLoop() {
      byte[] buffer = new byte[2048];
      while (!finished) {
        DatagramPacket p = new DatagramPacket(buffer, buffer.length);
        try {
          socket.receive(p);
          if (p.getLength() >= 12 && (buffer[0] & 0xc0) == 0x80) {
            received.incrementAndGet();
            totalReceived.incrementAndGet();
          }
        } catch (IOException closed) {
          return;
        }
      }
    }
  }
}

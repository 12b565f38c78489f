package org.callchain.media.internal.engine;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.callchain.media.AudioSinkSpec;
import org.callchain.media.AudioSourceSpec;
import org.callchain.media.JitterStatistics;
import org.callchain.media.MediaConfig;
import org.callchain.media.MediaDescription;
import org.callchain.media.MediaDirection;
import org.callchain.media.MediaException;
import org.callchain.media.MediaListener;
import org.callchain.media.MediaOutcome;
import org.callchain.media.MediaQuality;
import org.callchain.media.MediaSession;
import org.callchain.media.MediaSessionOptions;
import org.callchain.media.PayloadFormat;
import org.callchain.media.Recording;
import org.callchain.media.internal.audio.AudioEndpoints;
import org.callchain.media.internal.audio.AudioSink;
import org.callchain.media.internal.audio.AudioSource;
import org.callchain.media.internal.codec.AudioCodec;
import org.callchain.media.internal.codec.Codecs;
import org.callchain.media.internal.dtmf.DtmfSender;
import org.callchain.media.internal.jitter.JitterBuffer;
import org.callchain.media.internal.quality.EModel;
import org.callchain.media.internal.recording.CallRecorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call leg on RTP: sockets, codec, jitter buffer, DTMF, audio source and sink, recording.
 *
 * <p>Threads: {@link #tick} (send, playout, RTCP) and {@link #onRtp}/{@link #onRtcp} (the receive
 * pass at the start of each clock slot) run on one and the same clock thread of the engine (ADR
 * 0034), {@link #apply}/{@link #finish} on the caller's. The negotiated state is swapped as one
 * immutable {@link NegotiatedStream} object under the session lock, so the clock thread always sees
 * a consistent codec/jitter buffer/direction triple. {@link RtpSender} and {@link RtpReceiver} are
 * its send and receive halves, {@link RtpPeer} the peer's latched address, {@link RtcpSession} its
 * RTCP.
 */
final class RtpMediaSession implements MediaSession, MediaClock.Tickable {
  private static final Logger LOG = LoggerFactory.getLogger(RtpMediaSession.class);
  private static final int PLAYOUT_MILLIS = 20;
  private static final long PLAYOUT_NANOS = PLAYOUT_MILLIS * 1_000_000L;
  private static final int MAX_PTIME_MILLIS = 120;
  private static final long NOT_SCHEDULED = Long.MIN_VALUE;

  private final MediaConfig config;
  private final MediaSessionOptions options;
  private final PortAllocator.PortPair ports;
  private final MediaClock clock;
  private final Consumer<RtpMediaSession> onFinish;
  private final InetSocketAddress localRtp;
  private final List<MediaListener> listeners = new CopyOnWriteArrayList<>();
  private final Counters counters = new Counters();
  private final RtpPeer peer = new RtpPeer();
  private final RtpSender sender;
  private final RtcpSession rtcp;
  private final RtpReceiver receiver;
  private short[] pcm = new short[0];
  private short[] playout = new short[0];

  private volatile NegotiatedStream stream;
  private volatile boolean muted;
  private volatile boolean finished;
  private MediaOutcome outcome;

  private AudioSource source;
  private AudioSink sink;
  private int audioRate;
  private CallRecorder recorder;

  private long nextSendNanos = NOT_SCHEDULED;
  private long nextPlayNanos = NOT_SCHEDULED;

  RtpMediaSession(
      MediaConfig config,
      MediaSessionOptions options,
      PortAllocator.PortPair ports,
      MediaClock clock,
      Consumer<RtpMediaSession> onFinish)
      throws MediaException {
    this.config = config;
    this.options = options;
    this.ports = ports;
    this.clock = clock;
    this.onFinish = onFinish;
    this.localRtp = new InetSocketAddress(config.bindAddress(), ports.rtpPort());
    this.sender = new RtpSender(ports.rtp(), counters);
    this.rtcp = new RtcpSession(sender.ssrc(), ports.rtcp(), config.rtcpIntervalMillis(), counters);
    this.receiver =
        new RtpReceiver(
            () -> {
              NegotiatedStream s = stream;
              return finished ? null : s;
            },
            peer,
            rtcp,
            counters,
            listeners);
    // Open the audio endpoints now, so a missing or busy device fails the call before any SDP.
    openAudio(Codecs.pcmRate(config.codecs().get(0)));
  }

  private void openAudio(int rate) throws MediaException {
    if (rate == audioRate) {
      return;
    }
    AudioSourceSpec srcSpec = options.source().orElse(config.source());
    AudioSinkSpec sinkSpec = options.sink().orElse(config.sink());
    AudioSource newSource = AudioEndpoints.openSource(srcSpec, rate);
    AudioSink newSink;
    try {
      newSink = AudioEndpoints.openSink(sinkSpec, rate, options.callId());
    } catch (MediaException e) {
      newSource.close();
      throw e;
    }
    closeAudio();
    source = newSource;
    sink = newSink;
    audioRate = rate;
    pcm = new short[rate * MAX_PTIME_MILLIS / 1000];
    playout = new short[rate * PLAYOUT_MILLIS / 1000];
  }

  private void closeAudio() {
    if (source != null) {
      source.close();
    }
    if (sink != null) {
      sink.close();
    }
  }

  @Override
  public InetSocketAddress localRtpAddress() {
    return localRtp;
  }

  @Override
  public void apply(MediaDescription negotiated) throws MediaException {
    synchronized (this) {
      if (finished) {
        throw new MediaException("media session " + options.callId() + " is finished");
      }
      PayloadFormat format = negotiated.codec();
      if (!Codecs.supports(format)) {
        throw new MediaException("codec " + format.rtpmap() + " is not supported");
      }
      NegotiatedStream old = stream;
      boolean sameCodec =
          old != null
              && old.codec().format().payloadType() == format.payloadType()
              && old.codec().format().sameEncoding(format);
      AudioCodec codec = sameCodec ? old.codec() : Codecs.create(format);
      JitterBuffer jb =
          sameCodec
              ? old.jitterBuffer()
              : new JitterBuffer(
                  codec,
                  negotiated.ptimeMillis(),
                  config.minJitterDelayMillis(),
                  config.maxJitterDelayMillis());
      openAudio(codec.sampleRate());
      if (recorder == null && options.record() && config.recordDirectory().isPresent()) {
        recorder =
            new CallRecorder(config.recordDirectory().get(), options.callId(), codec.sampleRate());
      }
      int ptime = usablePtime(format, negotiated.ptimeMillis());
      DtmfSender dtmf =
          old != null && old.telephoneEvent().equals(negotiated.telephoneEvent())
              ? old.dtmfSender()
              : new DtmfSender(
                  negotiated.telephoneEvent().map(PayloadFormat::clockRate).orElse(8000));
      if (old == null || !old.description().remoteRtp().equals(negotiated.remoteRtp())) {
        // a new peer address (first answer, or a re-INVITE moved the media): latch afresh
        peer.moveTo(negotiated.remoteRtp());
        rtcp.setPeer(
            new InetSocketAddress(
                negotiated.remoteRtp().getAddress(), negotiated.remoteRtp().getPort() + 1));
      }
      if (old == null || !old.description().direction().sends()) {
        sender.startTalkspurt(); // RFC 3551 §4.1: marker on the first packet after silence
      }
      stream =
          new NegotiatedStream(negotiated, codec, jb, negotiated.telephoneEvent(), dtmf, ptime);
      if (old == null) {
        // the first tick aligns the send and playout schedules to this session's clock slot
        rtcp.start(System.nanoTime());
        clock.add(this);
      }
    }
  }

  /** Opus frames are 10, 20, 40 or 60 ms (RFC 6716 §2.1.4); G.711 takes any multiple of 10. */
  private static int usablePtime(PayloadFormat format, int ptime) {
    int p = Math.max(10, Math.min(120, ptime / 10 * 10));
    if (format.sameEncoding(PayloadFormat.OPUS) && p != 10 && p != 20 && p != 40 && p != 60) {
      return 20;
    }
    return p;
  }

  @Override
  public void sendDtmf(char digit) {
    NegotiatedStream s = stream;
    if (s == null || s.telephoneEvent().isEmpty()) {
      throw new IllegalStateException("no telephone-event payload was negotiated for this call");
    }
    s.dtmfSender().enqueue(digit);
  }

  @Override
  public void setMuted(boolean value) {
    muted = value;
  }

  @Override
  public void addListener(MediaListener listener) {
    listeners.add(listener);
  }

  // ---- clock thread ----

  /**
   * Sends and plays what is due by {@code now}, the scheduled time of this tick. Frames are due on
   * this session's own schedule, aligned to its clock slot, so on time they are handled exactly at
   * their tick; after a late tick they are caught up in order (at most ten), and those handled more
   * than a frame late are counted ({@link MediaClock#latePlayout}, {@link MediaClock#lateSend}).
   */
  @Override
  public void tick(long now) {
    NegotiatedStream s = stream;
    if (s == null || finished) {
      return;
    }
    synchronized (this) {
      if (finished) {
        return;
      }
      if (nextSendNanos == NOT_SCHEDULED) {
        nextSendNanos = now;
        nextPlayNanos = now + PLAYOUT_NANOS;
      }
      long actual = System.nanoTime();
      long ptimeNanos = s.ptimeMillis() * 1_000_000L;
      for (int i = 0; i < 10 && now >= nextSendNanos; i++) {
        if (actual - nextSendNanos > ptimeNanos) {
          clock.lateSend();
        }
        sendFrame(s);
        nextSendNanos += ptimeNanos;
      }
      if (now - nextSendNanos > 10 * ptimeNanos) {
        nextSendNanos = now; // a long stall: skip rather than burst
      }
      long late = 0;
      for (int i = 0; i < 10 && now >= nextPlayNanos; i++) {
        if (actual - nextPlayNanos > PLAYOUT_NANOS) {
          late++; // a device would have run dry before this frame reached it
        }
        playFrame(s);
        nextPlayNanos += PLAYOUT_NANOS;
      }
      if (now - nextPlayNanos > 10 * PLAYOUT_NANOS) {
        // a long stall: these frames are never played, each one an underrun of ours
        late += (now - nextPlayNanos) / PLAYOUT_NANOS;
        nextPlayNanos = now;
      }
      if (late > 0) {
        clock.latePlayout(late);
      }
    }
    rtcp.tick(now, peer.sendTo(), sender.timestamp());
  }

  private void sendFrame(NegotiatedStream s) {
    AudioCodec codec = s.codec();
    int samples = codec.sampleRate() * s.ptimeMillis() / 1000;
    source.read(pcm, samples);
    boolean sending = s.description().direction().sends();
    if (muted || !sending) {
      java.util.Arrays.fill(pcm, 0, samples, (short) 0);
    }
    record(true, pcm, samples, codec.sampleRate());
    InetSocketAddress to = peer.sendTo();
    sender.sendFrame(s, pcm, samples, sending ? to : null);
  }

  private void playFrame(NegotiatedStream s) {
    int rate = s.codec().sampleRate();
    int samples = rate * PLAYOUT_MILLIS / 1000;
    if (s.description().direction().receives()) {
      s.jitterBuffer().read(playout, samples, nextPlayNanos);
    } else {
      java.util.Arrays.fill(playout, 0, samples, (short) 0); // comfort silence while held
    }
    sink.write(playout, samples);
    record(false, playout, samples, rate);
  }

  private void record(boolean local, short[] audio, int samples, int rate) {
    CallRecorder r = recorder;
    if (r == null) {
      return;
    }
    try {
      if (local) {
        r.local(audio, samples, rate);
      } else {
        r.remote(audio, samples, rate);
      }
    } catch (IOException e) {
      LOG.warn("recording of {} failed and stops: {}", options.callId(), e.getMessage());
      r.abort();
      recorder = null;
    }
  }

  // ---- clock thread, receive pass (before the slot's ticks) ----

  void onRtp(byte[] data, int length, InetSocketAddress from, long arrivalNanos) {
    receiver.onRtp(data, length, from, arrivalNanos);
  }

  void onRtcp(byte[] data, int length, InetSocketAddress from, long arrivalNanos) {
    if (finished) {
      return;
    }
    rtcp.onPacket(data, length, from, arrivalNanos);
  }

  // ---- figures and the end ----

  @Override
  public MediaQuality quality() {
    NegotiatedStream s = stream;
    JitterStatistics jb = s == null ? JitterStatistics.NONE : s.jitterBuffer().statistics();
    RtcpSession.Reception rx = rtcp.reception();
    long received = counters.packetsReceived.sum();
    double rtt = rtcp.roundTripMillis();
    double mos = 0;
    if (received > 0 && s != null) {
      double expected = Math.max(1, rx.expected());
      double lossPercent = 100.0 * (Math.max(0, rx.lost()) + jb.late()) / expected;
      double delay = (rtt > 0 ? rtt / 2 : 0) + jb.currentDelayMillis() + s.ptimeMillis();
      mos = EModel.mos(delay, lossPercent);
    }
    return new MediaQuality(
        counters.packetsSent.sum(),
        received,
        Math.max(0, rx.lost()),
        rx.jitterMillis(),
        rtt,
        mos,
        counters.rejected(),
        jb);
  }

  /** Rejected packets by reason, for tests and diagnostics. */
  long rejected(String reason) {
    return counters.rejected(reason);
  }

  @Override
  public MediaOutcome finish() {
    synchronized (this) {
      if (finished) {
        return outcome;
      }
      finished = true;
    }
    clock.remove(this);
    MediaQuality q = quality();
    rtcp.sendBye(peer.sendTo(), sender.timestamp());
    PortAllocator.closeQuietly(ports.rtp());
    PortAllocator.closeQuietly(ports.rtcp());
    Optional<Recording> rec = Optional.empty();
    synchronized (this) {
      closeAudio();
      if (recorder != null) {
        try {
          rec = Optional.of(recorder.finish());
        } catch (MediaException e) {
          LOG.warn("recording of {} lost: {}", options.callId(), e.getMessage());
        }
      }
      NegotiatedStream s = stream;
      outcome = new MediaOutcome(s == null ? "" : s.codec().format().encodingName(), q, rec);
    }
    onFinish.accept(this);
    return outcome;
  }

  /** The direction in force, for tests. */
  MediaDirection direction() {
    NegotiatedStream s = stream;
    return s == null ? MediaDirection.INACTIVE : s.description().direction();
  }
}

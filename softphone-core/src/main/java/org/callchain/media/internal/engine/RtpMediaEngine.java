package org.callchain.media.internal.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.callchain.media.MediaConfig;
import org.callchain.media.MediaEngine;
import org.callchain.media.MediaException;
import org.callchain.media.MediaSession;
import org.callchain.media.MediaSessionOptions;
import org.callchain.media.PayloadFormat;
import org.callchain.media.internal.codec.CodecWarmup;

/**
 * The RTP media engine: owns the shared {@link MediaClock} (receiving, playout and sending for all
 * sessions, each session on one of its threads) and the port range.
 */
public final class RtpMediaEngine implements MediaEngine {
  private static final AtomicInteger INSTANCES = new AtomicInteger();
  private final MediaConfig config;
  private final PortAllocator ports;
  private final MediaClock clock;
  private final Set<RtpMediaSession> sessions = ConcurrentHashMap.newKeySet();
  private final List<PayloadFormat> formats;
  private volatile boolean closed;

  public RtpMediaEngine(MediaConfig config) {
    this.config = config;
    this.ports = new PortAllocator(config.bindAddress(), config.portMin(), config.portMax());
    String name = "media" + INSTANCES.incrementAndGet();
    this.clock = new MediaClock(config.clockThreads(), name);
    List<PayloadFormat> f = new ArrayList<>(config.codecs());
    f.add(PayloadFormat.TELEPHONE_EVENT);
    if (config.codecs().stream().anyMatch(c -> c.sameEncoding(PayloadFormat.OPUS))) {
      f.add(PayloadFormat.TELEPHONE_EVENT_48K);
    }
    this.formats = List.copyOf(f);
    for (PayloadFormat codec : config.codecs()) {
      if (codec.sameEncoding(PayloadFormat.OPUS)) {
        CodecWarmup.startInBackground(codec);
      }
    }
  }

  @Override
  public List<PayloadFormat> supportedFormats() {
    return formats;
  }

  @Override
  public MediaSessionOptions options(String callId) {
    return new MediaSessionOptions(
        callId, config.recordByDefault() && config.recordDirectory().isPresent());
  }

  @Override
  public MediaSession open(MediaSessionOptions options) throws MediaException {
    if (closed) {
      throw new MediaException("media engine is closed");
    }
    PortAllocator.PortPair pair = ports.allocate();
    RtpMediaSession s;
    try {
      s = new RtpMediaSession(config, options, pair, clock, this::forget);
    } catch (MediaException | RuntimeException e) {
      PortAllocator.closeQuietly(pair.rtp());
      PortAllocator.closeQuietly(pair.rtcp());
      throw e;
    }
    sessions.add(s);
    clock.receive(s, pair.rtp(), s::onRtp);
    clock.receive(s, pair.rtcp(), s::onRtcp);
    return s;
  }

  private void forget(RtpMediaSession s) {
    sessions.remove(s);
  }

  /** Sessions currently open. */
  public int openSessions() {
    return sessions.size();
  }

  /** Clock wake-ups that started late: a sign that this machine cannot keep up. */
  public long lateTicks() {
    return clock.lateTicks();
  }

  /**
   * Playout frames of all sessions handed to their sinks more than one frame late (or skipped after
   * a stall): underruns caused by our own scheduling, whatever the jitter buffers held.
   */
  public long latePlayoutFrames() {
    return clock.latePlayoutFrames();
  }

  /**
   * How late this engine's clock threads started their slots: a histogram since the start and the
   * maxima (lateness, oversleep, longest slot pass) since the previous call.
   */
  public ClockTiming.Snapshot clockTiming() {
    return clock.timing();
  }

  /** Packets of all sessions sent more than one packet time after they were due. */
  public long lateSendFrames() {
    return clock.lateSendFrames();
  }

  @Override
  public void close() {
    closed = true;
    for (RtpMediaSession s : List.copyOf(sessions)) {
      s.finish();
    }
    clock.close();
  }
}

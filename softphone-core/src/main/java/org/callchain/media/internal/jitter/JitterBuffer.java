package org.callchain.media.internal.jitter;

import java.util.Arrays;
import org.callchain.media.JitterStatistics;
import org.callchain.media.internal.codec.AudioCodec;

/**
 * An adaptive playout buffer with packet-loss concealment, fed by the receive pass of the session's
 * clock thread and read by the same thread one playout frame at a time (methods are synchronized,
 * so statistics may be read from any thread; the lock is uncontended and held for microseconds).
 *
 * <p>Packets are kept in a {@link PacketRing} indexed by extended sequence number (RFC 3550 §A.1).
 * The target delay ({@link DelayEstimate}) is one packet plus the larger of four times the RFC 3550
 * A.8 jitter estimate J and the recent delay peak, clamped to the configured bounds. Playout starts
 * when the first packet would wait half a packet less than the target after the path's earliest
 * arrival time. At each frame the next packet in sequence is decoded; if it is missing while later
 * packets are there, it is lost and concealed; if the buffer is empty, a frame is concealed without
 * advancing (an underrun, which raises the delay by one frame); after three empty frames in a row
 * the stream is considered idle (DTX, hold) and playout re-buffers. Clock drift and target changes
 * are followed by playing packets a few samples shorter or longer ({@link PlayoutRate}); only large
 * sustained deviations drop a packet or insert a concealed frame. A new SSRC or a sequence jump
 * needs two consecutive packets (RFC 3550 A.1 probation, {@link SourceSequence}) before the buffer
 * restarts on them. {@link PlayoutCounters} keeps the statistics. See docs/media.md for the whole
 * algorithm.
 */
public final class JitterBuffer {
  /** What happened to an inserted packet. */
  public enum Arrival {
    ACCEPTED,
    DUPLICATE,
    LATE,
    PROBATION,
    RESTARTED
  }

  private static final int RESYNC_GAP = 50;
  private static final int IDLE_AFTER_EMPTY_FRAMES = 3;

  /** 2.56 s of 20 ms packets, 1.28 s of 10 ms ones: well above the 300 ms maximum delay. */
  static final int CAPACITY = 128;

  private final AudioCodec decoder;
  private final int clockRate;
  private final int unitsPerSample;
  private final PacketRing packets = new PacketRing(CAPACITY);
  private final long[] recentlyPlayed = new long[256];

  /** 120 ms of PCM, the longest packet we decode (Opus' longest frame, RFC 6716 §2.1.4). */
  private final short[] decodeBuffer;

  private final PlayoutFifo fifo;

  private final SourceSequence source = new SourceSequence();
  private final PlayoutCounters counters = new PlayoutCounters();

  private boolean playing;
  private long nextSeq;
  private long playoutTs;
  private long resumeSeq = -1;
  private long packetUnits;
  private long concealedDebtUnits;
  private int emptyInRow;
  private boolean stretchPending;
  private long playoutNanos;
  private int frameFilled;
  private final DelayEstimate delay;
  private final PlayoutRate rate = new PlayoutRate();

  /**
   * @param decoder decodes and conceals; used only from {@link #read}
   * @param frameMillis the usual packet duration, until packets tell otherwise
   */
  public JitterBuffer(AudioCodec decoder, int frameMillis, int minDelayMillis, int maxDelayMillis) {
    this.decoder = decoder;
    this.clockRate = decoder.format().clockRate();
    this.unitsPerSample = decoder.timestampUnitsPerSample();
    this.packetUnits = (long) clockRate * frameMillis / 1000;
    long minDelayUnits = clockRate / 1000 * minDelayMillis;
    long maxDelayUnits = clockRate / 1000 * Math.max(maxDelayMillis, minDelayMillis);
    this.delay = new DelayEstimate(clockRate, minDelayUnits, maxDelayUnits);
    Arrays.fill(recentlyPlayed, -1);
    this.decodeBuffer = new short[decoder.sampleRate() * 120 / 1000];
    this.fifo = new PlayoutFifo(decodeBuffer.length);
  }

  /** Offers one received packet whose payload is all of {@code payload} (null: no audio). */
  public Arrival insert(
      long packetSsrc, int seq, long timestamp, byte[] payload, long arrivalNanos) {
    return insert(
        packetSsrc, seq, timestamp, payload, 0, payload == null ? 0 : payload.length, arrivalNanos);
  }

  /**
   * Offers one received packet; the payload bytes are copied, so {@code data} may be a receive
   * buffer that is reused. A null {@code data} marks a packet of the same stream that carries no
   * audio (an RFC 4733 event sent in place of audio): it takes its sequence number, so it is not
   * mistaken for a loss, and plays one packet of silence.
   */
  public synchronized Arrival insert(
      long packetSsrc,
      int seq,
      long timestamp,
      byte[] data,
      int offset,
      int length,
      long arrivalNanos) {
    SourceSequence.Admission admission = source.admit(packetSsrc, seq, timestamp);
    if (admission == SourceSequence.Admission.PROBATION) {
      counters.discarded();
      return Arrival.PROBATION;
    }
    if (admission != SourceSequence.Admission.CURRENT) {
      restart();
    }
    Arrival result =
        admission == SourceSequence.Admission.SWITCHED ? Arrival.RESTARTED : Arrival.ACCEPTED;
    long ext = source.extendedSeq(seq);
    counters.arrived(ext);
    long extTs = source.extendedTimestamp(timestamp);
    if (data != null) {
      // every audio packet tells about the path, late ones most of all
      delay.arrived(extTs, arrivalNanos, packetUnits); // event packets repeat their start timestamp
    }
    if (playing && ext < nextSeq || resumeSeq >= 0 && ext < resumeSeq && !playing) {
      counters.discarded();
      if (recentlyPlayed[(int) (ext & 0xFF)] == ext) {
        counters.duplicate();
        return Arrival.DUPLICATE;
      }
      counters.late();
      return Arrival.LATE;
    }
    if (packets.contains(ext)) {
      counters.discarded();
      counters.duplicate();
      return Arrival.DUPLICATE;
    }
    source.accepted(ext);
    while (!packets.fits(ext)) {
      // a jump ahead beyond the ring (but within SourceSequence's MAX_DROPOUT): the oldest packets
      // make room
      long oldest = packets.firstSeq();
      packets.removeFirst();
      counters.discarded();
      if (playing && oldest >= nextSeq) {
        nextSeq = oldest + 1;
      }
    }
    packets.put(ext, extTs, data, offset, length);
    return result;
  }

  /** The buffer starts afresh on the stream {@link #source} just (re)started on. */
  private void restart() {
    packets.clear();
    playing = false;
    resumeSeq = -1;
    delay.restart();
    Arrays.fill(recentlyPlayed, -1);
    counters.restarted();
  }

  private long targetUnits() {
    return delay.targetUnits(packetUnits);
  }

  /**
   * Prefetch is over when the first packet, played now, would wait half a packet less than the
   * target after the path's earliest arrival time: then packets up to target − packet/2 later than
   * the floor are in time. Without a transit estimate yet (only event packets), when the buffer
   * holds the target.
   */
  private boolean readyToStart() {
    long wait = delay.playoutDelayUnits(packets.firstTimestamp(), playoutNanos);
    if (wait < 0) {
      return bufferedUnits() >= targetUnits();
    }
    return wait >= targetUnits() - packetUnits / 2;
  }

  private long bufferedUnits() {
    long fifoUnits = (long) fifo.remaining() * unitsPerSample;
    if (packets.isEmpty()) {
      return fifoUnits;
    }
    long from = playing ? playoutTs : packets.firstTimestamp();
    return Math.max(0, packets.lastTimestamp() + packetUnits - from) + fifoUnits;
  }

  /**
   * Fills {@code out[0..samples)} with the next playout audio; silence when nothing is there.
   *
   * @param playoutNanos when this audio is due to be played ({@link System#nanoTime} base, the
   *     clock of the arrival times given to {@link #insert}); the playout schedule, not the moment
   *     a late tick got round to it
   */
  public synchronized void read(short[] out, int samples, long playoutNanos) {
    // The whole frame is decided now: a packet first needed anywhere in it must be here by now.
    this.playoutNanos = playoutNanos;
    int filled = 0;
    int guard = 0;
    while (filled < samples) {
      if (fifo.remaining() > 0) {
        filled += fifo.take(out, filled, samples - filled);
      } else if (++guard > 1000) {
        Arrays.fill(out, filled, samples, (short) 0);
        break;
      } else {
        frameFilled = filled;
        produce(samples - filled);
      }
    }
    compensateDrift((long) samples * unitsPerSample);
  }

  private void produce(int wanted) {
    if (!playing) {
      if (!packets.isEmpty() && readyToStart()) {
        long first = packets.firstSeq();
        if (resumeSeq >= 0 && first > resumeSeq) {
          counters.lost(first - resumeSeq);
          counters.declaredLost(resumeSeq, first);
        }
        playing = true;
        nextSeq = first;
        playoutTs = packets.firstTimestamp();
        concealedDebtUnits = 0;
        emptyInRow = 0;
        rate.reset();
      } else {
        silence(wanted);
        return;
      }
    }
    int packetSamples = (int) (packetUnits / unitsPerSample);
    if (stretchPending) {
      // the target rose above what we hold: play one concealed frame to let the buffer grow
      stretchPending = false;
      counters.concealed();
      concealInto(packetSamples);
      return;
    }
    if (packets.isEmpty()) {
      emptyInRow++;
      if (emptyInRow > IDLE_AFTER_EMPTY_FRAMES) {
        playing = false;
        resumeSeq = nextSeq;
        silence(wanted);
        return;
      }
      counters.underrun(nextSeq);
      counters.concealed();
      concealInto(packetSamples);
      concealedDebtUnits += packetUnits;
      return;
    }
    long head = packets.firstSeq();
    if (head == nextSeq) {
      long headTs = packets.firstTimestamp();
      if (packets.firstIsEvent()) {
        playedHead(head);
        silence(packetSamples);
        playoutTs += packetUnits;
        concealedDebtUnits = 0;
        emptyInRow = 0;
        return;
      }
      int n = decoder.decode(packets.firstPayload(), 0, packets.firstLength(), decodeBuffer);
      playedHead(head);
      if (n <= 0) {
        counters.concealed();
        concealInto(packetSamples);
        n = packetSamples;
      } else {
        packetUnits = (long) n * unitsPerSample;
        long deadline = delay.playoutDelayUnits(headTs, playoutNanos);
        if (deadline >= 0) {
          long heard = deadline + (long) frameFilled * unitsPerSample;
          if (rate.observeDelay(deadline, heard, targetUnits(), packetUnits) < 0) {
            stretchPending = true; // after this packet, one concealed frame makes room
          }
        }
        int m = rate.playedLength(n); // a few samples more or fewer against drift
        fifo.putResampled(decodeBuffer, n, m);
      }
      playoutTs = headTs + (long) n * unitsPerSample;
      concealedDebtUnits = 0;
      emptyInRow = 0;
      return;
    }
    long gap = head - nextSeq;
    counters.declaredLost(nextSeq, gap > RESYNC_GAP ? head : nextSeq + 1);
    if (gap > RESYNC_GAP) {
      counters.lost(gap);
      nextSeq = head;
      playoutTs = packets.firstTimestamp();
      concealedDebtUnits = 0;
      return;
    }
    counters.lost(1);
    nextSeq++;
    playoutTs += packetUnits;
    if (concealedDebtUnits >= packetUnits) {
      // its time was already filled while the buffer was empty
      concealedDebtUnits -= packetUnits;
      return;
    }
    counters.concealed();
    emptyInRow = 0;
    concealInto(packetSamples);
  }

  /**
   * Keeps the held audio near the target through {@link PlayoutRate}: small deviations by playing
   * packets a few samples shorter or longer, large sustained ones by dropping a packet or inserting
   * a concealed frame.
   */
  private void compensateDrift(long frameUnits) {
    if (!playing) {
      rate.reset();
      return;
    }
    // what the buffer held when this frame was due: at a steady state, the target
    int action = rate.observeHeld(bufferedUnits() + frameUnits, targetUnits(), packetUnits);
    if (action < 0) {
      stretchPending = true;
    } else if (action > 0 && !packets.isEmpty()) {
      long head = packets.firstSeq();
      if (head == nextSeq) {
        playoutTs = packets.firstTimestamp() + packetUnits;
        playedHead(head);
        counters.discarded();
      }
    }
  }

  /** Decoded packets played a few samples shorter or longer to hold the target delay. */
  synchronized long scaledPackets() {
    return rate.scaledPackets();
  }

  /** Takes the head packet out as played: later copies of it are duplicates, not late. */
  private void playedHead(long head) {
    packets.removeFirst();
    recentlyPlayed[(int) (head & 0xFF)] = head;
    nextSeq = head + 1;
  }

  private void concealInto(int samples) {
    short[] tmp = decodeBuffer;
    int n = Math.min(samples, tmp.length);
    decoder.conceal(tmp, n);
    fifo.put(tmp, n);
  }

  private void silence(int samples) {
    fifo.silence(samples);
  }

  /** Restarts on a new stream at the next packet (a re-INVITE changed the codec or the peer). */
  public synchronized void reset() {
    source.reset();
    packets.clear();
    playing = false;
    resumeSeq = -1;
  }

  public synchronized JitterStatistics statistics() {
    return counters.statistics(
        bufferedUnits() * 1000.0 / clockRate, targetUnits() * 1000.0 / clockRate);
  }

  /** How often the buffer (re)started on a stream: first packet, SSRC change, sequence jump. */
  public synchronized long restarts() {
    return counters.restarts();
  }

  public synchronized double jitterMillis() {
    return delay.jitterUnits() * 1000.0 / clockRate;
  }
}

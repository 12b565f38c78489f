package org.callchain.media;

/**
 * What the adaptive jitter buffer of one call leg did with the packets it received.
 *
 * @param discarded packets thrown away: late, duplicate, overflow and drift-compensation drops
 * @param lost packets whose playout time came without the packet (each one was concealed or skipped
 *     over)
 * @param concealed frames synthesised by packet-loss concealment
 * @param underruns playout frames for which the buffer was empty while a stream was active (it then
 *     conceals and waits for the packet it needs)
 * @param underrunsPacketLate underruns whose awaited packet came later: it was delayed on its way
 *     (by the network, the sender's or our own receive scheduling), or a talk spurt ended
 * @param underrunsPacketLost underruns whose awaited packet never came and was given up as lost
 * @param late packets that arrived after their playout time (included in {@code discarded})
 * @param duplicates packets received twice (included in {@code discarded})
 * @param currentDelayMillis the audio the buffer holds now, in milliseconds
 * @param targetDelayMillis the delay the buffer currently aims at, from the jitter it measured
 */
public record JitterStatistics(
    long discarded,
    long lost,
    long concealed,
    long underruns,
    long underrunsPacketLate,
    long underrunsPacketLost,
    long late,
    long duplicates,
    double currentDelayMillis,
    double targetDelayMillis) {

  public static final JitterStatistics NONE = new JitterStatistics(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}

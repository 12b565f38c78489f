package org.callchain.media;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the RTP media engine needs to know, from the config file or CLI flags. Build one with
 * {@link #builder()}; {@link MediaEngines#rtp(MediaConfig)} turns it into an engine.
 *
 * @param bindAddress the local address RTP and RTCP sockets bind to (and that SDP advertises)
 * @param portMin the lowest RTP port (even); RTCP uses RTP + 1 (RFC 3550 §11)
 * @param portMax the highest port of the range, inclusive
 * @param codecs the audio codecs in the user's preference order ({@link #parseCodecs})
 * @param source where the audio sent comes from, unless a session says otherwise
 * @param sink where the audio received goes, unless a session says otherwise
 * @param recordDirectory where recordings are written; empty disables recording
 * @param recordByDefault whether a leg is recorded when its options do not say
 * @param ptimeMillis the packetization time offered and used unless the peer asks for another
 * @param rtcpIntervalMillis the RTCP report interval (RFC 3550 §6.2 recommends 5000 ms minimum)
 * @param minJitterDelayMillis the jitter buffer's lowest target delay
 * @param maxJitterDelayMillis the jitter buffer's highest target delay
 * @param clockThreads the media threads of the engine: each receives, plays out and sends for its
 *     share of the sessions (ADR 0034); the default is one per core, at most four
 */
public record MediaConfig(
    InetAddress bindAddress,
    int portMin,
    int portMax,
    List<PayloadFormat> codecs,
    AudioSourceSpec source,
    AudioSinkSpec sink,
    Optional<Path> recordDirectory,
    boolean recordByDefault,
    int ptimeMillis,
    int rtcpIntervalMillis,
    int minJitterDelayMillis,
    int maxJitterDelayMillis,
    int clockThreads) {

  public MediaConfig {
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(sink, "sink");
    Objects.requireNonNull(recordDirectory, "recordDirectory");
    codecs = List.copyOf(codecs);
    if (codecs.isEmpty()) {
      throw new IllegalArgumentException("at least one codec is needed");
    }
    if (portMin < 1024 || portMax > 65535 || portMax < portMin + 1) {
      throw new IllegalArgumentException(
          "RTP port range must lie in 1024..65535 and hold a pair: " + portMin + "-" + portMax);
    }
    if (ptimeMillis < 10 || ptimeMillis > 120 || ptimeMillis % 10 != 0) {
      throw new IllegalArgumentException("ptime must be 10..120 ms in steps of 10: " + ptimeMillis);
    }
    if (rtcpIntervalMillis < 100) {
      throw new IllegalArgumentException("RTCP interval too short: " + rtcpIntervalMillis);
    }
    if (minJitterDelayMillis < 0 || maxJitterDelayMillis < minJitterDelayMillis) {
      throw new IllegalArgumentException("jitter delay bounds are inverted");
    }
    if (clockThreads < 1) {
      throw new IllegalArgumentException("an engine needs at least one clock thread");
    }
  }

  /**
   * Defaults: loopback, ports 20000-29999, Opus, PCMU, PCMA, silence in, discard out, 20 ms, RTCP
   * every 5 s, jitter buffer 40..300 ms, one clock thread per core (up to 4).
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.bindAddress = bindAddress;
    b.portMin = portMin;
    b.portMax = portMax;
    b.codecs = codecs;
    b.source = source;
    b.sink = sink;
    b.recordDirectory = recordDirectory;
    b.recordByDefault = recordByDefault;
    b.ptimeMillis = ptimeMillis;
    b.rtcpIntervalMillis = rtcpIntervalMillis;
    b.minJitterDelayMillis = minJitterDelayMillis;
    b.maxJitterDelayMillis = maxJitterDelayMillis;
    b.clockThreads = clockThreads;
    return b;
  }

  /**
   * Parses a codec list such as {@code opus,PCMU,PCMA} (the CLI's {@code --codec LIST}; case does
   * not matter, {@code ulaw}/{@code alaw}/{@code g711u}/{@code g711a} are accepted) into payload
   * formats in that order.
   *
   * @throws IllegalArgumentException naming the unknown codec, or on an empty or repeated entry
   */
  public static List<PayloadFormat> parseCodecs(String list) {
    Objects.requireNonNull(list, "list");
    List<PayloadFormat> out = new ArrayList<>();
    for (String raw : list.split(",", -1)) {
      String name = raw.strip().toLowerCase(Locale.ROOT);
      PayloadFormat f =
          switch (name) {
            case "pcmu", "ulaw", "g711u", "g711-ulaw" -> PayloadFormat.PCMU;
            case "pcma", "alaw", "g711a", "g711-alaw" -> PayloadFormat.PCMA;
            case "opus" -> PayloadFormat.OPUS;
            case "" ->
                throw new IllegalArgumentException("empty entry in codec list '" + list + "'");
            default ->
                throw new IllegalArgumentException(
                    "unknown codec '" + raw.strip() + "'; supported: opus, PCMU, PCMA");
          };
      if (out.contains(f)) {
        throw new IllegalArgumentException("codec listed twice: " + raw.strip());
      }
      out.add(f);
    }
    return List.copyOf(out);
  }

  /** Builds a {@link MediaConfig}; every setter has a sensible default. */
  public static final class Builder {
    private InetAddress bindAddress = InetAddress.getLoopbackAddress();
    private int portMin = 20000;
    private int portMax = 29999;
    private List<PayloadFormat> codecs =
        List.of(PayloadFormat.OPUS, PayloadFormat.PCMU, PayloadFormat.PCMA);
    private AudioSourceSpec source = new AudioSourceSpec.Silence();
    private AudioSinkSpec sink = new AudioSinkSpec.Discard();
    private Optional<Path> recordDirectory = Optional.empty();
    private boolean recordByDefault;
    private int ptimeMillis = 20;
    private int rtcpIntervalMillis = 5000;
    private int minJitterDelayMillis = 40;
    private int maxJitterDelayMillis = 300;
    private int clockThreads = Math.min(4, Runtime.getRuntime().availableProcessors());

    private Builder() {}

    public Builder bindAddress(InetAddress value) {
      bindAddress = value;
      return this;
    }

    public Builder portRange(int min, int max) {
      portMin = min;
      portMax = max;
      return this;
    }

    public Builder codecs(List<PayloadFormat> value) {
      codecs = value;
      return this;
    }

    /** The CLI's {@code --codec LIST}. */
    public Builder codecs(String list) {
      codecs = parseCodecs(list);
      return this;
    }

    public Builder source(AudioSourceSpec value) {
      source = value;
      return this;
    }

    public Builder sink(AudioSinkSpec value) {
      sink = value;
      return this;
    }

    public Builder recordDirectory(Path value) {
      recordDirectory = Optional.ofNullable(value);
      return this;
    }

    public Builder recordByDefault(boolean value) {
      recordByDefault = value;
      return this;
    }

    public Builder ptimeMillis(int value) {
      ptimeMillis = value;
      return this;
    }

    public Builder rtcpIntervalMillis(int value) {
      rtcpIntervalMillis = value;
      return this;
    }

    public Builder jitterDelayMillis(int min, int max) {
      minJitterDelayMillis = min;
      maxJitterDelayMillis = max;
      return this;
    }

    /**
     * The engine's media threads. One per core the engine may use: more threads than cores only
     * wait for each other on the run queue (ADR 0034).
     */
    public Builder clockThreads(int value) {
      clockThreads = value;
      return this;
    }

    public MediaConfig build() {
      return new MediaConfig(
          bindAddress,
          portMin,
          portMax,
          codecs,
          source,
          sink,
          recordDirectory,
          recordByDefault,
          ptimeMillis,
          rtcpIntervalMillis,
          minJitterDelayMillis,
          maxJitterDelayMillis,
          clockThreads);
    }
  }
}

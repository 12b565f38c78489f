package org.callchain.media;

import org.callchain.media.internal.engine.RtpMediaEngine;

/** Constructs media engines; the only way {@code node} needs to reach the implementation. */
public final class MediaEngines {
  private MediaEngines() {}

  /**
   * An engine that carries audio over RTP/RTCP on UDP sockets: G.711 and Opus, an adaptive jitter
   * buffer, RFC 4733 DTMF and stereo WAV recordings. Its threads start now; {@link
   * MediaEngine#close()} stops them.
   */
  public static MediaEngine rtp(MediaConfig config) {
    return new RtpMediaEngine(config);
  }
}

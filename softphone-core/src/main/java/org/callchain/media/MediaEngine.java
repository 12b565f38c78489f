package org.callchain.media;

import java.util.List;

/**
 * Creates the media side of call legs. The SIP layer asks for a {@link MediaSession} before it
 * builds an SDP offer or answer, advertises that session's real RTP address, and applies the
 * negotiated {@link MediaDescription} to it.
 */
public interface MediaEngine extends AutoCloseable {

  /** The payload formats this engine can send and receive, in the user's preference order. */
  List<PayloadFormat> supportedFormats();

  /** Binds the RTP/RTCP sockets for one call leg. */
  MediaSession open(MediaSessionOptions options) throws MediaException;

  /**
   * The options a leg gets when the caller has no opinion: the engine's configured source and sink,
   * recorded when the engine records by default.
   */
  default MediaSessionOptions options(String callId) {
    return new MediaSessionOptions(callId, false);
  }

  @Override
  void close();
}

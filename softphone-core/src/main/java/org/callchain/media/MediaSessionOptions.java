package org.callchain.media;

import java.util.Objects;
import java.util.Optional;

/**
 * What the caller of {@link MediaEngine#open} knows about a call leg when it starts. {@link
 * MediaEngine#options(String)} gives the engine's defaults for a call.
 *
 * @param callId the SIP Call-ID, used to name recordings and logs
 * @param record whether this leg is recorded
 * @param source the audio to send on this leg instead of the engine's configured source
 * @param sink where this leg's received audio goes instead of the engine's configured sink
 */
public record MediaSessionOptions(
    String callId, boolean record, Optional<AudioSourceSpec> source, Optional<AudioSinkSpec> sink) {

  public MediaSessionOptions {
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(sink, "sink");
  }

  /** A leg with the engine's configured source and sink. */
  public MediaSessionOptions(String callId, boolean record) {
    this(callId, record, Optional.empty(), Optional.empty());
  }

  public MediaSessionOptions withRecord(boolean value) {
    return new MediaSessionOptions(callId, value, source, sink);
  }

  public MediaSessionOptions withSource(AudioSourceSpec value) {
    return new MediaSessionOptions(callId, record, Optional.of(value), sink);
  }

  public MediaSessionOptions withSink(AudioSinkSpec value) {
    return new MediaSessionOptions(callId, record, source, Optional.of(value));
  }
}

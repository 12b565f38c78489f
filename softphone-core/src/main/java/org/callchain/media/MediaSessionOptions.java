package org.callchain.media;

import java.util.Objects;

/**
 * What the caller of {@link MediaEngine#open} knows about a call leg when it starts.
 *
 * @param callId the SIP Call-ID, used to name recordings and logs
 * @param record whether this leg is recorded
 */
public record MediaSessionOptions(String callId, boolean record) {
  public MediaSessionOptions {
    Objects.requireNonNull(callId, "callId");
  }
}

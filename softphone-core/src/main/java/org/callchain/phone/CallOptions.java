package org.callchain.phone;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to place one outgoing call.
 *
 * @param fromUri the From identity, or empty for the phone's own address of record
 * @param transport the transport, or empty to follow the target URI's {@code transport} parameter
 *     (UDP if it has none)
 * @param credentials what to answer a 401/407 on this INVITE with, or empty to use the phone's
 *     registration account
 * @param ringTimeout after this long without a final response the call is cancelled (no answer)
 * @param record record this call even if the media engine does not record by default
 */
public record CallOptions(
    Optional<String> fromUri,
    Optional<Transport> transport,
    Optional<DigestCredentials> credentials,
    Duration ringTimeout,
    boolean record) {

  public static final Duration DEFAULT_RING_TIMEOUT = Duration.ofSeconds(60);

  public CallOptions {
    Objects.requireNonNull(fromUri, "fromUri");
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(ringTimeout, "ringTimeout");
    if (ringTimeout.isNegative() || ringTimeout.isZero()) {
      throw new IllegalArgumentException("ring timeout must be positive: " + ringTimeout);
    }
  }

  /** The phone's identity, the URI's transport, a 60 s ring timeout, no recording. */
  public static CallOptions defaults() {
    return new CallOptions(
        Optional.empty(), Optional.empty(), Optional.empty(), DEFAULT_RING_TIMEOUT, false);
  }

  public CallOptions withFrom(String uri) {
    return new CallOptions(Optional.of(uri), transport, credentials, ringTimeout, record);
  }

  public CallOptions withTransport(Transport t) {
    return new CallOptions(fromUri, Optional.of(t), credentials, ringTimeout, record);
  }

  public CallOptions withCredentials(DigestCredentials c) {
    return new CallOptions(fromUri, transport, Optional.of(c), ringTimeout, record);
  }

  public CallOptions withRingTimeout(Duration d) {
    return new CallOptions(fromUri, transport, credentials, d, record);
  }

  public CallOptions withRecording(boolean on) {
    return new CallOptions(fromUri, transport, credentials, ringTimeout, on);
  }
}

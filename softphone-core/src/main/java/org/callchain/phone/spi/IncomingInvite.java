package org.callchain.phone.spi;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A read-only view of an incoming initial INVITE, enough for an admission decision without any SIP
 * stack types.
 *
 * @param callId the Call-ID
 * @param requestUri the Request-URI
 * @param fromUri the From URI (without display name or tag)
 * @param fromDisplayName the From display name, or empty
 * @param toUri the To URI
 * @param sourceAddress the host:port the INVITE came from (the last hop)
 * @param transport {@code udp} or {@code tcp}
 * @param headers every header by lowercase full name (compact forms expanded), values in order
 */
public record IncomingInvite(
    String callId,
    String requestUri,
    String fromUri,
    Optional<String> fromDisplayName,
    String toUri,
    String sourceAddress,
    String transport,
    Map<String, List<String>> headers) {

  public IncomingInvite {
    Objects.requireNonNull(callId, "callId");
    headers = Map.copyOf(headers);
  }

  /** The first value of a header (name in any case), if present. */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** All values of a header (name in any case), possibly empty. */
  public List<String> headerValues(String name) {
    return headers.getOrDefault(name.toLowerCase(java.util.Locale.ROOT), List.of());
  }
}

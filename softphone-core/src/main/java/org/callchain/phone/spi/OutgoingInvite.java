package org.callchain.phone.spi;

/**
 * What an {@link OutgoingRequestHook} knows about an initial INVITE about to be sent.
 *
 * @param callId the Call-ID
 * @param fromUri the From URI
 * @param toUri the To URI
 * @param requestUri the Request-URI
 */
public record OutgoingInvite(String callId, String fromUri, String toUri, String requestUri) {}

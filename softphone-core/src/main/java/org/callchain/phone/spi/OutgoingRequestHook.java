package org.callchain.phone.spi;

import java.util.List;

/**
 * Adds headers to each outgoing initial INVITE (for example an RFC 8224 Identity header bound to
 * the Call-ID). It is asked again when the INVITE is re-sent with credentials after a 401/407,
 * since that is a new request with a new CSeq.
 */
@FunctionalInterface
public interface OutgoingRequestHook {

  OutgoingRequestHook NONE = invite -> List.of();

  List<HeaderField> headersFor(OutgoingInvite invite);
}

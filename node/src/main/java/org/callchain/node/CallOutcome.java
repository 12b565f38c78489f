package org.callchain.node;

import java.util.Optional;

/**
 * What {@code POST /calls} answers for a call the node placed (NODE-CONTRACT.md).
 *
 * @param outcome the disposition: ANSWERED, BUSY, REJECTED, NO_ANSWER, CANCELLED or FAILED
 * @param sipCode the final SIP response code (0 if none came)
 * @param reason its reason phrase, or what went wrong
 * @param callId the SIP Call-ID
 * @param recordCallId the ledger's call id (hex) once the record is committed
 * @param leafIndex the record's leaf in the own log once committed
 */
public record CallOutcome(
    String outcome,
    int sipCode,
    String reason,
    String callId,
    Optional<String> recordCallId,
    Optional<Long> leafIndex) {}

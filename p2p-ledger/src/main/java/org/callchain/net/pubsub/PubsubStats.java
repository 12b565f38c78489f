package org.callchain.net.pubsub;

/**
 * Counters of one router since it started, for diagnostics and benchmarks.
 *
 * @param messagesDelivered messages first received from peers and accepted
 * @param duplicatesReceived messages received again after their first copy
 * @param messagesRejected messages refused (failed StrictSign or a validator said REJECT)
 * @param messagesIgnored messages a validator said IGNORE to
 * @param rpcsDroppedFromGraylisted RPCs ignored because their sender's score was below the graylist
 *     threshold
 * @param malformedRpcs frames that did not parse as an RPC
 */
public record PubsubStats(
    long messagesDelivered,
    long duplicatesReceived,
    long messagesRejected,
    long messagesIgnored,
    long rpcsDroppedFromGraylisted,
    long malformedRpcs) {}

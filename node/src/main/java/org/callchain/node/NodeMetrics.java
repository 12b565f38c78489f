package org.callchain.node;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import java.util.function.DoubleSupplier;
import org.callchain.ledger.replication.Delivery;
import org.callchain.ledger.replication.RejectionReason;
import org.callchain.media.MediaQuality;
import org.callchain.phone.CallEvent;
import org.callchain.phone.FinishedCall;
import org.callchain.phone.spi.AdmissionVerdict;

/**
 * The node's Prometheus metrics, in a registry of its own (two nodes in one JVM, as in tests, do
 * not mix). Counters and histograms are fed by events; gauges read their source when scraped. The
 * names are listed in docs/node.md and drawn by {@code packaging/grafana/callchain.json}.
 */
public final class NodeMetrics {
  /** Kinds of audit alert: evidence that a peer misbehaved. */
  public enum Alert {
    /** Two signed checkpoints of one device that are not consistent. */
    EQUIVOCATION,
    /** A commit from a peer that failed validation (signature, registration, consistency). */
    REJECTED_COMMIT
  }

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter calls;
  private final Histogram setup;
  private final Histogram loss;
  private final Histogram jitter;
  private final Counter admission;
  private final Counter records;
  private final Histogram gossipDelay;
  private final Counter syncedLeaves;
  private final Counter gossipRejected;
  private final Counter syncRejected;
  private final Counter alerts;

  public NodeMetrics() {
    calls =
        Counter.builder()
            .name("callchain_calls_total")
            .help("Finished calls by direction and outcome")
            .labelNames("direction", "outcome")
            .withoutExemplars()
            .register(registry);
    setup =
        Histogram.builder()
            .name("callchain_call_setup_seconds")
            .help("Time from INVITE to answer of answered calls")
            .classicOnly()
            .classicUpperBounds(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
            .withoutExemplars()
            .register(registry);
    loss =
        Histogram.builder()
            .name("callchain_call_rtp_loss_ratio")
            .help("Fraction of RTP packets lost per answered call (RFC 3550 6.4.1)")
            .classicOnly()
            .classicUpperBounds(0, 0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1)
            .withoutExemplars()
            .register(registry);
    jitter =
        Histogram.builder()
            .name("callchain_call_rtp_jitter_seconds")
            .help("RTP interarrival jitter at the end of each answered call (RFC 3550 6.4.1)")
            .classicOnly()
            .classicUpperBounds(0.001, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2)
            .withoutExemplars()
            .register(registry);
    admission =
        Counter.builder()
            .name("callchain_admission_verdicts_total")
            .help("Admission verdicts on incoming INVITEs, by outcome and SIP code")
            .labelNames("outcome", "code")
            .withoutExemplars()
            .register(registry);
    records =
        Counter.builder()
            .name("callchain_records_total")
            .help("Call records committed to the own log")
            .withoutExemplars()
            .register(registry);
    gossipDelay =
        Histogram.builder()
            .name("callchain_gossip_delay_seconds")
            .help(
                "Time from a commit at its origin (checkpoint time) to its arrival here by gossip")
            .classicOnly()
            .classicUpperBounds(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 60)
            .withoutExemplars()
            .register(registry);
    syncedLeaves =
        Counter.builder()
            .name("callchain_sync_leaves_total")
            .help("Leaves of peer logs caught up by sync rather than received by gossip")
            .withoutExemplars()
            .register(registry);
    gossipRejected =
        Counter.builder()
            .name("callchain_gossip_rejected_total")
            .help("Gossip messages from peers refused by validation, by reason")
            .labelNames("reason")
            .withoutExemplars()
            .register(registry);
    syncRejected =
        Counter.builder()
            .name("callchain_sync_rejected_total")
            .help("Sync responses from peers refused by validation, by reason")
            .labelNames("reason")
            .withoutExemplars()
            .register(registry);
    alerts =
        Counter.builder()
            .name("callchain_audit_alerts_total")
            .help("Evidence of misbehaving peers: equivocations and rejected commits")
            .labelNames("kind")
            .withoutExemplars()
            .register(registry);
    // Series that exist from the start, so a dashboard shows zero rather than "no data".
    for (Alert a : Alert.values()) {
      alerts.labelValues(label(a)).inc(0);
    }
    admission.labelValues("accepted", "").inc(0);
    for (RejectionReason r : RejectionReason.values()) {
      gossipRejected.labelValues(r.label()).inc(0);
      syncRejected.labelValues(r.label()).inc(0);
    }
  }

  /** A gauge read from {@code source} at every scrape. */
  public void gauge(String name, String help, DoubleSupplier source) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .callback(cb -> cb.call(source.getAsDouble()))
        .register(registry);
  }

  /** Feeds the call metrics; add it as a phone call listener. */
  public void onCallEvent(CallEvent event) {
    // Ended covers refused INVITEs too: they never raise Incoming, but keep their verdict.
    if (event instanceof CallEvent.Ended ended) {
      callEnded(ended.record());
      ended.record().admissionVerdict().ifPresent(this::admissionVerdict);
    }
  }

  void callEnded(FinishedCall call) {
    calls
        .labelValues(
            call.direction().name().toLowerCase(Locale.ROOT),
            call.disposition().name().toLowerCase(Locale.ROOT))
        .inc();
    call.answerMillis().ifPresent(a -> setup.observe(Math.max(0, a - call.startMillis()) / 1e3));
    MediaQuality q = call.media().quality();
    long expected = q.packetsReceived() + q.packetsLost();
    if (call.answerMillis().isPresent() && expected > 0) {
      loss.observe((double) Math.max(0, q.packetsLost()) / expected);
      jitter.observe(q.jitterMillis() / 1e3);
    }
  }

  /** One admission decision: its outcome (e.g. accepted, unregistered, stale) and SIP code. */
  void admissionVerdict(AdmissionVerdict verdict) {
    admission
        .labelValues(
            verdict.outcome().toLowerCase(Locale.ROOT),
            verdict.accepted() ? "" : Integer.toString(verdict.sipCode()))
        .inc();
  }

  public void recordsCommitted(int count) {
    records.inc(count);
  }

  /** A peer's commit signed at {@code originMillis} arrived here at {@code nowMillis}. */
  public void gossipArrived(long originMillis, long nowMillis) {
    gossipDelay.observe(Math.max(0, nowMillis - originMillis) / 1e3);
  }

  /** Leaves {@code count} of a peer's log arrived by sync. */
  public void leavesSynced(long count) {
    syncedLeaves.inc(Math.max(0, count));
  }

  /** A message from a peer was refused for {@code reason}. */
  public void rejected(Delivery via, RejectionReason reason) {
    (via == Delivery.GOSSIP ? gossipRejected : syncRejected).labelValues(reason.label()).inc();
  }

  public void alert(Alert kind) {
    alerts.labelValues(label(kind)).inc();
  }

  /** Writes every metric in the Prometheus text exposition format 0.0.4. */
  public void writeText(OutputStream out) throws IOException {
    new PrometheusTextFormatWriter(false).write(out, registry.scrape());
  }

  public static String contentType() {
    return PrometheusTextFormatWriter.CONTENT_TYPE;
  }

  private static String label(Alert a) {
    return a.name().toLowerCase(Locale.ROOT);
  }
}

package org.callchain.node;

import java.util.Objects;
import org.callchain.identity.DeviceAddress;
import org.callchain.ledger.CallRecord;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.DeviceLog;
import org.callchain.phone.FinishedCall;
import org.callchain.phone.spi.FinishedCallSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends a signed record of every finished call to this device's log and commits it at once, as a
 * desk phone does (design brief, "Records"): the record is durable and covered by a signed
 * checkpoint before the phone reports the call as finished. A record that cannot be written is
 * logged with its call id and counted; the phone keeps working.
 */
public final class LedgerCallSink implements FinishedCallSink {
  private static final Logger LOG = LoggerFactory.getLogger(LedgerCallSink.class);

  /** Told about each record once it is committed. */
  @FunctionalInterface
  public interface Listener {
    void recorded(CallRecord record, long leafIndex, Checkpoint checkpoint);
  }

  private final DeviceLog log;
  private final DeviceAddress self;
  private final String site;
  private final Listener listener;
  private long failures;

  public LedgerCallSink(DeviceLog log, DeviceAddress self, String site, Listener listener) {
    this.log = Objects.requireNonNull(log, "log");
    this.self = Objects.requireNonNull(self, "self");
    this.site = site == null ? "" : site;
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  @Override
  public void callFinished(FinishedCall call) {
    CallRecord record;
    try {
      record = CallRecords.from(call, self, site);
    } catch (IllegalArgumentException e) {
      fail(call, e);
      return;
    }
    Checkpoint checkpoint;
    long leaf;
    synchronized (log) {
      try {
        leaf = log.append(record);
        checkpoint = log.commit();
      } catch (RuntimeException e) {
        fail(call, e);
        return;
      }
    }
    listener.recorded(record, leaf, checkpoint);
  }

  /** How many finished calls could not be recorded. */
  public synchronized long failures() {
    return failures;
  }

  private void fail(FinishedCall call, Exception e) {
    synchronized (this) {
      failures++;
    }
    LOG.error("call {} was not recorded in the ledger: {}", call.callId(), e.getMessage());
  }
}

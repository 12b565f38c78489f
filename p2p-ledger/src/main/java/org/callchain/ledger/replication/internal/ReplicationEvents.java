package org.callchain.ledger.replication.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.callchain.ledger.replication.ReplicationListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ReplicationListener}s of one {@link Libp2pLedgerNetwork}. Events are emitted on the
 * replication thread; a listener that throws is logged and does not keep the others from hearing.
 */
final class ReplicationEvents {
  // The network's log category, so operators' logger configuration still applies.
  private static final Logger LOG = LoggerFactory.getLogger(Libp2pLedgerNetwork.class);

  private final List<ReplicationListener> listeners = new CopyOnWriteArrayList<>();

  void add(ReplicationListener listener) {
    listeners.add(listener);
  }

  void emit(Consumer<ReplicationListener> event) {
    for (ReplicationListener l : listeners) {
      try {
        event.accept(l);
      } catch (RuntimeException e) {
        LOG.warn("replication listener failed", e);
      }
    }
  }
}

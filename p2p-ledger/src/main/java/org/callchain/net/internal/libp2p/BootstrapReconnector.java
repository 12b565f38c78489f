package org.callchain.net.internal.libp2p;

import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.callchain.net.Multiaddr;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the host connected to its configured bootstrap peers: dials each at start, and whenever a
 * dial fails or the connection drops, dials again after a delay that starts at the configured
 * initial backoff and doubles up to the maximum; a successful dial resets it. All state lives on
 * one executor thread.
 */
final class BootstrapReconnector {
  private static final Logger LOG = LoggerFactory.getLogger(BootstrapReconnector.class);

  private final Libp2pHost host;
  private final EventExecutor executor;
  private final Map<Multiaddr, Duration> backoff = new HashMap<>();
  private volatile boolean running;

  BootstrapReconnector(Libp2pHost host, EventExecutor executor) {
    this.host = host;
    this.executor = executor;
  }

  void start() {
    running = true;
    for (Multiaddr peer : host.config().bootstrapPeers()) {
      executor.execute(() -> dial(peer));
    }
  }

  void stop() {
    running = false;
  }

  private void dial(Multiaddr peer) {
    if (!running) {
      return;
    }
    host.dial(peer)
        .whenComplete(
            (connection, error) ->
                executor.execute(
                    () -> {
                      if (error != null) {
                        LOG.debug("bootstrap dial to {} failed: {}", peer, error.getMessage());
                        scheduleRedial(peer);
                        return;
                      }
                      backoff.remove(peer);
                      connection.closeFuture().whenComplete((ok, e) -> scheduleRedial(peer));
                    }));
  }

  private void scheduleRedial(Multiaddr peer) {
    executor.execute(
        () -> {
          if (!running) {
            return;
          }
          Duration delay = backoff.getOrDefault(peer, host.config().reconnectInitialBackoff());
          Duration next = delay.multipliedBy(2);
          backoff.put(
              peer,
              next.compareTo(host.config().reconnectMaxBackoff()) > 0
                  ? host.config().reconnectMaxBackoff()
                  : next);
          if (!executor.isShuttingDown()) {
            executor.schedule(() -> dial(peer), delay.toMillis(), TimeUnit.MILLISECONDS);
          }
        });
  }
}

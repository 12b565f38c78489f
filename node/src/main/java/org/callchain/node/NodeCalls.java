package org.callchain.node;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.callchain.identity.DeviceAddress;
import org.callchain.ledger.CallId;
import org.callchain.ledger.CallRecord;
import org.callchain.ledger.Checkpoint;
import org.callchain.node.config.NodeConfig;
import org.callchain.phone.Call;
import org.callchain.phone.CallEvent;
import org.callchain.phone.CallOptions;
import org.callchain.phone.CallState;
import org.callchain.phone.FinishedCall;
import org.callchain.phone.Phone;
import org.callchain.phone.PhoneException;

/**
 * The node's calls: the answer policy for incoming calls that passed admission, and calls placed on
 * request ({@code POST /calls}), each answered only once its record is durable in the log.
 */
final class NodeCalls implements AutoCloseable, LedgerCallSink.Listener {
  private static final int REMEMBERED = 1024;

  private final NodeConfig.Sip sip;
  private final DeviceAddress self;
  private final String site;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "node-calls");
            t.setDaemon(true);
            return t;
          });

  /** Recently committed records' leaves, and callers waiting for one, by record call id. */
  private final Map<CallId, CompletableFuture<Long>> leaves =
      new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<CallId, CompletableFuture<Long>> eldest) {
          return size() > REMEMBERED;
        }
      };

  private Phone phone;

  NodeCalls(NodeConfig config, DeviceAddress self) {
    this.sip = config.sip();
    this.self = self;
    this.site = config.device().site();
  }

  void attach(Phone started) {
    this.phone = started;
    started.addCallListener(this::applyAnswerPolicy);
  }

  @Override
  public void recorded(CallRecord record, long leafIndex, Checkpoint checkpoint) {
    future(record.callId()).complete(leafIndex);
  }

  /**
   * Calls {@code to}, stays {@code talk} once answered, sends {@code dtmf} after the answer, hangs
   * up, and waits until the call's record is committed (bounded by {@code recordWait}).
   */
  CallOutcome place(String to, Duration talk, String dtmf, Duration recordWait)
      throws PhoneException, InterruptedException {
    Call call =
        phone.call(
            to, CallOptions.defaults().withFrom(sip.uri()).withRingTimeout(sip.ringTimeout()));
    FinishedCall finished = talkThenHangUp(call, talk, dtmf);
    CallId recordId = CallRecords.from(finished, self, site).callId();
    Optional<Long> leaf;
    try {
      leaf = Optional.of(future(recordId).get(recordWait.toMillis(), TimeUnit.MILLISECONDS));
    } catch (ExecutionException | TimeoutException e) {
      leaf = Optional.empty();
    }
    return new CallOutcome(
        finished.disposition().name(),
        finished.finalSipCode(),
        finished.finalReason(),
        finished.callId(),
        leaf.map(l -> recordId.toString()),
        leaf);
  }

  private FinishedCall talkThenHangUp(Call call, Duration talk, String dtmf)
      throws InterruptedException {
    // Timer B (RFC 3261 §17.1.1.2, 32 s) bounds an INVITE nobody answers; the rest is ours.
    long bound = sip.ringTimeout().plus(talk).plusSeconds(40).toMillis();
    long deadline = System.currentTimeMillis() + bound;
    CompletableFuture<Void> answered = new CompletableFuture<>();
    call.addListener(
        event -> {
          if (event instanceof CallEvent.StateChanged s
              && (s.current() == CallState.ESTABLISHED || s.current() == CallState.ENDED)) {
            answered.complete(null);
          }
        });
    if (call.state() == CallState.ESTABLISHED || call.state() == CallState.ENDED) {
      answered.complete(null);
    }
    try {
      answered.get(bound, TimeUnit.MILLISECONDS);
      if (call.state() == CallState.ESTABLISHED) {
        for (char digit : dtmf.toCharArray()) {
          call.sendDtmf(digit);
        }
        try {
          call.finished().get(talk.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException stillUp) {
          call.hangup();
        }
      }
      long left = Math.max(1000, deadline - System.currentTimeMillis());
      return call.finished().get(left, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      call.hangup();
      throw new IllegalStateException("the call " + call.id() + " did not finish: " + e);
    }
  }

  private void applyAnswerPolicy(CallEvent event) {
    if (!(event instanceof CallEvent.Incoming incoming)) {
      return;
    }
    Call call = incoming.call();
    switch (sip.answer()) {
      case REJECT -> call.reject(sip.rejectCode());
      case AUTO ->
          timer.schedule(
              () -> {
                if (call.state() == CallState.INCOMING) {
                  call.answer();
                }
              },
              sip.autoAnswerDelay().toMillis(),
              TimeUnit.MILLISECONDS);
      case RING -> {
        // rings until the caller gives up
      }
    }
  }

  private synchronized CompletableFuture<Long> future(CallId id) {
    return leaves.computeIfAbsent(id, k -> new CompletableFuture<>());
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}

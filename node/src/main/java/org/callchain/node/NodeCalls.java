package org.callchain.node;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
   * up, and completes once the call's record is committed (waiting at most {@code recordWait} for
   * it). No thread waits meanwhile: each step runs on the call's events or the node's timer, so a
   * hundred calls in progress cost no thread each (docs/node.md, "Memory").
   */
  CompletableFuture<CallOutcome> place(String to, Duration talk, String dtmf, Duration recordWait)
      throws PhoneException {
    Call call =
        phone.call(
            to, CallOptions.defaults().withFrom(sip.uri()).withRingTimeout(sip.ringTimeout()));
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
    answered.thenRunAsync(() -> talkThenHangUp(call, talk, dtmf), this::onTimer);
    // Timer B (RFC 3261 §17.1.1.2, 32 s) bounds an INVITE nobody answers; the rest is ours.
    Duration bound = sip.ringTimeout().plus(talk).plusSeconds(40);
    return call.finished()
        .copy()
        .orTimeout(bound.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionally(
            e -> {
              call.hangup();
              throw new IllegalStateException("the call " + call.id() + " did not finish: " + e);
            })
        .thenCompose(finished -> recorded(finished, recordWait));
  }

  private void talkThenHangUp(Call call, Duration talk, String dtmf) {
    if (call.state() != CallState.ESTABLISHED) {
      return;
    }
    for (char digit : dtmf.toCharArray()) {
      call.sendDtmf(digit);
    }
    timer.schedule(
        () -> {
          if (!call.finished().isDone()) {
            call.hangup();
          }
        },
        talk.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Runs a step of a placed call on the timer; a closed node drops it (its phone hangs up). */
  private void onTimer(Runnable step) {
    try {
      timer.execute(step);
    } catch (RejectedExecutionException closed) {
      // the phone has hung up every call when it closed, before this timer
    }
  }

  /** The outcome once the record of {@code finished} is committed, or without it after a wait. */
  private CompletableFuture<CallOutcome> recorded(FinishedCall finished, Duration recordWait) {
    CallId recordId = CallRecords.from(finished, self, site).callId();
    return future(recordId)
        .copy()
        .orTimeout(recordWait.toMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (leafIndex, notDurable) -> {
              Optional<Long> leaf = Optional.ofNullable(notDurable == null ? leafIndex : null);
              return new CallOutcome(
                  finished.disposition().name(),
                  finished.finalSipCode(),
                  finished.finalReason(),
                  finished.callId(),
                  leaf.map(l -> recordId.toString()),
                  leaf);
            });
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

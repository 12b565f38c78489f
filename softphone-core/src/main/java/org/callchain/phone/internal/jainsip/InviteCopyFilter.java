package org.callchain.phone.internal.jainsip;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPMessageValve;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sip.SipStack;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * The stack's {@code SIP_MESSAGE_VALVE}: drops a copy of an initial INVITE that no server
 * transaction can absorb, before the RI's transaction layer sees it.
 *
 * <p>A caller retransmits its INVITE when our 100 Trying is late (RFC 3261 §17.1.1.2, Timer A: 500
 * ms), so under load the copy can sit in the receive queue next to its original. Two workers then
 * process both at once; the original's transaction is not in the RI's table yet, the copy gets a
 * transaction of its own, and the RI's merged-request check (§8.2.2.2) answers it {@code 482 Loop
 * Detected}, which the caller takes as the answer to its call. A copy has the same branch as its
 * original, so it is the same transaction (§17.2.3): when the transaction exists it passes and the
 * transaction layer resends the last response; when it does not (still being created, or already
 * ended with a 2xx, which the dialog retransmits by itself, §13.3.1.4) it is dropped and the
 * caller's next retransmission meets the transaction.
 *
 * <p>The memory of first copies is bounded by the stack's server-transaction limit: under a flood
 * of distinct INVITEs an unbounded map of 32 s of transaction ids alone fills a small heap. Past
 * the bound a new INVITE is not remembered and its copies pass to the transaction layer, as without
 * this filter (the worst case is the 482 described above, never a deaf phone).
 */
public final class InviteCopyFilter implements SIPMessageValve {
  /** Timer B: a caller retransmits an INVITE for at most 64*T1 (RFC 3261 §17.1.1.2). */
  private static final long REMEMBER_NANOS = TimeUnit.SECONDS.toNanos(32);

  private static final long PRUNE_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final int capacity;

  private final Map<String, Long> firstSeen = new ConcurrentHashMap<>();
  private final AtomicLong lastPrune = new AtomicLong(System.nanoTime());
  private volatile SIPTransactionStack stack;

  /** Built by the RI from {@code SIP_MESSAGE_VALVE}; sized like the server-transaction table. */
  public InviteCopyFilter() {
    this(StackProperties.serverTransactionLimit(Runtime.getRuntime().maxMemory()));
  }

  InviteCopyFilter(int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be positive, got " + capacity);
    }
    this.capacity = capacity;
  }

  @Override
  public void init(SipStack sipStack) {
    stack = (SIPTransactionStack) sipStack;
  }

  @Override
  public boolean processRequest(SIPRequest request, MessageChannel channel) {
    if (!Request.INVITE.equals(request.getMethod()) || request.getToTag() != null) {
      return true;
    }
    String id = request.getTransactionId();
    SIPTransactionStack s = stack;
    if (id == null || s == null) {
      return true;
    }
    long now = System.nanoTime();
    pruneIfDue(now);
    if (firstSeen.size() >= capacity && !firstSeen.containsKey(id)) {
      return true; // full: not remembered, its copies meet the transaction layer as they would
    }
    if (firstSeen.putIfAbsent(id, now) == null) {
      return true; // the first copy of this transaction
    }
    return s.findTransaction(id, true) != null || s.findPendingTransaction(id) != null;
  }

  private void pruneIfDue(long now) {
    long last = lastPrune.get();
    if (now - last > PRUNE_EVERY_NANOS && lastPrune.compareAndSet(last, now)) {
      firstSeen.values().removeIf(t -> now - t > REMEMBER_NANOS);
    }
  }

  @Override
  public boolean processResponse(Response response, MessageChannel channel) {
    return true;
  }

  @Override
  public void destroy() {
    firstSeen.clear();
  }
}

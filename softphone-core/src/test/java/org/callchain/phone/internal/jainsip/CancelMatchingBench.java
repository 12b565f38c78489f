package org.callchain.phone.internal.jainsip;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import javax.sip.message.MessageFactory;

/**
 * Time of one CANCEL match against a server-transaction table of growing size, the RI's scan
 * against {@link CancelMatchingSipStack}'s lookup (ADR 0098). Each table holds INVITE transactions
 * as a phone answering a steady call rate does; the CANCEL matches one picked at random, or none.
 * Run: {@code java -cp softphone-core/target/test-classes:softphone-core/target/classes:CLASSPATH
 * org.callchain.phone.internal.jainsip.CancelMatchingBench [sizes...]}.
 */
public final class CancelMatchingBench {
  private CancelMatchingBench() {}

  public static void main(String[] args) throws Exception {
    int[] sizes =
        args.length == 0
            ? new int[] {100, 1_000, 10_000, 50_000}
            : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
    MessageFactory messages = CancelMatchingSipStackTest.messageFactory();
    System.out.println("transactions  ri_scan_us  lookup_us  (per CANCEL; matched and unmatched)");
    for (int n : sizes) {
      try (CancelMatchingSipStackTest.Stacks stacks = new CancelMatchingSipStackTest.Stacks()) {
        for (int i = 0; i < n; i++) {
          stacks.server(request(messages, "INVITE", i));
        }
        // Let the stack send each INVITE's 100 Trying (200 ms) before measuring.
        Thread.sleep(1_000 + n / 20);
        // Fewer CANCELs for large tables: the scan's cost per CANCEL is what is measured.
        SIPRequest[] cancels = new SIPRequest[Math.max(100, Math.min(1_000, 5_000_000 / n))];
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < cancels.length; i++) {
          // Every other CANCEL matches nothing (481): the scan's worst case, the whole table.
          int which = i % 2 == 0 ? random.nextInt(n) : n + i;
          cancels[i] = request(messages, "CANCEL", which);
        }
        double ri = microsPerCancel(stacks.ri, cancels);
        double lookup = microsPerCancel(stacks.matching, cancels);
        System.out.printf("%12d  %10.2f  %9.3f%n", n, ri, lookup);
      }
    }
  }

  /** Mean time of findCancelTransaction over the CANCELs, after as many unmeasured rounds. */
  private static double microsPerCancel(SIPTransactionStack stack, SIPRequest[] cancels) {
    int found = 0;
    for (int round = 0; round < 3; round++) {
      for (SIPRequest c : cancels) {
        found += stack.findCancelTransaction(c, true) == null ? 0 : 1;
      }
    }
    long start = System.nanoTime();
    int rounds = 5;
    for (int round = 0; round < rounds; round++) {
      for (SIPRequest c : cancels) {
        found += stack.findCancelTransaction(c, true) == null ? 0 : 1;
      }
    }
    long took = System.nanoTime() - start;
    if (found == 0) {
      throw new IllegalStateException("no CANCEL matched: the bench measures nothing");
    }
    return took / 1e3 / (rounds * (double) cancels.length);
  }

  private static SIPRequest request(MessageFactory messages, String method, int call)
      throws Exception {
    return (SIPRequest)
        messages.createRequest(
            method
                + " sip:bob@127.0.0.1:5060 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-"
                + call
                + "\r\nMax-Forwards: 70\r\nFrom: <sip:sipp@127.0.0.1:5070>;tag="
                + call
                + "\r\nTo: <sip:bob@127.0.0.1:5060>\r\nCall-ID: "
                + call
                + "@127.0.0.1\r\nCSeq: 1 "
                + method
                + "\r\nContent-Length: 0\r\n\r\n");
  }
}

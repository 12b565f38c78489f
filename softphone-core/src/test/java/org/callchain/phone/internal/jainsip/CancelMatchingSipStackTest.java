package org.callchain.phone.internal.jainsip;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.ListeningPointImpl;
import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPClientTransaction;
import gov.nist.javax.sip.stack.SIPServerTransaction;
import gov.nist.javax.sip.stack.SIPTransaction;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sip.SipFactory;
import javax.sip.message.MessageFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CANCEL matching (RFC 3261 §9.2) of {@link CancelMatchingSipStack}, against the RI's own scan on a
 * plain {@link SipStackImpl} holding the same transactions: the same answer for every CANCEL.
 */
class CancelMatchingSipStackTest {
  private static final AtomicInteger STACKS = new AtomicInteger();
  private static final String PEER = "127.0.0.1:5070";

  private final MessageFactory messages = messageFactory();
  private Stacks stacks;

  @BeforeEach
  void start() throws Exception {
    stacks = new Stacks();
  }

  @AfterEach
  void stop() {
    stacks.close();
  }

  @Test
  void cancelMatchesThePendingInviteWithItsBranchAndSentBy() throws Exception {
    SIPTransaction invite = stacks.server(invite("z9hG4bK-a1", PEER, "call-1", "tag1", 1));
    stacks.server(invite("z9hG4bK-a2", PEER, "call-2", "tag2", 1));

    SIPRequest cancel = cancel("z9hG4bK-a1", PEER, "call-1", "tag1", 1);
    assertThat(stacks.matching.findCancelTransaction(cancel, true)).isSameAs(invite);
    assertThat(stacks.riAnswerIndex(cancel, true))
        .isEqualTo(stacks.matchingAnswerIndex(cancel, true));
  }

  @Test
  void cancelWithAnotherBranchMatchesNothing() throws Exception {
    stacks.server(invite("z9hG4bK-b1", PEER, "call-1", "tag1", 1));
    // Same Call-ID, From tag and CSeq, but not the INVITE's branch: not its CANCEL (§9.2).
    SIPRequest cancel = cancel("z9hG4bK-other", PEER, "call-1", "tag1", 1);
    assertThat(stacks.matching.findCancelTransaction(cancel, true)).isNull();
    assertThat(stacks.riAnswerIndex(cancel, true)).isEqualTo(-1);
  }

  @Test
  void cancelFromAnotherSentByMatchesNothing() throws Exception {
    stacks.server(invite("z9hG4bK-c1", PEER, "call-1", "tag1", 1));
    SIPRequest cancel = cancel("z9hG4bK-c1", "127.0.0.1:5099", "call-1", "tag1", 1);
    assertThat(stacks.matching.findCancelTransaction(cancel, true)).isNull();
    assertThat(stacks.riAnswerIndex(cancel, true)).isEqualTo(-1);
  }

  @Test
  void branchIsComparedIgnoringCaseAsTheStackDoes() throws Exception {
    SIPTransaction invite = stacks.server(invite("z9hG4bK-MiXeD", PEER, "call-1", "tag1", 1));
    SIPRequest cancel = cancel("z9hg4bk-mixed", PEER, "call-1", "tag1", 1);
    assertThat(stacks.matching.findCancelTransaction(cancel, true)).isSameAs(invite);
    assertThat(stacks.riAnswerIndex(cancel, true)).isZero();
  }

  @Test
  void cancelNeverMatchesAnotherCancel() throws Exception {
    stacks.server(cancel("z9hG4bK-d1", PEER, "call-1", "tag1", 1));
    SIPRequest cancel = cancel("z9hG4bK-d1", PEER, "call-1", "tag1", 1);
    assertThat(stacks.matching.findCancelTransaction(cancel, true)).isNull();
    assertThat(stacks.riAnswerIndex(cancel, true)).isEqualTo(-1);
  }

  @Test
  void rfc2543CancelIsMatchedByItsHeadersLikeTheStackDoes() throws Exception {
    // No magic cookie: RFC 2543's rule (Request-URI, Call-ID, From, To, CSeq number, top Via).
    SIPTransaction invite = stacks.server(invite("old-1", PEER, "call-1", "tag1", 7));
    SIPRequest cancel = cancel("old-1", PEER, "call-1", "tag1", 7);
    assertThat(CancelMatchingSipStack.invite3261Key(cancel)).isNull();
    assertThat(stacks.matching.findCancelTransaction(cancel, true)).isSameAs(invite);
    assertThat(stacks.riAnswerIndex(cancel, true)).isZero();
    SIPRequest otherCSeq = cancel("old-1", PEER, "call-1", "tag1", 8);
    assertThat(stacks.matching.findCancelTransaction(otherCSeq, true)).isNull();
  }

  @Test
  void outgoingCancelMatchesItsInviteClientTransaction() throws Exception {
    SIPTransaction invite = stacks.client(invite("z9hG4bK-e1", PEER, "call-1", "tag1", 1));
    stacks.client(invite("z9hG4bK-e2", PEER, "call-2", "tag2", 1));
    SIPRequest cancel = cancel("z9hG4bK-e1", PEER, "call-1", "tag1", 1);
    assertThat(stacks.matching.findCancelTransaction(cancel, false)).isSameAs(invite);
    assertThat(stacks.riAnswerIndex(cancel, false)).isZero();
    assertThat(stacks.matching.findCancelTransaction(cancel, true)).isNull();
  }

  private SIPRequest invite(String branch, String sentBy, String callId, String tag, long cseq)
      throws Exception {
    return request("INVITE", branch, sentBy, callId, tag, cseq);
  }

  private SIPRequest cancel(String branch, String sentBy, String callId, String tag, long cseq)
      throws Exception {
    return request("CANCEL", branch, sentBy, callId, tag, cseq);
  }

  private SIPRequest request(
      String method, String branch, String sentBy, String callId, String tag, long cseq)
      throws Exception {
    return (SIPRequest)
        messages.createRequest(
            method
                + " sip:bob@127.0.0.1:5060 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP "
                + sentBy
                + ";branch="
                + branch
                + "\r\nMax-Forwards: 70\r\nFrom: <sip:alice@127.0.0.1>;tag="
                + tag
                + "\r\nTo: <sip:bob@127.0.0.1:5060>\r\nCall-ID: "
                + callId
                + "\r\nCSeq: "
                + cseq
                + " "
                + method
                + "\r\nContent-Length: 0\r\n\r\n");
  }

  static MessageFactory messageFactory() {
    try {
      SipFactory f = SipFactory.getInstance();
      f.setPathName("gov.nist");
      return f.createMessageFactory();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static int freeUdpPort() throws Exception {
    try (DatagramSocket s =
        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      return s.getLocalPort();
    }
  }

  /**
   * A {@link CancelMatchingSipStack} and a plain RI stack, each with a UDP listening point on
   * loopback, given the same transactions in the same order.
   */
  static final class Stacks implements AutoCloseable {
    final CancelMatchingSipStack matching;
    final SipStackImpl ri;
    private final MessageChannel matchingChannel;
    private final MessageChannel riChannel;
    private final DatagramSocket sink =
        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    private final List<List<SIPTransaction>> made =
        List.of(new java.util.ArrayList<>(), new java.util.ArrayList<>());

    Stacks() throws Exception {
      sink.setReceiveBufferSize(1 << 16);
      matching =
          new CancelMatchingSipStack(
              StackProperties.forPhone("cancel-test-" + STACKS.incrementAndGet()));
      ri = new SipStackImpl(StackProperties.forPhone("cancel-test-" + STACKS.incrementAndGet()));
      matchingChannel = channel(matching);
      riChannel = channel(ri);
    }

    /**
     * A channel towards the sink from a listening point with a provider: the stack sends an INVITE
     * transaction's 100 Trying by itself after 200 ms (RFC 3261 §17.2.1).
     */
    private MessageChannel channel(SipStackImpl stack) throws Exception {
      var point =
          (ListeningPointImpl) stack.createListeningPoint("127.0.0.1", freeUdpPort(), "udp");
      stack.createSipProvider(point);
      return point
          .getMessageProcessor()
          .createMessageChannel(InetAddress.getLoopbackAddress(), sink.getLocalPort());
    }

    /** A server transaction for {@code request} in both stacks; the matching stack's one. */
    SIPTransaction server(SIPRequest request) throws Exception {
      SIPServerTransaction a = matching.createServerTransaction(matchingChannel);
      a.setOriginalRequest(request);
      matching.addTransaction(a);
      SIPServerTransaction b = ri.createServerTransaction(riChannel);
      b.setOriginalRequest((SIPRequest) request.clone());
      ri.addTransaction(b);
      made.get(0).add(a);
      made.get(1).add(b);
      return a;
    }

    /** A client transaction for {@code request} in both stacks; the matching stack's one. */
    SIPTransaction client(SIPRequest request) throws Exception {
      SIPClientTransaction a = matching.createClientTransaction(request, matchingChannel);
      matching.addTransaction(a);
      SIPClientTransaction b = ri.createClientTransaction((SIPRequest) request.clone(), riChannel);
      ri.addTransaction(b);
      made.get(0).add(a);
      made.get(1).add(b);
      return a;
    }

    /** Which transaction (in the order made) the RI's scan answers, -1 for none. */
    int riAnswerIndex(SIPRequest cancel, boolean isServer) {
      return made.get(1).indexOf(ri.findCancelTransaction((SIPRequest) cancel.clone(), isServer));
    }

    int matchingAnswerIndex(SIPRequest cancel, boolean isServer) {
      return made.get(0).indexOf(matching.findCancelTransaction(cancel, isServer));
    }

    @Override
    public void close() {
      matching.stop();
      ri.stop();
      sink.close();
    }
  }
}

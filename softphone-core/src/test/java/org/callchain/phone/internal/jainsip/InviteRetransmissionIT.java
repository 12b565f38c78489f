package org.callchain.phone.internal.jainsip;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.callchain.phone.CallEvent;
import org.callchain.phone.CallState;
import org.callchain.phone.interop.RawSipResponse;
import org.callchain.phone.testing.TestPhones;
import org.callchain.phone.testing.TestPhones.TestPhone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A copy of an answered INVITE (same branch: the same transaction, RFC 3261 §17.2.3) that arrives
 * after the ACK, as a caller's Timer A retransmission does when the phone was slow to send 100
 * Trying: it must be absorbed. The RI alone answered it 482 Loop Detected (its §8.2.2.2 check found
 * the confirmed dialog), which SIPp counts as a failed call.
 */
class InviteRetransmissionIT {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private final TestPhones phones = new TestPhones();

  @AfterEach
  void stop() {
    phones.close();
  }

  @Test
  void copyOfAnAnsweredInviteAfterTheAckIsAbsorbed() throws Exception {
    TestPhone bob = phones.start("bob");
    bob.phone()
        .addCallListener(
            e -> {
              if (e instanceof CallEvent.Incoming in) {
                in.call().answer();
              }
            });
    try (DatagramSocket socket = new DatagramSocket(0, LOOPBACK)) {
      socket.setSoTimeout(200);
      int port = bob.phone().sipPort();
      String invite = invite(port, socket.getLocalPort());
      send(socket, port, invite);
      RawSipResponse ok = awaitStatus(socket, 200, 10_000);
      String toTag = ok.header("To").orElseThrow().replaceAll(".*;tag=", "");
      send(socket, port, ack(port, socket.getLocalPort(), toTag));
      bob.events().awaitState(bob.phone().activeCalls().get(0), CallState.ESTABLISHED, WAIT);

      send(socket, port, invite);
      List<Integer> after = statusesWithin(socket, 2_000);
      assertThat(after).as("answers to the copy of the INVITE").doesNotContain(482);
      assertThat(bob.phone().activeCalls()).hasSize(1);
      assertThat(bob.events().events()).filteredOn(e -> e instanceof CallEvent.Incoming).hasSize(1);
    }
  }

  /**
   * Each INVITE sent twice back to back, as a retransmission that overtook its original in the
   * receive queue: with several workers both copies are processed at once. Every call must be taken
   * once and no copy refused with 482.
   */
  @Test
  void copiesProcessedTogetherWithTheirOriginalMakeOneCallEach() throws Exception {
    TestPhone carol = phones.start("carol");
    carol
        .phone()
        .addCallListener(
            e -> {
              if (e instanceof CallEvent.Incoming in) {
                in.call().answer();
              }
            });
    int calls = 150;
    try (DatagramSocket socket = new DatagramSocket(0, LOOPBACK)) {
      socket.setSoTimeout(200);
      int port = carol.phone().sipPort();
      for (int i = 0; i < calls; i++) {
        String invite =
            invite(port, socket.getLocalPort())
                .replace(CALL_ID, "pair-" + i + "-" + CALL_ID)
                .replace("z9hG4bK-copy-1", "z9hG4bK-pair-" + i)
                .replace("sip:bob@", "sip:carol@");
        send(socket, port, invite);
        send(socket, port, invite);
      }
      List<Integer> statuses = statusesWithin(socket, 5_000);
      assertThat(statuses).as("answers to the INVITEs and their copies").doesNotContain(482);
      assertThat(carol.events().events())
          .filteredOn(e -> e instanceof CallEvent.Incoming)
          .hasSize(calls);
    }
  }

  private static final java.time.Duration WAIT = java.time.Duration.ofSeconds(10);

  private static void send(DatagramSocket s, int port, String text) throws Exception {
    byte[] b = text.getBytes(StandardCharsets.US_ASCII);
    s.send(new DatagramPacket(b, b.length, LOOPBACK, port));
  }

  private static RawSipResponse awaitStatus(DatagramSocket s, int status, long millis)
      throws Exception {
    long deadline = System.currentTimeMillis() + millis;
    while (System.currentTimeMillis() < deadline) {
      RawSipResponse r = receive(s);
      if (r != null && r.status() == status) {
        return r;
      }
    }
    throw new AssertionError("no " + status + " within " + millis + " ms");
  }

  private static List<Integer> statusesWithin(DatagramSocket s, long millis) throws Exception {
    List<Integer> statuses = new ArrayList<>();
    long deadline = System.currentTimeMillis() + millis;
    while (System.currentTimeMillis() < deadline) {
      RawSipResponse r = receive(s);
      if (r != null) {
        statuses.add(r.status());
      }
    }
    return statuses;
  }

  private static RawSipResponse receive(DatagramSocket s) throws Exception {
    byte[] buf = new byte[65535];
    DatagramPacket p = new DatagramPacket(buf, buf.length);
    try {
      s.receive(p);
    } catch (SocketTimeoutException e) {
      return null;
    }
    return RawSipResponse.parse(
            new String(p.getData(), 0, p.getLength(), StandardCharsets.ISO_8859_1))
        .orElse(null);
  }

  private static final String CALL_ID = "retransmitted-" + System.nanoTime() + "@127.0.0.1";

  private static String invite(int port, int local) {
    String sdp =
        "v=0\r\no=raw 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
    return "INVITE sip:bob@127.0.0.1:"
        + port
        + " SIP/2.0\r\n"
        + "Via: SIP/2.0/UDP 127.0.0.1:"
        + local
        + ";branch=z9hG4bK-copy-1;rport\r\n"
        + "Max-Forwards: 70\r\n"
        + "From: <sip:raw@127.0.0.1>;tag=raw1\r\n"
        + "To: <sip:bob@127.0.0.1>\r\n"
        + "Call-ID: "
        + CALL_ID
        + "\r\nCSeq: 1 INVITE\r\n"
        + "Contact: <sip:raw@127.0.0.1:"
        + local
        + ">\r\n"
        + "Content-Type: application/sdp\r\n"
        + "Content-Length: "
        + sdp.length()
        + "\r\n\r\n"
        + sdp;
  }

  private static String ack(int port, int local, String toTag) {
    return "ACK sip:bob@127.0.0.1:"
        + port
        + " SIP/2.0\r\n"
        + "Via: SIP/2.0/UDP 127.0.0.1:"
        + local
        + ";branch=z9hG4bK-copy-ack;rport\r\n"
        + "Max-Forwards: 70\r\n"
        + "From: <sip:raw@127.0.0.1>;tag=raw1\r\n"
        + "To: <sip:bob@127.0.0.1>;tag="
        + toTag
        + "\r\nCall-ID: "
        + CALL_ID
        + "\r\nCSeq: 1 ACK\r\n"
        + "Content-Length: 0\r\n\r\n";
  }
}

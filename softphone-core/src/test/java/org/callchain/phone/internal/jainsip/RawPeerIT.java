package org.callchain.phone.internal.jainsip;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.callchain.media.MediaDirection;
import org.callchain.phone.Call;
import org.callchain.phone.CallDisposition;
import org.callchain.phone.CallEvent;
import org.callchain.phone.CallOptions;
import org.callchain.phone.CallState;
import org.callchain.phone.testing.TestPhones;
import org.callchain.phone.testing.TestPhones.TestPhone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Offer/answer shapes a second Callchain phone never produces, played by a scripted peer on a raw
 * UDP socket: early media in a 183 (RFC 3261 §13.2.1) and an INVITE without SDP whose offer comes
 * in our 200 and answer in the ACK (RFC 3264 §4, RFC 3261 §13.2.1).
 */
class RawPeerIT {
  private static final Duration T = Duration.ofSeconds(5);
  private static final String PEER_SDP =
      "v=0\r\no=- 7 7 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
          + "m=audio 40000 RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\n"
          + "a=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n";
  private static TestPhones phones;
  private static TestPhone alice;

  @BeforeAll
  static void start() throws Exception {
    phones = new TestPhones();
    alice = phones.start("alice");
    alice
        .phone()
        .addCallListener(
            e -> {
              if (e instanceof CallEvent.Incoming in) {
                in.call().answer();
              }
            });
  }

  @AfterAll
  static void stop() {
    phones.close();
  }

  @Test
  void earlyMediaFrom183IsAppliedAndTheCallCompletes() throws Exception {
    try (DatagramSocket peer =
        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      peer.setSoTimeout(3000);
      Call call =
          alice.phone().call("sip:raw@127.0.0.1:" + peer.getLocalPort(), CallOptions.defaults());
      Received invite = receive(peer, "INVITE");
      send(peer, invite, reply(peer, invite.text, "183 Session Progress", "peer1", PEER_SDP));
      alice.events().awaitState(call, CallState.RINGING, T);
      CallEvent.MediaChanged early =
          alice.events().await(CallEvent.MediaChanged.class, e -> e.call() == call, T);
      assertThat(early.media().codec().encodingName()).isEqualTo("PCMA");
      assertThat(early.media().remoteRtp().getPort()).isEqualTo(40000);
      send(peer, invite, reply(peer, invite.text, "200 OK", "peer1", PEER_SDP));
      alice.events().awaitState(call, CallState.ESTABLISHED, T);
      receive(peer, "ACK");
      call.hangup();
      Received bye = receive(peer, "BYE");
      send(peer, bye, reply(peer, bye.text, "200 OK", null, null));
      assertThat(call.finished().get(5, TimeUnit.SECONDS).disposition())
          .isEqualTo(CallDisposition.ANSWERED);
    }
  }

  @Test
  void inviteWithoutSdpGetsOurOfferAndTheAnswerInAck() throws Exception {
    try (DatagramSocket peer =
        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      peer.setSoTimeout(3000);
      int port = peer.getLocalPort();
      String callId = "late-offer-" + System.nanoTime();
      String invite =
          "INVITE sip:alice@127.0.0.1:"
              + alice.phone().sipPort()
              + " SIP/2.0\r\n"
              + "Via: SIP/2.0/UDP 127.0.0.1:"
              + port
              + ";branch=z9hG4bK-inv-"
              + callId
              + "\r\n"
              + "Max-Forwards: 70\r\n"
              + "From: <sip:raw@127.0.0.1:"
              + port
              + ">;tag=raw1\r\n"
              + "To: <sip:alice@127.0.0.1>\r\n"
              + "Call-ID: "
              + callId
              + "\r\n"
              + "CSeq: 1 INVITE\r\n"
              + "Contact: <sip:raw@127.0.0.1:"
              + port
              + ">\r\n"
              + "Content-Length: 0\r\n\r\n";
      sendTo(peer, alice.phone().sipPort(), invite);
      Received ok;
      do {
        ok = receive(peer, "SIP/2.0");
      } while (!ok.text.startsWith("SIP/2.0 200"));
      assertThat(ok.text).contains("m=audio ").contains("a=sendrecv");
      String toTag = header(ok.text, "To").replaceAll(".*;tag=([^;>\\s]+).*", "$1");
      String ack =
          "ACK sip:alice@127.0.0.1:"
              + alice.phone().sipPort()
              + " SIP/2.0\r\n"
              + "Via: SIP/2.0/UDP 127.0.0.1:"
              + port
              + ";branch=z9hG4bK-ack-"
              + callId
              + "\r\n"
              + "Max-Forwards: 70\r\n"
              + "From: <sip:raw@127.0.0.1:"
              + port
              + ">;tag=raw1\r\n"
              + "To: <sip:alice@127.0.0.1>;tag="
              + toTag
              + "\r\n"
              + "Call-ID: "
              + callId
              + "\r\n"
              + "CSeq: 1 ACK\r\n"
              + "Content-Type: application/sdp\r\n"
              + "Content-Length: "
              + PEER_SDP.length()
              + "\r\n\r\n"
              + PEER_SDP;
      sendTo(peer, alice.phone().sipPort(), ack);
      CallEvent.MediaChanged media =
          alice.events().await(CallEvent.MediaChanged.class, e -> e.call().id().equals(callId), T);
      assertThat(media.media().codec().encodingName()).isEqualTo("PCMA");
      assertThat(media.media().direction()).isEqualTo(MediaDirection.SENDRECV);
      Call call = media.call();
      alice.events().awaitState(call, CallState.ESTABLISHED, T);
      call.hangup();
      Received bye = receive(peer, "BYE");
      send(peer, bye, reply(peer, bye.text, "200 OK", null, null));
      assertThat(call.finished().get(5, TimeUnit.SECONDS).disposition())
          .isEqualTo(CallDisposition.ANSWERED);
    }
  }

  private record Received(String text, InetSocketAddress from) {}

  /** Receives until a message starting with {@code start} arrives (skipping retransmissions). */
  private static Received receive(DatagramSocket s, String start) throws Exception {
    long deadline = System.currentTimeMillis() + T.toMillis();
    byte[] buf = new byte[65535];
    while (System.currentTimeMillis() < deadline) {
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        s.receive(p);
      } catch (SocketTimeoutException e) {
        continue;
      }
      String text = new String(p.getData(), 0, p.getLength(), StandardCharsets.ISO_8859_1);
      if (text.startsWith(start)) {
        return new Received(text, (InetSocketAddress) p.getSocketAddress());
      }
    }
    throw new AssertionError("no " + start + " within " + T);
  }

  private static void send(DatagramSocket s, Received to, String text) throws Exception {
    byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
    s.send(new DatagramPacket(b, b.length, to.from()));
  }

  private static void sendTo(DatagramSocket s, int port, String text) throws Exception {
    byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
    s.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), port));
  }

  private static String header(String message, String name) {
    Matcher m = Pattern.compile("(?im)^" + name + ":\\s*(.*)$").matcher(message);
    if (!m.find()) {
      throw new AssertionError("no " + name + " in\n" + message);
    }
    return m.group(1).strip();
  }

  /** A response to {@code request} as RFC 3261 §8.2.6 builds it, with an optional SDP body. */
  private static String reply(
      DatagramSocket peer, String request, String status, String toTag, String sdp) {
    String to = header(request, "To");
    if (toTag != null && !to.contains(";tag=")) {
      to = to + ";tag=" + toTag;
    }
    StringBuilder b = new StringBuilder("SIP/2.0 " + status + "\r\n");
    Matcher vias = Pattern.compile("(?im)^Via:\\s*(.*)$").matcher(request);
    while (vias.find()) {
      b.append("Via: ").append(vias.group(1).strip()).append("\r\n");
    }
    b.append("From: ").append(header(request, "From")).append("\r\n");
    b.append("To: ").append(to).append("\r\n");
    b.append("Call-ID: ").append(header(request, "Call-ID")).append("\r\n");
    b.append("CSeq: ").append(header(request, "CSeq")).append("\r\n");
    b.append("Contact: <sip:raw@127.0.0.1:").append(peer.getLocalPort()).append(">\r\n");
    if (sdp != null) {
      b.append("Content-Type: application/sdp\r\nContent-Length: ")
          .append(sdp.length())
          .append("\r\n\r\n")
          .append(sdp);
    } else {
      b.append("Content-Length: 0\r\n\r\n");
    }
    return b.toString();
  }
}

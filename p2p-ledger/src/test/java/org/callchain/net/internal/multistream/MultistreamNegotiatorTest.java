package org.callchain.net.internal.multistream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** multistream-select 1.0 negotiation (multistream-select README, libp2p connections spec). */
class MultistreamNegotiatorTest {
  private final ByteArrayOutputStream fromDialer = new ByteArrayOutputStream();
  private final ByteArrayOutputStream fromListener = new ByteArrayOutputStream();

  private MultistreamNegotiator listener(Set<String> supported) {
    return MultistreamNegotiator.listener(
        supported::contains, () -> List.copyOf(supported), fromListener::writeBytes);
  }

  private static byte[] drain(ByteArrayOutputStream out) {
    byte[] bytes = out.toByteArray();
    out.reset();
    return bytes;
  }

  @Test
  void dialerAndListenerAgreeOnTheFirstSupportedProtocol() {
    MultistreamNegotiator dialer =
        MultistreamNegotiator.dialer(List.of("/noise"), fromDialer::writeBytes);
    MultistreamNegotiator listener = listener(Set.of("/noise"));
    dialer.start();
    listener.start();
    assertThat(drain(fromDialer))
        .isEqualTo(
            concat(
                MultistreamMessages.encode("/multistream/1.0.0"),
                MultistreamMessages.encode("/noise")));
    MultistreamNegotiator.Outcome atListener =
        listener.feed(
            concat(
                MultistreamMessages.encode("/multistream/1.0.0"),
                MultistreamMessages.encode("/noise")));
    assertThat(atListener)
        .isInstanceOfSatisfying(
            MultistreamNegotiator.Selected.class,
            s -> assertThat(s.protocol()).isEqualTo("/noise"));
    MultistreamNegotiator.Outcome atDialer = dialer.feed(drain(fromListener));
    assertThat(atDialer)
        .isInstanceOfSatisfying(
            MultistreamNegotiator.Selected.class, s -> assertThat(s.leftover()).isEmpty());
  }

  @Test
  void naMovesTheDialerToItsNextProposal() {
    MultistreamNegotiator dialer =
        MultistreamNegotiator.dialer(
            List.of("/meshsub/1.2.0", "/meshsub/1.1.0"), fromDialer::writeBytes);
    MultistreamNegotiator listener = listener(Set.of("/meshsub/1.1.0"));
    dialer.start();
    listener.start();
    MultistreamNegotiator.Outcome l = listener.feed(drain(fromDialer));
    assertThat(l).isInstanceOf(MultistreamNegotiator.Pending.class);
    byte[] answer = drain(fromListener);
    assertThat(answer)
        .isEqualTo(
            concat(
                MultistreamMessages.encode("/multistream/1.0.0"),
                MultistreamMessages.encode("na")));
    assertThat(dialer.feed(answer)).isInstanceOf(MultistreamNegotiator.Pending.class);
    MultistreamNegotiator.Outcome selected = listener.feed(drain(fromDialer));
    assertThat(selected).isInstanceOf(MultistreamNegotiator.Selected.class);
    MultistreamNegotiator.Outcome dialerSelected = dialer.feed(drain(fromListener));
    assertThat(((MultistreamNegotiator.Selected) dialerSelected).protocol())
        .isEqualTo("/meshsub/1.1.0");
  }

  @Test
  void dialerFailsAsUnsupportedWhenEveryProposalGetsNa() {
    MultistreamNegotiator dialer =
        MultistreamNegotiator.dialer(List.of("/a"), fromDialer::writeBytes);
    dialer.start();
    MultistreamNegotiator.Outcome outcome =
        dialer.feed(
            concat(
                MultistreamMessages.encode("/multistream/1.0.0"),
                MultistreamMessages.encode("na")));
    assertThat(outcome)
        .isInstanceOfSatisfying(
            MultistreamNegotiator.Failed.class, f -> assertThat(f.unsupported()).isTrue());
  }

  @Test
  void bytesAfterTheDecidingMessageAreLeftOverForTheProtocol() {
    MultistreamNegotiator listener = listener(Set.of("/ipfs/ping/1.0.0"));
    listener.start();
    byte[] lazy =
        concat(
            concat(
                MultistreamMessages.encode("/multistream/1.0.0"),
                MultistreamMessages.encode("/ipfs/ping/1.0.0")),
            "payload".getBytes(StandardCharsets.US_ASCII));
    MultistreamNegotiator.Outcome outcome = listener.feed(lazy);
    assertThat(outcome)
        .isInstanceOfSatisfying(
            MultistreamNegotiator.Selected.class,
            s ->
                assertThat(new String(s.leftover(), StandardCharsets.US_ASCII))
                    .isEqualTo("payload"));
  }

  @Test
  void negotiationSurvivesOneByteAtATime() {
    MultistreamNegotiator listener = listener(Set.of("/yamux/1.0.0"));
    listener.start();
    byte[] input =
        concat(
            MultistreamMessages.encode("/multistream/1.0.0"),
            MultistreamMessages.encode("/yamux/1.0.0"));
    MultistreamNegotiator.Outcome last = null;
    for (byte b : input) {
      last = listener.feed(new byte[] {b});
    }
    assertThat(last).isInstanceOf(MultistreamNegotiator.Selected.class);
  }

  @Test
  void lsListsTheSupportedProtocols() {
    MultistreamNegotiator listener = listener(Set.of("/noise"));
    listener.start();
    drain(fromListener);
    listener.feed(
        concat(MultistreamMessages.encode("/multistream/1.0.0"), MultistreamMessages.encode("ls")));
    assertThat(drain(fromListener)).isEqualTo(MultistreamMessages.encodeList(List.of("/noise")));
  }

  @Test
  void wrongHeaderOversizedMessageAndMissingNewlineFail() {
    MultistreamNegotiator a = listener(Set.of("/noise"));
    assertThat(a.feed(MultistreamMessages.encode("/multistream/2.0.0")))
        .isInstanceOf(MultistreamNegotiator.Failed.class);
    MultistreamNegotiator b = listener(Set.of("/noise"));
    assertThat(b.feed(new byte[] {(byte) 0x80, 0x40}))
        .isInstanceOf(MultistreamNegotiator.Failed.class);
    MultistreamNegotiator c = listener(Set.of("/noise"));
    assertThat(c.feed(new byte[] {3, 'a', 'b', 'c'}))
        .isInstanceOf(MultistreamNegotiator.Failed.class);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}

package org.callchain.phone.internal.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.callchain.media.MediaDescription;
import org.callchain.media.MediaDirection;
import org.callchain.media.PayloadFormat;
import org.junit.jupiter.api.Test;

class OfferAnswerTest {
  private static final PayloadFormat OPUS =
      new PayloadFormat(111, "opus", 48000, 2, "useinbandfec=1");
  private static final List<PayloadFormat> OURS =
      List.of(PayloadFormat.PCMU, PayloadFormat.PCMA, PayloadFormat.TELEPHONE_EVENT);

  private static final String BARESIP_LIKE_OFFER =
      "v=0\r\n"
          + "o=- 1234 5678 IN IP4 10.0.0.2\r\n"
          + "s=-\r\n"
          + "c=IN IP4 10.0.0.2\r\n"
          + "t=0 0\r\n"
          + "m=audio 40000 RTP/AVP 111 8 0 96\r\n"
          + "a=rtpmap:111 opus/48000/2\r\n"
          + "a=fmtp:111 stereo=1\r\n"
          + "a=rtpmap:96 telephone-event/8000\r\n"
          + "a=fmtp:96 0-15\r\n"
          + "a=ptime:30\r\n"
          + "a=sendrecv\r\n";

  @Test
  void answerPicksOurPreferredCommonCodecWithTheOffersPayloadTypes() throws Exception {
    AudioSdp offer = SdpParser.parse(BARESIP_LIKE_OFFER);
    OfferAnswer.Answer a =
        OfferAnswer.answer(offer, OURS, "127.0.0.1", 5000, MediaDirection.SENDRECV, 1, 1);
    assertThat(a.media().codec().encodingName()).isEqualTo("PCMU");
    assertThat(a.media().telephoneEvent())
        .get()
        .extracting(PayloadFormat::payloadType)
        .isEqualTo(96);
    assertThat(a.media().remoteRtp().getPort()).isEqualTo(40000);
    assertThat(a.media().remoteRtp().getHostString()).isEqualTo("10.0.0.2");
    assertThat(a.media().ptimeMillis()).isEqualTo(30);
    assertThat(a.sdp().formats()).extracting(PayloadFormat::payloadType).containsExactly(0, 8, 96);
    String written = SdpWriter.write(a.sdp());
    assertThat(written)
        .contains(
            "m=audio 5000 RTP/AVP 0 8 96\r\n",
            "a=rtpmap:96 telephone-event/8000\r\n",
            "a=fmtp:96 0-15\r\n");
  }

  @Test
  void opusIsChosenWhenTheEngineListsItFirst() throws Exception {
    AudioSdp offer = SdpParser.parse(BARESIP_LIKE_OFFER);
    OfferAnswer.Answer a =
        OfferAnswer.answer(
            offer,
            List.of(OPUS, PayloadFormat.PCMU),
            "127.0.0.1",
            5000,
            MediaDirection.SENDRECV,
            1,
            1);
    assertThat(a.media().codec().encodingName()).isEqualTo("opus");
    assertThat(a.media().codec().payloadType()).isEqualTo(111);
  }

  /** RFC 4733 §2.1: the telephone-event at the chosen codec's clock rate is used. */
  @Test
  void telephoneEventFollowsTheCodecClockRate() throws Exception {
    PayloadFormat te48 = new PayloadFormat(110, "telephone-event", 48000, 1, "0-16");
    AudioSdp offer =
        SdpParser.parse(
            "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\n"
                + "m=audio 4000 RTP/AVP 111 0 101 110\r\n"
                + "a=rtpmap:111 opus/48000/2\r\na=rtpmap:101 telephone-event/8000\r\n"
                + "a=rtpmap:110 telephone-event/48000\r\n");
    OfferAnswer.Answer a =
        OfferAnswer.answer(
            offer,
            List.of(OPUS, PayloadFormat.PCMU, PayloadFormat.TELEPHONE_EVENT, te48),
            "127.0.0.1",
            5000,
            MediaDirection.SENDRECV,
            1,
            1);
    assertThat(a.media().codec().encodingName()).isEqualTo("opus");
    assertThat(a.media().telephoneEvent())
        .get()
        .extracting(PayloadFormat::payloadType)
        .isEqualTo(110);
    MediaDescription back =
        OfferAnswer.accept(
            a.sdp(), List.of(OPUS, PayloadFormat.PCMU, PayloadFormat.TELEPHONE_EVENT, te48));
    assertThat(back.telephoneEvent()).get().extracting(PayloadFormat::clockRate).isEqualTo(48000);
  }

  @Test
  void rejectsAnOfferWithoutCommonCodec() throws Exception {
    AudioSdp offer =
        SdpParser.parse(
            "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\n"
                + "m=audio 4000 RTP/AVP 18\r\n");
    assertThatThrownBy(
            () -> OfferAnswer.answer(offer, OURS, "127.0.0.1", 5000, MediaDirection.SENDRECV, 1, 1))
        .isInstanceOfSatisfying(SdpException.class, e -> assertThat(e.noCommonCodec()).isTrue());
  }

  @Test
  void telephoneEventAloneIsNoCommonCodec() throws Exception {
    AudioSdp offer =
        SdpParser.parse(
            "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\n"
                + "m=audio 4000 RTP/AVP 101\r\na=rtpmap:101 telephone-event/8000\r\n");
    assertThatThrownBy(
            () -> OfferAnswer.answer(offer, OURS, "127.0.0.1", 5000, MediaDirection.SENDRECV, 1, 1))
        .isInstanceOf(SdpException.class);
  }

  /** RFC 3264 §6.1: sendonly is answered recvonly, inactive with inactive. */
  @Test
  void answersHoldDirections() throws Exception {
    for (String[] c :
        new String[][] {
          {"sendonly", "RECVONLY"},
          {"recvonly", "SENDONLY"},
          {"inactive", "INACTIVE"},
          {"sendrecv", "SENDRECV"}
        }) {
      AudioSdp offer = SdpParser.parse(BARESIP_LIKE_OFFER.replace("a=sendrecv", "a=" + c[0]));
      OfferAnswer.Answer a =
          OfferAnswer.answer(offer, OURS, "127.0.0.1", 5000, MediaDirection.SENDRECV, 1, 2);
      assertThat(a.media().direction()).isEqualTo(MediaDirection.valueOf(c[1]));
      assertThat(SdpWriter.write(a.sdp())).contains("a=" + c[1].toLowerCase() + "\r\n");
    }
  }

  @Test
  void aHoldingAnswererIntersectsWithTheOffer() throws Exception {
    AudioSdp offer = SdpParser.parse(BARESIP_LIKE_OFFER.replace("a=sendrecv", "a=sendonly"));
    OfferAnswer.Answer a =
        OfferAnswer.answer(offer, OURS, "127.0.0.1", 5000, MediaDirection.SENDONLY, 1, 2);
    assertThat(a.media().direction()).isEqualTo(MediaDirection.INACTIVE);
  }

  /** RFC 3264 §8.4: the RFC 2543 hold, c=0.0.0.0, means the offerer will not receive. */
  @Test
  void readsLegacyHoldAddress() throws Exception {
    AudioSdp offer =
        SdpParser.parse(BARESIP_LIKE_OFFER.replace("c=IN IP4 10.0.0.2", "c=IN IP4 0.0.0.0"));
    assertThat(offer.holds()).isTrue();
    OfferAnswer.Answer a =
        OfferAnswer.answer(offer, OURS, "127.0.0.1", 5000, MediaDirection.SENDRECV, 1, 2);
    assertThat(a.media().direction()).isEqualTo(MediaDirection.RECVONLY);
  }

  @Test
  void offererReadsTheAnswer() throws Exception {
    AudioSdp offer = OfferAnswer.offer("127.0.0.1", 6000, OURS, MediaDirection.SENDRECV, 9, 1);
    String text = SdpWriter.write(offer);
    assertThat(text).startsWith("v=0\r\no=- 9 1 IN IP4 127.0.0.1\r\n");
    assertThat(text)
        .contains("m=audio 6000 RTP/AVP 0 8 101\r\n", "a=ptime:20\r\n", "a=sendrecv\r\n");
    String answer =
        "v=0\r\no=- 5 5 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
            + "m=audio 7000 RTP/AVP 8 101\r\nc=IN IP4 127.0.0.2\r\n"
            + "a=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\na=recvonly\r\n";
    MediaDescription m = OfferAnswer.accept(SdpParser.parse(answer), OURS);
    assertThat(m.codec()).isEqualTo(PayloadFormat.PCMA);
    assertThat(m.remoteRtp().getHostString()).isEqualTo("127.0.0.2");
    assertThat(m.remoteRtp().getPort()).isEqualTo(7000);
    assertThat(m.direction()).isEqualTo(MediaDirection.SENDONLY);
    assertThat(m.ptimeMillis()).isEqualTo(20);
  }

  @Test
  void rejectedAudioStreamInTheAnswerFails() throws Exception {
    String answer =
        "v=0\r\no=- 5 5 IN IP4 1.1.1.1\r\ns=-\r\nc=IN IP4 1.1.1.1\r\nt=0 0\r\nm=audio 0 RTP/AVP 0\r\n";
    assertThatThrownBy(() -> OfferAnswer.accept(SdpParser.parse(answer), OURS))
        .isInstanceOf(SdpException.class);
  }

  @Test
  void otherMediaStreamsAreDeclinedWithPortZero() throws Exception {
    AudioSdp offer =
        SdpParser.parse(
            BARESIP_LIKE_OFFER + "m=video 40002 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n");
    OfferAnswer.Answer a =
        OfferAnswer.answer(offer, OURS, "127.0.0.1", 5000, MediaDirection.SENDRECV, 1, 1);
    assertThat(SdpWriter.write(a.sdp())).contains("m=video 0 RTP/AVP 96\r\n");
  }
}

package org.callchain.phone.internal.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.callchain.media.MediaDirection;
import org.callchain.media.PayloadFormat;
import org.junit.jupiter.api.Test;

class SdpParserTest {

  @Test
  void mediaLevelConnectionOverridesSessionLevel() throws Exception {
    AudioSdp sdp =
        SdpParser.parse(
            "v=0\no=- 1 2 IN IP4 1.1.1.1\ns=-\nc=IN IP4 1.1.1.1\nt=0 0\n"
                + "m=audio 1000 RTP/AVP 0\nc=IN IP4 2.2.2.2/127\n");
    assertThat(sdp.connectionAddress()).isEqualTo("2.2.2.2");
    assertThat(sdp.version()).isEqualTo(2);
  }

  @Test
  void staticPayloadTypesNeedNoRtpmap() throws Exception {
    AudioSdp sdp =
        SdpParser.parse(
            "v=0\r\no=- 1 1 IN IP4 1.1.1.1\r\ns=-\r\nc=IN IP4 1.1.1.1\r\nt=0 0\r\n"
                + "m=audio 1000 RTP/AVP 8 0 97\r\n");
    // 97 has no rtpmap and is dropped (RFC 4566 §6); 8 and 0 are RFC 3551 static types.
    assertThat(sdp.formats()).containsExactly(PayloadFormat.PCMA, PayloadFormat.PCMU);
  }

  @Test
  void sessionLevelDirectionAppliesUnlessTheMediaSaysOtherwise() throws Exception {
    String base =
        "v=0\r\no=- 1 1 IN IP4 1.1.1.1\r\ns=-\r\nc=IN IP4 1.1.1.1\r\nt=0 0\r\na=inactive\r\n"
            + "m=audio 1000 RTP/AVP 0\r\n";
    assertThat(SdpParser.parse(base).direction()).isEqualTo(MediaDirection.INACTIVE);
    assertThat(SdpParser.parse(base + "a=sendonly\r\n").direction())
        .isEqualTo(MediaDirection.SENDONLY);
  }

  @Test
  void refusesSdpWithoutConnectionOrAudio() {
    assertThatThrownBy(
            () ->
                SdpParser.parse(
                    "v=0\r\no=- 1 1 IN IP4 1.1.1.1\r\ns=-\r\nt=0 0\r\nm=audio 1 RTP/AVP 0\r\n"))
        .isInstanceOf(SdpException.class)
        .hasMessageContaining("c=");
    assertThatThrownBy(() -> SdpParser.parse("v=0\r\nc=IN IP4 1.1.1.1\r\nm=video 1 RTP/AVP 31\r\n"))
        .isInstanceOf(SdpException.class)
        .hasMessageContaining("audio");
    assertThatThrownBy(() -> SdpParser.parse("")).isInstanceOf(SdpException.class);
  }

  @Test
  void refusesBadPortsAndPayloadTypes() {
    assertThatThrownBy(
            () -> SdpParser.parse("v=0\r\nc=IN IP4 1.1.1.1\r\nm=audio 70000 RTP/AVP 0\r\n"))
        .isInstanceOf(SdpException.class);
    assertThatThrownBy(
            () -> SdpParser.parse("v=0\r\nc=IN IP4 1.1.1.1\r\nm=audio 1000 RTP/AVP 300\r\n"))
        .isInstanceOf(SdpException.class);
    assertThatThrownBy(() -> SdpParser.parse("v=0\r\nc=IN IP4 1.1.1.1\r\nm=audio x\r\n"))
        .isInstanceOf(SdpException.class);
  }

  @Test
  void writtenSdpParsesBackToTheSameDescription() throws Exception {
    AudioSdp offer =
        OfferAnswer.offer(
            "127.0.0.1",
            4242,
            java.util.List.of(
                PayloadFormat.PCMU,
                new PayloadFormat(111, "opus", 48000, 2, "useinbandfec=1"),
                PayloadFormat.TELEPHONE_EVENT),
            MediaDirection.RECVONLY,
            77,
            3);
    AudioSdp back = SdpParser.parse(SdpWriter.write(offer));
    assertThat(back).isEqualTo(offer);
  }
}

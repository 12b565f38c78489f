package org.callchain.phone.internal.sdp;

import org.callchain.media.PayloadFormat;

/** Writes an {@link AudioSdp} as an SDP body (RFC 4566 §5), CRLF line ends, fields in order. */
public final class SdpWriter {
  private SdpWriter() {}

  public static String write(AudioSdp sdp) {
    String ipVersion = sdp.connectionAddress().contains(":") ? "IP6" : "IP4";
    StringBuilder b = new StringBuilder(256);
    line(b, "v=0");
    line(
        b,
        "o="
            + sdp.originUser()
            + " "
            + sdp.sessionId()
            + " "
            + sdp.version()
            + " IN "
            + ipVersion
            + " "
            + sdp.connectionAddress());
    line(b, "s=Callchain");
    line(b, "c=IN " + ipVersion + " " + sdp.connectionAddress());
    line(b, "t=0 0");
    StringBuilder m = new StringBuilder("m=audio ").append(sdp.audioPort()).append(" RTP/AVP");
    for (PayloadFormat f : sdp.formats()) {
      m.append(' ').append(f.payloadType());
    }
    line(b, m.toString());
    for (PayloadFormat f : sdp.formats()) {
      line(b, "a=rtpmap:" + f.rtpmap());
      if (!f.fmtp().isEmpty()) {
        line(b, "a=fmtp:" + f.payloadType() + " " + f.fmtp());
      }
    }
    if (sdp.ptimeMillis() > 0) {
      line(b, "a=ptime:" + sdp.ptimeMillis());
    }
    line(b, "a=" + sdp.direction().sdpAttribute());
    for (String other : sdp.otherMedia()) {
      // RFC 3264 §6: a rejected stream is answered with port 0 and the offer's formats.
      String[] f = other.split(" +", 3);
      line(b, "m=" + f[0] + " 0 " + (f.length > 2 ? f[2] : "RTP/AVP 0"));
    }
    return b.toString();
  }

  private static void line(StringBuilder b, String s) {
    b.append(s).append("\r\n");
  }
}

package org.callchain.media.internal.codec;

import org.callchain.media.MediaException;
import org.callchain.media.PayloadFormat;

/** Creates the codec for a negotiated payload format. */
public final class Codecs {
  private Codecs() {}

  public static boolean supports(PayloadFormat format) {
    return format.sameEncoding(PayloadFormat.PCMU)
        || format.sameEncoding(PayloadFormat.PCMA)
        || format.sameEncoding(PayloadFormat.OPUS);
  }

  public static AudioCodec create(PayloadFormat format) throws MediaException {
    if (format.sameEncoding(PayloadFormat.PCMU) || format.sameEncoding(PayloadFormat.PCMA)) {
      return new G711Codec(format);
    }
    if (format.sameEncoding(PayloadFormat.OPUS)) {
      return new OpusCodec(format);
    }
    throw new MediaException("unsupported codec " + format.rtpmap());
  }

  /** The PCM rate a codec for {@code format} works at, which is also the recording rate. */
  public static int pcmRate(PayloadFormat format) {
    return format.sameEncoding(PayloadFormat.OPUS) ? OpusCodec.PCM_RATE : 8000;
  }
}

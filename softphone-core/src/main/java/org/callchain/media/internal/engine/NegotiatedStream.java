package org.callchain.media.internal.engine;

import java.util.Optional;
import org.callchain.media.MediaDescription;
import org.callchain.media.PayloadFormat;
import org.callchain.media.internal.codec.AudioCodec;
import org.callchain.media.internal.dtmf.DtmfSender;
import org.callchain.media.internal.jitter.JitterBuffer;

/**
 * A call leg's negotiated stream: the codec, jitter buffer and direction in force, immutable and
 * replaced as a whole when a re-INVITE changes it, so the clock thread (receiving, playing out and
 * sending) always sees a consistent triple.
 */
record NegotiatedStream(
    MediaDescription description,
    AudioCodec codec,
    JitterBuffer jitterBuffer,
    Optional<PayloadFormat> telephoneEvent,
    DtmfSender dtmfSender,
    int ptimeMillis) {}

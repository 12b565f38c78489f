package org.callchain.net.pubsub.internal;

import com.google.protobuf.ByteString;
import java.util.HexFormat;

/** A message id as a map key: the bytes of the configured id function, compared by content. */
record MessageId(ByteString bytes) {
  static MessageId of(byte[] id) {
    return new MessageId(ByteString.copyFrom(id));
  }

  @Override
  public String toString() {
    return HexFormat.of().formatHex(bytes.toByteArray());
  }
}

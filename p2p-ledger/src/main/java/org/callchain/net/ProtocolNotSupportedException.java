package org.callchain.net;

import java.util.List;

/** multistream-select ended in {@code na} for every protocol we proposed. */
public final class ProtocolNotSupportedException extends NetworkException {
  public ProtocolNotSupportedException(List<String> proposed) {
    super("peer supports none of " + proposed);
  }
}

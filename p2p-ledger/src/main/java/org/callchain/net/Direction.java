package org.callchain.net;

/** Which side opened a connection or stream. */
public enum Direction {
  /** We dialled or opened it. */
  OUTBOUND,
  /** The remote peer did. */
  INBOUND
}

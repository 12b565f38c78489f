package org.callchain.phone;

/** Who sent the initial INVITE of a call. */
public enum CallDirection {
  /** This phone received the INVITE. */
  INCOMING,
  /** This phone sent the INVITE. */
  OUTGOING
}

package org.callchain.phone;

/** How a call ended, as a call detail record states it. */
public enum CallDisposition {
  /** It was answered (2xx) and later hung up by either side. */
  ANSWERED,
  /** The callee was busy (486, 600). */
  BUSY,
  /** The callee or the admission hook refused it (403, 603, 488, other 4xx/6xx). */
  REJECTED,
  /** The caller cancelled it before an answer (CANCEL, 487). */
  CANCELLED,
  /** Nobody answered in time (408, 480, or the ring timeout). */
  NO_ANSWER,
  /** Anything else: transport failure, 5xx, a broken transaction. */
  FAILED
}

package org.callchain.media;

/** Media events of one call leg. Called on a media thread: return quickly. */
public interface MediaListener {
  /** A DTMF digit arrived as an RFC 4733 telephone-event (reported once, at its end). */
  void dtmfReceived(char digit);
}

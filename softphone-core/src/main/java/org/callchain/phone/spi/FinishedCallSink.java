package org.callchain.phone.spi;

import org.callchain.phone.FinishedCall;

/**
 * Receives the facts of every finished call (answered or not), once, after the media session has
 * finished (so the recording is complete). Called on the phone's event thread.
 */
@FunctionalInterface
public interface FinishedCallSink {
  void callFinished(FinishedCall call);
}

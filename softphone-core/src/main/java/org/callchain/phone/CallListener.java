package org.callchain.phone;

/** Receives call events, on the phone's event thread: return quickly. */
@FunctionalInterface
public interface CallListener {
  void onEvent(CallEvent event);
}

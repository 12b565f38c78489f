package org.callchain.phone;

/** Receives registration changes, on the phone's event thread. */
@FunctionalInterface
public interface RegistrationListener {
  void onRegistration(RegistrationEvent event);
}

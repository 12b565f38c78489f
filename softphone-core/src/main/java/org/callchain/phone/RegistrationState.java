package org.callchain.phone;

/** Where the phone stands with its registrar (RFC 3261 §10). */
public enum RegistrationState {
  /** No account is configured. */
  NONE,
  /** A REGISTER is in flight (first, refresh or retry). */
  REGISTERING,
  /** The registrar accepted the binding; it is refreshed before it expires. */
  REGISTERED,
  /** The last attempt failed; a retry is scheduled with backoff. */
  FAILED,
  /** The binding was removed on shutdown (Expires: 0). */
  UNREGISTERED
}

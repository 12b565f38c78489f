package org.callchain.phone.internal.jainsip;

import java.util.random.RandomGenerator;
import org.callchain.phone.CallDirection;

/**
 * How long a UAC waits before re-sending a re-INVITE that drew 491 Request Pending (RFC 3261
 * §14.1). The two sides of a glare wait in disjoint ranges so that their retries do not collide
 * again: the UA that owns the Call-ID (it generated it, i.e. the caller of the initial INVITE,
 * §8.1.1.4) waits 2.1-4 s, the other one 0-2 s, both in units of 10 ms.
 */
final class GlareBackoff {
  private GlareBackoff() {}

  /** A fresh random delay for a re-INVITE of a call with this direction, in milliseconds. */
  static long retryDelayMillis(CallDirection direction, RandomGenerator random) {
    if (direction == CallDirection.OUTGOING) {
      return 2100 + 10L * random.nextInt(191);
    }
    return 10L * random.nextInt(201);
  }
}

package org.callchain.media.internal.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A count written by one thread only (the session's clock thread, which sends and receives for it,
 * ADR 0034) and read by any. The writer adds with a plain read and a release store: no atomic
 * read-modify-write and no {@link java.util.concurrent.atomic.LongAdder} cells per packet. A reader
 * sees a value at most a few packets old, which is all statistics need.
 */
final class OwnedCounter {
  private static final VarHandle VALUE;

  static {
    try {
      VALUE = MethodHandles.lookup().findVarHandle(OwnedCounter.class, "value", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @SuppressWarnings("unused") // accessed through VALUE
  private long value;

  /** Adds one; only the owning thread calls this. */
  void increment() {
    add(1);
  }

  /** Adds {@code n}; only the owning thread calls this. */
  void add(long n) {
    VALUE.setRelease(this, (long) VALUE.getOpaque(this) + n);
  }

  long sum() {
    return (long) VALUE.getAcquire(this);
  }
}

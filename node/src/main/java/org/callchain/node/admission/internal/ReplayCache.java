package org.callchain.node.admission.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The tokens seen inside the freshness window (RFC 8224 §12.1: a verifier keeps state to detect a
 * replayed request while its {@code iat} is still fresh). Each token is kept until it could no
 * longer pass the freshness check ({@code iat} + window); memory is bounded by {@code capacity}
 * entries of a short key (the first 128 bits of the signature's {@code r}). A reservation can be
 * released when the call is refused for another reason, so refused tokens (an impostor's, for
 * example) never fill the cache. Thread-safe.
 */
public final class ReplayCache {
  /** What {@link #reserve} found. */
  public enum Result {
    NEW,
    REPLAYED,
    FULL
  }

  private record Expiry(long atSecond, String key) {}

  private final int capacity;
  private final Map<String, Long> seen = new HashMap<>();
  private final PriorityQueue<Expiry> byExpiry =
      new PriorityQueue<>((a, b) -> Long.compare(a.atSecond, b.atSecond));

  public ReplayCache(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1");
    }
    this.capacity = capacity;
  }

  /** The cache key of a token's base64url signature part. */
  public static String keyOf(String signaturePart) {
    return signaturePart.length() <= 22 ? signaturePart : signaturePart.substring(0, 22);
  }

  /**
   * Records {@code key} until {@code expiresAtSecond} unless it is already there (a replay) or the
   * cache holds {@code capacity} live entries.
   */
  public synchronized Result reserve(String key, long expiresAtSecond, long nowSecond) {
    purge(nowSecond);
    Long known = seen.get(key);
    if (known != null) {
      return Result.REPLAYED;
    }
    if (seen.size() >= capacity) {
      return Result.FULL;
    }
    seen.put(key, expiresAtSecond);
    byExpiry.add(new Expiry(expiresAtSecond, key));
    return Result.NEW;
  }

  /** Forgets a reservation (the call was refused for another reason). */
  public synchronized void release(String key) {
    seen.remove(key);
  }

  public synchronized int size() {
    return seen.size();
  }

  private void purge(long nowSecond) {
    while (!byExpiry.isEmpty() && byExpiry.peek().atSecond < nowSecond) {
      Expiry e = byExpiry.poll();
      seen.remove(e.key, e.atSecond);
    }
    // Released keys leave their queue entries behind; keep the queue from growing without bound.
    if (byExpiry.size() > 2 * capacity + 16) {
      byExpiry.removeIf(e -> !Long.valueOf(e.atSecond).equals(seen.get(e.key)));
    }
  }
}

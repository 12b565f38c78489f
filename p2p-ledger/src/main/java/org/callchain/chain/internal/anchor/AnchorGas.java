package org.callchain.chain.internal.anchor;

/**
 * What an anchor costs in gas, as {@code bench/chain} measured it on Anvil 1.7.1 (Cancun schedule;
 * {@code bench/results/chain-20261201T152700Z.json}, ADR 0052), steady state (the device's storage
 * word already non-zero): a device's own {@code anchor} 35,134; an {@code anchorBatch} of n entries
 * 26,030 + 16,460·n (within 10 gas of every measured size, 1 to 64). The aggregator uses it only to
 * decide whether a batch is worth sending; a contract or schedule that costs otherwise shifts that
 * decision, never what is anchored.
 */
final class AnchorGas {
  static final long SINGLE = 35_134;
  static final long BATCH_BASE = 26_030;
  static final long BATCH_ENTRY = 16_460;

  private AnchorGas() {}

  static long batch(int entries) {
    return BATCH_BASE + BATCH_ENTRY * entries;
  }

  /**
   * Whether one batch of {@code due} due entries and {@code joined} entries not yet due costs no
   * more than single anchoring at the same cadence: each due entry its own {@code anchor} now, each
   * joined entry the share of its own next {@code anchor} that it has used up, the larger of its
   * records and its age as fractions of the cadence's ({@code joinedShare} is their sum).
   */
  static boolean batchNoDearerThanSingle(int due, int joined, double joinedShare) {
    return batch(due + joined) <= SINGLE * (due + joinedShare);
  }
}

package org.callchain.ledger;

import org.callchain.identity.DeviceAddress;

/**
 * One thing an audit found wrong, and exactly where: which device's log, which part ({@link
 * Where}), which position in it (leaf index, checkpoint tree size, node index at {@code level},
 * evidence sequence), which recording file, and what differs.
 */
public record AuditProblem(
    Where where, DeviceAddress device, long position, int level, String file, String detail) {

  /** The part of the store (or recordings) a problem is in. */
  public enum Where {
    /** A stored entry that fits no part of the layout. */
    STORE,
    /** A log's head (its committed size). */
    HEAD,
    /** A leaf (position = leaf index). */
    LEAF,
    /** A stored complete-subtree hash (position = node index, at {@code level}). */
    NODE,
    /** A signed checkpoint (position = tree size). */
    CHECKPOINT,
    /** The call-id index (position = leaf index). */
    CALL_INDEX,
    /** Equivocation evidence (position = sequence number), or the equivocation it proves. */
    EQUIVOCATION,
    /** A recording file (position = leaf index of the record that names it). */
    RECORDING,
    /** An anchored checkpoint the log no longer matches (position = anchored tree size). */
    ANCHOR
  }

  /** Where, as a person reads it: {@code device 0x.. leaf 17}. */
  public String location() {
    StringBuilder b = new StringBuilder();
    if (device != null) {
      b.append("device ").append(device).append(' ');
    }
    switch (where) {
      case STORE -> b.append("store");
      case HEAD -> b.append("head");
      case LEAF -> b.append("leaf ").append(position);
      case NODE -> b.append("tree node level ").append(level).append(" index ").append(position);
      case CHECKPOINT -> b.append("checkpoint at size ").append(position);
      case CALL_INDEX -> b.append("call index for leaf ").append(position);
      case EQUIVOCATION -> b.append("equivocation evidence #").append(position);
      case RECORDING -> b.append("leaf ").append(position).append(" recording file ").append(file);
      case ANCHOR -> b.append("anchor at size ").append(position);
    }
    return b.toString();
  }

  @Override
  public String toString() {
    return location() + ": " + detail;
  }
}

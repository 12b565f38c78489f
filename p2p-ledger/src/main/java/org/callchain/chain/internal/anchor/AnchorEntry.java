package org.callchain.chain.internal.anchor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.callchain.chain.AnchorCheckpoint;

/**
 * One queued checkpoint and how far its anchor transaction got.
 *
 * <ul>
 *   <li>{@link State#QUEUED}: no nonce yet (or its transaction reverted and it waits to be sent
 *       again; the reason is in {@code lastError}).
 *   <li>{@link State#SENT}: a nonce is assigned and the signed transaction is stored; it is
 *       (re-)broadcast until a receipt shows up.
 *   <li>{@link State#MINED}: a successful receipt was seen in {@code minedBlock}; it is confirmed
 *       once that block is deep enough and still canonical.
 * </ul>
 *
 * @param seq the queue position (checkpoints are queued in growing tree size)
 * @param signedAt when the current transaction was signed (a fee bump signs a new one)
 * @param replacedHashes earlier transactions of the same nonce, replaced by fee bumps: any of them
 *     may still be the one mined
 */
public record AnchorEntry(
    long seq,
    AnchorCheckpoint checkpoint,
    Instant queuedAt,
    State state,
    long nonce,
    Optional<String> signedTransaction,
    Optional<String> transactionHash,
    Instant lastBroadcast,
    long minedBlock,
    Optional<String> minedBlockHash,
    int attempts,
    Optional<String> lastError,
    Instant signedAt,
    List<String> replacedHashes) {

  public AnchorEntry {
    replacedHashes = List.copyOf(replacedHashes);
  }

  /** Where an entry is; see the class comment. */
  public enum State {
    QUEUED,
    SENT,
    MINED
  }

  public static AnchorEntry queued(long seq, AnchorCheckpoint checkpoint, Instant at) {
    return new AnchorEntry(
        seq,
        checkpoint,
        at,
        State.QUEUED,
        -1,
        Optional.empty(),
        Optional.empty(),
        Instant.EPOCH,
        -1,
        Optional.empty(),
        0,
        Optional.empty(),
        Instant.EPOCH,
        List.of());
  }

  public AnchorEntry sent(long assignedNonce, String signed, String hash, Instant at) {
    return new AnchorEntry(
        seq,
        checkpoint,
        queuedAt,
        State.SENT,
        assignedNonce,
        Optional.of(signed),
        Optional.of(hash),
        at,
        -1,
        Optional.empty(),
        attempts + 1,
        Optional.empty(),
        at,
        List.of());
  }

  public AnchorEntry rebroadcast(Instant at) {
    return new AnchorEntry(
        seq,
        checkpoint,
        queuedAt,
        State.SENT,
        nonce,
        signedTransaction,
        transactionHash,
        at,
        -1,
        Optional.empty(),
        attempts,
        lastError,
        signedAt,
        replacedHashes);
  }

  public AnchorEntry mined(long block, String blockHash) {
    return new AnchorEntry(
        seq,
        checkpoint,
        queuedAt,
        State.MINED,
        nonce,
        signedTransaction,
        transactionHash,
        lastBroadcast,
        block,
        Optional.of(blockHash),
        attempts,
        Optional.empty(),
        signedAt,
        replacedHashes);
  }

  /**
   * Anchored by someone else's transaction (an aggregator's batch, ADR 0093): {@code anchored} is
   * the checkpoint that landed (this one or a later one of the same log). No nonce of ours, no
   * signed transaction; the receipt of {@code hash} is followed to its confirmation depth.
   */
  public AnchorEntry adopted(AnchorCheckpoint anchored, String hash, long block, String blockHash) {
    return new AnchorEntry(
        seq,
        anchored,
        queuedAt,
        State.MINED,
        -1,
        Optional.empty(),
        Optional.of(hash),
        lastBroadcast,
        block,
        Optional.of(blockHash),
        attempts,
        Optional.empty(),
        signedAt,
        List.of());
  }

  /** Back to the queue without a nonce: its transaction reverted or its nonce was taken. */
  public AnchorEntry requeued(String why) {
    return new AnchorEntry(
        seq,
        checkpoint,
        queuedAt,
        State.QUEUED,
        -1,
        Optional.empty(),
        Optional.empty(),
        Instant.EPOCH,
        -1,
        Optional.empty(),
        attempts,
        Optional.of(why),
        Instant.EPOCH,
        List.of());
  }

  public AnchorEntry failing(String why) {
    return new AnchorEntry(
        seq,
        checkpoint,
        queuedAt,
        state,
        nonce,
        signedTransaction,
        transactionHash,
        lastBroadcast,
        minedBlock,
        minedBlockHash,
        attempts,
        Optional.of(why),
        signedAt,
        replacedHashes);
  }

  /** The same nonce, a new transaction with higher fees; the old one may still be mined. */
  public AnchorEntry bumped(String signed, String hash, Instant at) {
    List<String> replaced = new ArrayList<>(replacedHashes);
    replaced.add(transactionHash.orElseThrow());
    return new AnchorEntry(
        seq,
        checkpoint,
        queuedAt,
        State.SENT,
        nonce,
        Optional.of(signed),
        Optional.of(hash),
        at,
        -1,
        Optional.empty(),
        attempts + 1,
        lastError,
        at,
        replaced);
  }

  /** Every transaction of this entry's nonce, newest first. */
  public List<String> allHashes() {
    List<String> all = new ArrayList<>();
    transactionHash.ifPresent(all::add);
    for (int i = replacedHashes.size() - 1; i >= 0; i--) {
      all.add(replacedHashes.get(i));
    }
    return all;
  }
}

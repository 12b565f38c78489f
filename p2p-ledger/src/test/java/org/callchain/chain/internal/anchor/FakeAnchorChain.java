package org.callchain.chain.internal.anchor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.callchain.chain.AnchorCheckpoint;
import org.callchain.chain.ChainException;
import org.callchain.chain.ChainException.Reason;

/**
 * Test double of a chain with one sending account: a mempool, blocks mined on demand in nonce
 * order, reorgs that drop blocks (their transactions are lost, as on a restarted dev chain),
 * outages, and the LedgerAnchor rule (sizes grow strictly, revoked devices refused).
 */
final class FakeAnchorChain implements AnchorChain {
  record Tx(
      String raw,
      String hash,
      long nonce,
      long size,
      boolean foreign,
      int feeLevel,
      boolean otherAccount) {
    Tx(String raw, String hash, long nonce, long size, boolean foreign, int feeLevel) {
      this(raw, hash, nonce, size, foreign, feeLevel, false);
    }
  }

  private record Mined(Tx tx, boolean success) {}

  private final Map<String, Tx> mempool = new LinkedHashMap<>();
  private final Map<String, Tx> signed = new HashMap<>();
  private final List<List<Mined>> blocks = new ArrayList<>();
  private int fork;
  boolean down;
  boolean revoked;
  boolean revertOnChain;
  int broadcasts;
  int latestAnchorReads;
  int anchoredSizeReads;

  /** Transactions below this fee level stay in the mempool (the market moved above them). */
  int minFeeLevel;

  /** Whether a replacement evicts the transaction it replaces (as real mempools do). */
  boolean replacementEvicts = true;

  @Override
  public SignedAnchor replace(String rawTransaction, AnchorCheckpoint checkpoint)
      throws ChainException {
    outage();
    Tx old = signed.get(rawTransaction);
    int level = old.feeLevel() + 1;
    String raw = old.raw() + "-bump" + level;
    String hash = old.hash() + "-bump" + level;
    signed.put(raw, new Tx(raw, hash, old.nonce(), old.size(), false, level));
    return new SignedAnchor(raw, hash);
  }

  @Override
  public void simulate(AnchorCheckpoint checkpoint) throws ChainException {
    outage();
    if (revoked) {
      throw new ChainException(Reason.REVERTED, "contract refused: device is not active");
    }
    if (checkpoint.treeSize() <= anchoredSizeNow()) {
      throw new ChainException(Reason.REVERTED, "contract refused: size not greater");
    }
  }

  @Override
  public SignedAnchor sign(long nonce, AnchorCheckpoint checkpoint) throws ChainException {
    outage();
    String raw = "raw-" + nonce + "-" + checkpoint.treeSize();
    String hash = "hash-" + nonce + "-" + checkpoint.treeSize();
    signed.put(raw, new Tx(raw, hash, nonce, checkpoint.treeSize(), false, 0));
    return new SignedAnchor(raw, hash);
  }

  @Override
  public void broadcast(String rawTransaction) throws ChainException {
    outage();
    broadcasts++;
    Tx tx = signed.get(rawTransaction);
    if (!minedHashes().contains(tx.hash()) && tx.nonce() >= minedNonce()) {
      if (replacementEvicts) {
        mempool.values().removeIf(t -> t.nonce() == tx.nonce() && t.feeLevel() < tx.feeLevel());
      }
      mempool.put(tx.hash(), tx);
    }
  }

  /** Someone else sends from the same account. */
  void foreignTransaction() {
    long n =
        Math.max(minedNonce(), mempool.values().stream().mapToLong(Tx::nonce).max().orElse(-1) + 1);
    Tx tx = new Tx("foreign-" + n, "foreign-hash-" + n, n, 0, true, Integer.MAX_VALUE);
    mempool.put(tx.hash(), tx);
  }

  /** Mines one block with every mempool transaction whose nonce is next in line. */
  void mine() {
    List<Mined> block = new ArrayList<>();
    boolean progress = true;
    while (progress) {
      progress = false;
      long next = minedNonce() + block.size();
      for (Tx tx : List.copyOf(mempool.values())) {
        if (tx.nonce() == next && tx.feeLevel() >= minFeeLevel) {
          long anchored = Math.max(anchoredSizeNow(), maxSize(block));
          boolean ok = tx.foreign() || (!revertOnChain && !revoked && tx.size() > anchored);
          block.add(new Mined(tx, ok));
          mempool.remove(tx.hash());
          progress = true;
          break;
        }
      }
    }
    mempool.values().removeIf(tx -> tx.nonce() < minedNonce() + block.size());
    blocks.add(block);
  }

  /**
   * Another account's {@code anchorBatch} lands in a block of its own and anchors {@code size} for
   * this device (ADR 0093); it uses none of this account's nonces. Returns its hash.
   */
  String batchBlock(long size) {
    String hash = "batch-" + size + "-at-" + (blocks.size() + 1);
    blocks.add(
        new ArrayList<>(
            List.of(
                new Mined(
                    new Tx(hash, hash, -1, size, false, 0, true), size > anchoredSizeNow()))));
    return hash;
  }

  @Override
  public Optional<org.callchain.chain.OnChainAnchor> latestAnchor() throws ChainException {
    outage();
    latestAnchorReads++;
    org.callchain.chain.OnChainAnchor out = null;
    for (int i = 0; i < blocks.size(); i++) {
      for (Mined m : blocks.get(i)) {
        if (m.success()
            && !m.tx().foreign()
            && (out == null || m.tx().size() > out.checkpoint().treeSize())) {
          byte[] root = new byte[32];
          root[0] = (byte) m.tx().size();
          out =
              new org.callchain.chain.OnChainAnchor(
                  org.callchain.chain.DeviceAddress.parse("0x" + "11".repeat(20)),
                  new AnchorCheckpoint(m.tx().size(), new org.callchain.chain.RootHash(root)),
                  0,
                  java.time.Instant.EPOCH,
                  m.tx().hash(),
                  i + 1,
                  hashOf(i + 1));
        }
      }
    }
    return Optional.ofNullable(out);
  }

  void mine(int n) {
    for (int i = 0; i < n; i++) {
      mine();
    }
  }

  /** Drops the newest {@code n} blocks and forgets their transactions and the mempool. */
  void reorgDropping(int n) {
    for (int i = 0; i < n && !blocks.isEmpty(); i++) {
      blocks.remove(blocks.size() - 1);
    }
    mempool.clear();
    fork++;
  }

  /** How many times each tree size was anchored by this account on the canonical chain. */
  Map<Long, Integer> landings() {
    Map<Long, Integer> out = new HashMap<>();
    for (List<Mined> b : blocks) {
      for (Mined m : b) {
        if (m.success() && !m.tx().foreign() && !m.tx().otherAccount()) {
          out.merge(m.tx().size(), 1, Integer::sum);
        }
      }
    }
    return out;
  }

  List<Long> minedNonces() {
    List<Long> out = new ArrayList<>();
    blocks.forEach(
        b -> b.stream().filter(m -> !m.tx().otherAccount()).forEach(m -> out.add(m.tx().nonce())));
    return out;
  }

  @Override
  public Optional<Receipt> receipt(String transactionHash) throws ChainException {
    outage();
    for (int i = 0; i < blocks.size(); i++) {
      for (Mined m : blocks.get(i)) {
        if (m.tx().hash().equals(transactionHash)) {
          return Optional.of(new Receipt(i + 1, hashOf(i + 1), m.success()));
        }
      }
    }
    return Optional.empty();
  }

  @Override
  public long blockNumber() throws ChainException {
    outage();
    return blocks.size();
  }

  @Override
  public Optional<String> blockHash(long number) throws ChainException {
    outage();
    return number >= 1 && number <= blocks.size() ? Optional.of(hashOf(number)) : Optional.empty();
  }

  @Override
  public long minedNonce() {
    return blocks.stream()
        .mapToLong(b -> b.stream().filter(m -> !m.tx().otherAccount()).count())
        .sum();
  }

  @Override
  public long anchoredSize() {
    anchoredSizeReads++;
    return anchoredSizeNow();
  }

  private long anchoredSizeNow() {
    long max = 0;
    for (List<Mined> b : blocks) {
      max = Math.max(max, maxSize(b));
    }
    return max;
  }

  @Override
  public String revertReason(AnchorCheckpoint checkpoint) {
    return revoked ? "device is not active" : "reverted";
  }

  private static long maxSize(List<Mined> block) {
    return block.stream().filter(Mined::success).mapToLong(m -> m.tx().size()).max().orElse(0);
  }

  private List<String> minedHashes() {
    List<String> out = new ArrayList<>();
    blocks.forEach(b -> b.forEach(m -> out.add(m.tx().hash())));
    return out;
  }

  private String hashOf(long number) {
    return "block-" + number + "-fork-" + fork;
  }

  private void outage() throws ChainException {
    if (down) {
      throw new ChainException(Reason.UNREACHABLE, "endpoint unreachable");
    }
  }
}

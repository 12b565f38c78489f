package org.callchain.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.callchain.identity.DeviceKey;
import org.callchain.identity.internal.web3j.Web3jDeviceKey;
import org.callchain.ledger.AnchorReference;
import org.callchain.ledger.AnchoredCheckpoint;
import org.callchain.ledger.AnchoredProofs;
import org.callchain.ledger.AuditProblem;
import org.callchain.ledger.AuditReport;
import org.callchain.ledger.BundleRejectedException;
import org.callchain.ledger.CallRecord;
import org.callchain.ledger.DeviceLog;
import org.callchain.ledger.Hash256;
import org.callchain.ledger.Ledger;
import org.callchain.ledger.LedgerAudit;
import org.callchain.ledger.LedgerStore;
import org.callchain.ledger.Ledgers;
import org.callchain.ledger.LogView;
import org.callchain.ledger.ProofBundle;
import org.callchain.ledger.SyntheticCalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A device's ledger anchored on a real Anvil by its anchor service, then checked against the chain:
 * the audit names a log rewritten after anchoring (same key, fresh self-consistent checkpoints,
 * which only the anchor contradicts) and a log that lost anchored records; a proof bundle carries
 * its anchor reference, and one whose reference was forged is refused.
 */
class AnchoredLedgerInteropIT {
  @TempDir Path data;

  /** A ledger of {@code key} with commits of the given sizes (records from {@code seed}). */
  private static Ledger ledger(LedgerStore store, DeviceKey key, long seed, int... commits)
      throws Exception {
    SyntheticCalls calls = new SyntheticCalls(key.address(), seed);
    List<CallRecord> records = new ArrayList<>();
    for (int n : commits) {
      for (int i = 0; i < n; i++) {
        records.add(calls.next());
      }
    }
    return ledger(store, key, records, commits);
  }

  /** A ledger of {@code key} holding {@code records} committed in batches of the given sizes. */
  private static Ledger ledger(
      LedgerStore store, DeviceKey key, List<CallRecord> records, int... commits) throws Exception {
    Ledger ledger = Ledgers.open(store, Clock.systemUTC());
    DeviceLog log = ledger.ownLog(key);
    int next = 0;
    for (int n : commits) {
      for (int i = 0; i < n; i++) {
        log.append(records.get(next++));
      }
      log.commit();
    }
    return ledger;
  }

  /** Anchors every checkpoint of {@code log} through the anchor service, one confirmation. */
  private static List<OnChainAnchor> anchorAll(
      AnvilChain chain, ChainConfig config, int keyIndex, LogView log) throws Exception {
    try (ChainConnection connection = Chains.connect(config);
        AnchorService service = Chains.anchorService(connection, config, chain.key(keyIndex))) {
      for (org.callchain.ledger.Checkpoint c : log.checkpoints(1, log.size() + 1)) {
        service.anchorNow(LedgerAnchors.checkpointOf(c));
      }
      AnchorServiceInteropIT.await(
          "every checkpoint anchored",
          () -> service.confirmed().size() == log.checkpoints(1, log.size() + 1).size(),
          Duration.ofSeconds(60));
      return Chains.anchorHistory(connection, LedgerAnchors.chainDevice(log.device()), 0);
    }
  }

  private static List<AnchoredCheckpoint> anchored(List<OnChainAnchor> history) {
    return history.stream().map(LedgerAnchors::anchored).toList();
  }

  @Test
  void auditNamesALogRewrittenOrCutShortAfterItWasAnchored() throws Exception {
    try (AnvilChain chain = AnvilChain.start(Duration.ZERO)) {
      ChainConfig config = chain.config(data).withConfirmations(1);
      DeviceKey key = new Web3jDeviceKey(chain.key(3).getEcKeyPair());
      try (ChainConnection c = Chains.connect(config)) {
        Chains.registryAdmin(c, chain.key(0)).register(chain.address(3), "sip:desk3@example.com");
      }
      LedgerStore honest = Ledgers.inMemoryStore();
      List<OnChainAnchor> history;
      List<CallRecord> records = new ArrayList<>();
      try (Ledger ledger = ledger(honest, key, 1, 5, 3)) {
        LogView log = ledger.log(key.address()).orElseThrow();
        history = anchorAll(chain, config, 3, log);
        for (long i = 0; i < log.size(); i++) {
          records.add(log.record(i));
        }
      }
      assertThat(history).extracting(a -> a.checkpoint().treeSize()).containsExactly(5L, 8L);

      AuditReport clean = LedgerAudit.run(honest, null, anchored(history));
      assertThat(clean.problems()).isEmpty();
      assertThat(clean.anchorsChecked()).isEqualTo(2);
      assertThat(clean.coverageLine()).contains("2 anchored checkpoints");

      // The key holder rewrites history: other records, freshly signed, self-consistent.
      LedgerStore rewritten = Ledgers.inMemoryStore();
      ledger(rewritten, key, 2, 5, 3).close();
      assertThat(LedgerAudit.run(rewritten, null).problems()).isEmpty();
      AuditReport caught = LedgerAudit.run(rewritten, null, anchored(history));
      assertThat(caught.problems())
          .extracting(AuditProblem::where, AuditProblem::device, AuditProblem::position)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(AuditProblem.Where.ANCHOR, key.address(), 5L),
              org.assertj.core.groups.Tuple.tuple(AuditProblem.Where.ANCHOR, key.address(), 8L));
      OnChainAnchor first = history.get(0);
      assertThat(caught.problems().get(0).toString())
          .contains("device " + key.address() + " anchor at size 5")
          .contains("tx " + first.transactionHash())
          .contains("block " + first.blockNumber())
          .contains("rewritten");

      // Only the first batch is kept: the rewrite keeps size 5 honest, drops the rest.
      LedgerStore cut = Ledgers.inMemoryStore();
      ledger(cut, key, records, 5).close();
      AuditReport gone = LedgerAudit.run(cut, null, anchored(history));
      assertThat(gone.problems()).hasSize(1);
      assertThat(gone.problems().get(0).toString())
          .contains("anchor at size 8")
          .contains("its log here has only 5")
          .contains("tx " + history.get(1).transactionHash());
    }
  }

  @Test
  void aBundleCarriesItsAnchorAndAForgedReferenceIsRefused() throws Exception {
    try (AnvilChain chain = AnvilChain.start(Duration.ZERO)) {
      ChainConfig config = chain.config(data).withConfirmations(1);
      DeviceKey key = new Web3jDeviceKey(chain.key(4).getEcKeyPair());
      try (ChainConnection c = Chains.connect(config)) {
        Chains.registryAdmin(c, chain.key(0)).register(chain.address(4), "sip:desk4@example.com");
      }
      try (Ledger ledger = ledger(Ledgers.inMemoryStore(), key, 7, 4, 4, 4);
          ChainConnection connection = Chains.connect(config)) {
        LogView log = ledger.log(key.address()).orElseThrow();
        List<OnChainAnchor> history = anchorAll(chain, config, 4, log);
        List<AnchorReference> refs =
            history.stream().map(a -> LedgerAnchors.reference(connection, a)).toList();

        // Leaf 5 was committed in the checkpoint of size 8, first anchored at size 8.
        ProofBundle bundle = ProofBundle.parse(AnchoredProofs.export(log, 5, refs).toJson());
        assertThat(bundle.checkpoint().treeSize()).isEqualTo(8);
        assertThat(bundle.anchor()).isEqualTo(refs.get(1));
        assertThat(bundle.anchorConsistency().fromSize()).isEqualTo(8);
        bundle.verify(key.address());
        OnChainAnchor found = verifyOnChain(connection, bundle);
        assertThat(found.transactionHash()).isEqualTo(history.get(1).transactionHash());

        // Anchored only at 12 (the leaf's checkpoint is 8): consistency 8 -> 12 is in the bundle.
        ProofBundle later = AnchoredProofs.export(log, 5, refs.subList(2, 3));
        assertThat(later.anchorConsistency().toSize()).isEqualTo(12);
        later.verify(key.address());
        verifyOnChain(connection, later);

        // Forged: the tx of another anchor, another block, another root.
        AnchorReference real = bundle.anchor();
        ProofBundle otherTx =
            withAnchor(
                bundle,
                new AnchorReference(
                    real.chainId(),
                    real.contractAddress(),
                    history.get(0).transactionHash(),
                    real.blockNumber(),
                    real.anchoredTreeSize(),
                    real.anchoredRoot()));
        otherTx.verify(key.address()); // offline it cannot tell
        assertThatThrownBy(() -> verifyOnChain(connection, otherTx))
            .isInstanceOf(ChainException.class)
            .hasMessageContaining("not " + real.blockNumber());
        ProofBundle otherBlock =
            withAnchor(
                bundle,
                new AnchorReference(
                    real.chainId(),
                    real.contractAddress(),
                    real.transactionHash(),
                    real.blockNumber() + 1,
                    real.anchoredTreeSize(),
                    real.anchoredRoot()));
        assertThatThrownBy(() -> verifyOnChain(connection, otherBlock))
            .isInstanceOf(ChainException.class)
            .hasMessageContaining("is in block " + real.blockNumber());
        byte[] root = real.anchoredRoot().toBytes();
        root[0] ^= 1;
        ProofBundle otherRoot =
            withAnchor(
                bundle,
                new AnchorReference(
                    real.chainId(),
                    real.contractAddress(),
                    real.transactionHash(),
                    real.blockNumber(),
                    real.anchoredTreeSize(),
                    Hash256.of(root)));
        assertThatThrownBy(() -> otherRoot.verify(key.address()))
            .isInstanceOf(BundleRejectedException.class)
            .hasMessageContaining("does not lead from the signed root to the anchored root");
        // A forger who also forges the proof's target still needs the event on chain.
        assertThatThrownBy(
                () ->
                    Chains.verifyAnchor(
                        connection,
                        LedgerAnchors.chainDevice(key.address()),
                        LedgerAnchors.checkpointOf(otherRoot.anchor()),
                        real.transactionHash(),
                        real.blockNumber()))
            .isInstanceOf(ChainException.class)
            .hasMessageContaining("holds no anchor of device");
      }
    }
  }

  private static OnChainAnchor verifyOnChain(ChainConnection connection, ProofBundle b)
      throws ChainException {
    return Chains.verifyAnchor(
        connection,
        LedgerAnchors.chainDevice(b.device()),
        LedgerAnchors.checkpointOf(b.anchor()),
        b.anchor().transactionHash(),
        b.anchor().blockNumber());
  }

  private static ProofBundle withAnchor(ProofBundle b, AnchorReference forged) {
    return new ProofBundle(
        b.leafIndex(),
        b.leaf(),
        b.record(),
        b.proof(),
        b.checkpoint(),
        forged,
        b.anchorConsistency());
  }
}

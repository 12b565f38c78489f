package org.callchain.chain.internal.anchor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.callchain.chain.AnchorAggregator;
import org.callchain.chain.AnchorCheckpoint;
import org.callchain.chain.AnchorContract;
import org.callchain.chain.AnchorStatement;
import org.callchain.chain.BatchAnchorer;
import org.callchain.chain.ChainException;
import org.callchain.chain.DeviceAddress;
import org.callchain.chain.RootHash;
import org.callchain.ledger.testing.TestKeys;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;

/**
 * {@link BatchAggregator}'s rules against a test double of the chain: only the leader sends; the
 * due statements of several devices go in one batch; what is anchored already is left out; an entry
 * the contract refuses is dropped and the rest sent in the same round; the cadence decides what is
 * due.
 */
class BatchAggregatorTest {
  private static final AnchorContract CONTRACT =
      new AnchorContract(31337, DeviceAddress.parse("0x5FbDB2315678afecb367f032d93F642f64180aa3"));

  private final Map<DeviceAddress, Long> onChain = new HashMap<>();
  private final List<List<AnchorStatement>> sent = new ArrayList<>();
  private final AtomicBoolean leading = new AtomicBoolean(true);
  private final AnchorEngineBatchTest.SettableClock clock =
      new AnchorEngineBatchTest.SettableClock(Instant.parse("2026-12-01T18:00:00Z"));
  private int refuseEntry = -1;

  private final BatchAnchorer anchorer =
      new BatchAnchorer() {
        @Override
        public AnchorStatement sign(Credentials device, AnchorCheckpoint checkpoint) {
          return CONTRACT.sign(device, checkpoint);
        }

        @Override
        public BatchReceipt submit(List<AnchorStatement> statements) throws ChainException {
          if (refuseEntry >= 0) {
            int i = refuseEntry;
            refuseEntry = -1;
            throw new ChainException(
                ChainException.Reason.REVERTED,
                "contract refused (anchoring a batch of "
                    + statements.size()
                    + "): batch entry "
                    + i
                    + ": tree size 1 does not grow");
          }
          sent.add(List.copyOf(statements));
          for (AnchorStatement s : statements) {
            onChain.put(s.device(), s.checkpoint().treeSize());
          }
          return new BatchReceipt("0xbatch" + sent.size(), 10, 60_000, statements.size());
        }
      };

  private BatchAggregator aggregator(int everyRecords, Duration every) {
    return new BatchAggregator(
        anchorer,
        d -> onChain.getOrDefault(d, 0L),
        leading::get,
        everyRecords,
        every,
        Duration.ZERO,
        clock);
  }

  private static AnchorStatement statement(String device, long size) {
    byte[] root = new byte[32];
    root[0] = (byte) size;
    return CONTRACT.sign(
        TestKeys.credentials(device), new AnchorCheckpoint(size, new RootHash(root)));
  }

  @Test
  void theLeaderAnchorsThreeDevicesInOneBatch() {
    try (BatchAggregator a = aggregator(1, Duration.ofSeconds(60))) {
      a.offer(statement("alice", 2));
      a.offer(statement("bob", 1));
      a.offer(statement("carol", 3));
      a.round();
      assertThat(sent).hasSize(1);
      assertThat(sent.get(0)).hasSize(3);
      assertThat(a.totals()).isEqualTo(new AnchorAggregator.Totals(1, 3, 6, 60_000, 0));
      a.round();
      assertThat(sent).hasSize(1); // nothing left
    }
  }

  @Test
  void aNodeThatDoesNotLeadSendsNothingButKeepsTheStatements() {
    try (BatchAggregator a = aggregator(1, Duration.ofSeconds(60))) {
      leading.set(false);
      a.offer(statement("alice", 2));
      a.offer(statement("bob", 2));
      a.round();
      assertThat(sent).isEmpty();
      leading.set(true);
      a.round();
      assertThat(sent).hasSize(1);
    }
  }

  @Test
  void whatIsAnchoredAlreadyIsLeftOutAndALargerStatementReplacesASmallerOne() {
    try (BatchAggregator a = aggregator(1, Duration.ofSeconds(60))) {
      a.offer(statement("alice", 2));
      a.offer(statement("alice", 4));
      a.offer(statement("alice", 3)); // older, ignored
      a.offer(statement("bob", 5));
      a.offer(statement("carol", 1));
      onChain.put(statement("bob", 5).device(), 5L); // bob anchored alone meanwhile
      a.round();
      assertThat(sent).containsExactly(List.of(statement("alice", 4), statement("carol", 1)));
    }
  }

  @Test
  void anEntryTheContractRefusesIsDroppedAndTheRestSentInTheSameRound() {
    try (BatchAggregator a = aggregator(1, Duration.ofSeconds(60))) {
      a.offer(statement("alice", 2));
      a.offer(statement("bob", 1));
      a.offer(statement("carol", 3));
      refuseEntry = 1;
      a.round();
      assertThat(sent).hasSize(1);
      assertThat(sent.get(0)).containsExactly(statement("alice", 2), statement("carol", 3));
      assertThat(a.totals().refused()).isEqualTo(1);
    }
  }

  @Test
  void aBatchThatGoesAnywayTakesTheStatementsHalfWayToDue() {
    try (BatchAggregator a = aggregator(10, Duration.ofSeconds(60))) {
      a.offer(statement("alice", 12)); // due
      a.offer(statement("bob", 7)); // half-way by records
      a.offer(statement("carol", 4)); // not yet
      a.round();
      assertThat(sent).containsExactly(List.of(statement("alice", 12), statement("bob", 7)));
    }
  }

  @Test
  void aLoneDueStatementIsNotSentAsABatchOfOne() {
    // A batch of one costs ~7,400 gas more than the device's own anchor (ADR 0052): the device
    // sends it itself after its batch wait, unless another device comes half-way meanwhile.
    try (BatchAggregator a = aggregator(10, Duration.ofSeconds(60))) {
      a.offer(statement("alice", 12)); // due
      a.offer(statement("bob", 4)); // below half-way
      a.round();
      assertThat(sent).isEmpty();
      a.offer(statement("bob", 7));
      a.round();
      assertThat(sent).containsExactly(List.of(statement("alice", 12), statement("bob", 7)));
    }
  }

  @Test
  void aDeviceHalfWayJoinsOnlyWhileTheBatchCostsNoMoreThanSingleAnchoring() {
    // Single anchoring pays 35,134 for alice now and, for bob, the share of his next 35,134 that
    // he used up (5 of 10 records: half); a batch of two costs 58,950, more than 1.5 anchors. With
    // two due, the base cost is shared anyway and the half-way entry joins.
    try (BatchAggregator a = aggregator(10, Duration.ofSeconds(60))) {
      a.offer(statement("alice", 12)); // due
      a.offer(statement("bob", 5)); // half-way, not worth a batch of two
      a.round();
      assertThat(sent).isEmpty();
      a.offer(statement("carol", 10)); // due too
      a.round();
      assertThat(sent)
          .containsExactly(
              List.of(statement("alice", 12), statement("carol", 10), statement("bob", 5)));
    }
  }

  @Test
  void aRefusalThatLeavesOneEntrySendsNoBatchOfOne() {
    try (BatchAggregator a = aggregator(1, Duration.ofSeconds(60))) {
      a.offer(statement("alice", 2));
      a.offer(statement("bob", 1));
      refuseEntry = 0;
      a.round();
      assertThat(sent).isEmpty();
      assertThat(a.totals().refused()).isEqualTo(1);
    }
  }

  @Test
  void devicesComingDueAFewRecordsApartShareEveryBatchAndEachEntryCarriesTheCadence() {
    // Four devices at the same steady rate, out of step by up to 3 records: the first batch takes
    // them all (the later ones half-way), after which they come due together.
    List<String> names = List.of("alice", "bob", "carol", "dave");
    long[] sizes = {3, 2, 1, 0};
    Map<DeviceAddress, Long> before = new HashMap<>();
    List<List<Long>> recordsPerEntry = new ArrayList<>();
    try (BatchAggregator a = aggregator(64, Duration.ofSeconds(60))) {
      for (int step = 0; step < 64 * 5; step++) {
        for (int i = 0; i < names.size(); i++) {
          sizes[i]++;
          a.offer(statement(names.get(i), sizes[i]));
        }
        before.putAll(onChain);
        int batches = sent.size();
        a.round();
        if (sent.size() > batches) {
          List<Long> records = new ArrayList<>();
          for (AnchorStatement s : sent.get(sent.size() - 1)) {
            records.add(s.checkpoint().treeSize() - before.getOrDefault(s.device(), 0L));
          }
          recordsPerEntry.add(records);
        }
        clock.advance(Duration.ofMillis(100));
      }
    }
    assertThat(sent).hasSizeGreaterThanOrEqualTo(4);
    assertThat(sent).allSatisfy(b -> assertThat(b).hasSize(4));
    assertThat(recordsPerEntry.get(0)).containsExactly(64L, 63L, 62L, 61L);
    assertThat(recordsPerEntry.subList(1, recordsPerEntry.size()))
        .allSatisfy(r -> assertThat(r).containsOnly(64L));
  }

  @Test
  void theCadenceDecidesWhatIsDue() {
    try (BatchAggregator a = aggregator(10, Duration.ofSeconds(60))) {
      a.offer(statement("alice", 3));
      a.offer(statement("bob", 2));
      clock.advance(Duration.ofSeconds(30)); // both half-way by age: nothing is due
      a.round();
      assertThat(sent).isEmpty();
      clock.advance(Duration.ofSeconds(29));
      a.offer(statement("carol", 1)); // new: not even half-way
      a.round();
      assertThat(sent).isEmpty();
      clock.advance(Duration.ofSeconds(1)); // alice and bob due by age, carol's 1 s left out
      a.round();
      assertThat(sent).containsExactly(List.of(statement("alice", 3), statement("bob", 2)));
      a.offer(statement("alice", 13)); // due by records, but alone: carol is 1 s old
      a.round();
      assertThat(sent).hasSize(1);
      clock.advance(Duration.ofSeconds(29)); // carol half-way by age: not worth a batch of two
      a.round();
      assertThat(sent).hasSize(1);
      clock.advance(Duration.ofSeconds(30)); // carol due by age: two due, one batch
      a.round();
      assertThat(sent.get(1))
          .containsExactlyInAnyOrder(statement("alice", 13), statement("carol", 1));
    }
  }
}

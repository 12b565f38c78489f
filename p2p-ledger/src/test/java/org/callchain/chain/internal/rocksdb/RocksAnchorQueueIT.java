package org.callchain.chain.internal.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import org.callchain.chain.AnchorCheckpoint;
import org.callchain.chain.ConfirmedAnchor;
import org.callchain.chain.RootHash;
import org.callchain.chain.internal.anchor.AnchorEntry;
import org.callchain.chain.internal.anchor.AnchorQueueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The queue survives a reopen with every field, in queue order, batches applied whole. */
class RocksAnchorQueueIT {
  @TempDir Path dir;

  private static AnchorCheckpoint cp(long size) {
    byte[] root = new byte[32];
    root[31] = (byte) size;
    return new AnchorCheckpoint(size, new RootHash(root));
  }

  @Test
  void keepsEntriesCountersAndConfirmationsAcrossReopen() throws Exception {
    Instant t = Instant.parse("2026-11-21T12:00:00Z");
    AnchorEntry sent =
        AnchorEntry.queued(2, cp(20), t).sent(7, "0xf86b", "0xabc", t.plusSeconds(1));
    try (RocksAnchorQueue q = RocksAnchorQueue.open(dir)) {
      q.apply(
          new AnchorQueueStore.Batch()
              .put(AnchorEntry.queued(1, cp(10), t))
              .put(sent)
              .put(AnchorEntry.queued(300, cp(30), t))
              .counter(AnchorQueueStore.NEXT_NONCE, 8));
      q.apply(
          new AnchorQueueStore.Batch()
              .confirm(1, new ConfirmedAnchor(cp(10), "0x01", 5, "0xb5", 6, t, t.plusSeconds(3))));
    }
    try (RocksAnchorQueue q = RocksAnchorQueue.open(dir)) {
      assertThat(q.pending()).containsExactly(sent, AnchorEntry.queued(300, cp(30), t));
      assertThat(q.counter(AnchorQueueStore.NEXT_NONCE)).hasValue(8);
      assertThat(q.counter(AnchorQueueStore.NEXT_SEQ)).isEmpty();
      assertThat(q.confirmed())
          .singleElement()
          .satisfies(a -> assertThat(a.checkpoint()).isEqualTo(cp(10)));
    }
  }

  @Test
  void readOnlyOpenSeesTheQueueOfARunningWriter() throws Exception {
    try (RocksAnchorQueue writer = RocksAnchorQueue.open(dir)) {
      writer.apply(new AnchorQueueStore.Batch().put(AnchorEntry.queued(1, cp(1), Instant.EPOCH)));
      try (RocksAnchorQueue reader = RocksAnchorQueue.openReadOnly(dir)) {
        assertThat(reader.pending()).hasSize(1);
      }
    }
  }
}

package org.callchain.ledger.crash;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Random;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.DeviceLog;
import org.callchain.ledger.Ledger;
import org.callchain.ledger.Ledgers;
import org.callchain.ledger.testing.CallRecords;
import org.callchain.ledger.testing.TestKeys;

/**
 * The process {@link CrashRecoveryIT} kills: it appends batches to a RocksDB ledger forever and
 * prints {@code ACK <size> <root>} after each commit returns, i.e. once the commit is durable.
 */
public final class AppendingChild {
  private AppendingChild() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    long seed = Long.parseLong(args[1]);
    Random random = new Random(seed);
    try (Ledger ledger = Ledgers.open(Ledgers.rocksDbStore(dir), Clock.systemUTC())) {
      DeviceLog log = ledger.ownLog(TestKeys.ALICE);
      CallRecords gen = new CallRecords(TestKeys.ALICE.address(), seed);
      System.out.println("OPEN " + log.size());
      System.out.flush();
      for (int batch = 0; batch < 1_000_000; batch++) {
        int n = 1 + random.nextInt(40);
        for (int i = 0; i < n; i++) {
          log.append(gen.next());
        }
        Checkpoint cp = log.commit();
        System.out.println("ACK " + cp.treeSize() + " " + cp.rootHash().toHex());
        System.out.flush();
      }
    }
  }
}

package org.callchain.ledger.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;
import org.callchain.ledger.CallRecordCodec;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.DeviceLog;
import org.callchain.ledger.Hash256;
import org.callchain.ledger.InclusionProof;
import org.callchain.ledger.Ledger;
import org.callchain.ledger.Ledgers;
import org.callchain.ledger.ReplicaUpdate;
import org.callchain.ledger.SyntheticCalls;
import org.callchain.ledger.internal.merkle.MerkleHashing;
import org.callchain.ledger.testing.TestKeys;

/**
 * The ledger benchmarks of issue #4, run by {@code bench/ledger}: durable commits per second with
 * batching (RocksDB, synced), replica verification per second (signature, canonical decoding, leaf
 * hashes, root, stored into RocksDB), and inclusion proof time (generate from RocksDB + verify) on
 * a large log. Writes one JSON file. Arguments: output file, records for the commit and replica
 * runs, batch size, size of the proof log.
 */
public final class LedgerBench {
  private LedgerBench() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    int records = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
    int proofLog = args.length > 3 ? Integer.parseInt(args[3]) : 1_000_000;
    Path tmp = Files.createTempDirectory("ledger-bench");
    ObjectMapper json = new ObjectMapper();
    ObjectNode result = json.createObjectNode();
    result.put("timestamp", Instant.now().toString());
    result.put("cpus", Runtime.getRuntime().availableProcessors());
    result.put("java", System.getProperty("java.version"));
    result.put("note", "shared 2-core machine, other builds running: figures are noisy");
    try {
      // 1. Durable commits.
      try (Ledger ledger =
          Ledgers.open(Ledgers.rocksDbStore(tmp.resolve("own")), Clock.systemUTC())) {
        DeviceLog log = ledger.ownLog(TestKeys.ALICE);
        SyntheticCalls calls = new SyntheticCalls(TestKeys.ALICE.address(), 1);
        appendAndCommit(log, calls, 10_000, batch); // warm-up
        long t = System.nanoTime();
        int commits = appendAndCommit(log, calls, records, batch);
        double s = (System.nanoTime() - t) / 1e9;
        ObjectNode o = result.putObject("durableCommits");
        o.put("records", records);
        o.put("batch", batch);
        o.put("commits", commits);
        o.put("seconds", s);
        o.put("recordsPerSecond", Math.round(records / s));
        o.put("commitsPerSecond", Math.round(commits / s));
        o.put("targetRecordsPerSecond", 5000);
        System.out.println("durable commits: " + o);

        // 2. Replica verification of that log into a fresh RocksDB store.
        try (Ledger replica =
            Ledgers.open(Ledgers.rocksDbStore(tmp.resolve("replica")), Clock.systemUTC())) {
          replica.ownLog(TestKeys.BOB);
          var checkpoints = log.checkpoints(1, log.size() + 1);
          long from = 0;
          long verified = 0;
          long t2 = System.nanoTime();
          for (Checkpoint cp : checkpoints) {
            replica.acceptReplica(
                new ReplicaUpdate(
                    cp,
                    from,
                    log.leaves(from, cp.treeSize()),
                    from == 0 ? null : log.consistencyProof(from, cp.treeSize())));
            verified += cp.treeSize() - from;
            from = cp.treeSize();
          }
          double s2 = (System.nanoTime() - t2) / 1e9;
          ObjectNode r = result.putObject("replicaVerification");
          r.put("records", verified);
          r.put("checkpoints", checkpoints.size());
          r.put("seconds", s2);
          r.put("recordsPerSecond", Math.round(verified / s2));
          r.put("targetRecordsPerSecond", 20000);
          r.put(
              "includes",
              "reading leaves and proofs from the source store, signature recovery, strict decoding, hashing, synced RocksDB write");
          System.out.println("replica verification: " + r);
        }
      }

      // 3. Inclusion proofs on a large log.
      try (Ledger ledger =
          Ledgers.open(Ledgers.rocksDbStore(tmp.resolve("big")), Clock.systemUTC())) {
        DeviceLog log = ledger.ownLog(TestKeys.CAROL);
        SyntheticCalls calls = new SyntheticCalls(TestKeys.CAROL.address(), 2);
        long t = System.nanoTime();
        appendAndCommit(log, calls, proofLog, 10_000);
        double build = (System.nanoTime() - t) / 1e9;
        long n = log.size();
        Hash256 root = log.latestCheckpoint().orElseThrow().rootHash();
        Random random = new Random(3);
        int samples = 20_000;
        long[] nanos = new long[samples];
        for (int i = 0; i < 2000; i++) {
          log.inclusionProof(random.nextLong(n), n); // warm-up
        }
        for (int i = 0; i < samples; i++) {
          long index = random.nextLong(n);
          long s0 = System.nanoTime();
          InclusionProof p = log.inclusionProof(index, n);
          nanos[i] = System.nanoTime() - s0;
          if (i % 100 == 0) {
            byte[] leaf = log.leaves(index, index + 1).get(0);
            if (!p.verifiesLeafHash(MerkleHashing.leafHash(leaf), root)) {
              throw new IllegalStateException("proof for leaf " + index + " does not verify");
            }
          }
        }
        long v0 = System.nanoTime();
        InclusionProof p = log.inclusionProof(n / 3, n);
        byte[] leaf = log.leaves(n / 3, n / 3 + 1).get(0);
        for (int i = 0; i < samples; i++) {
          p.verifiesLeafHash(MerkleHashing.leafHash(leaf), root);
        }
        double verifyMicros = (System.nanoTime() - v0) / 1e3 / samples;
        Arrays.sort(nanos);
        ObjectNode o = result.putObject("inclusionProof");
        o.put("logSize", n);
        o.put("buildSeconds", build);
        o.put("samples", samples);
        o.put("meanMicros", Arrays.stream(nanos).average().orElse(0) / 1e3);
        o.put("p50Micros", nanos[samples / 2] / 1e3);
        o.put("p99Micros", nanos[samples * 99 / 100] / 1e3);
        o.put("verifyMicros", verifyMicros);
        o.put("pathLength", p.path().size());
        o.put("targetMicros", 1000);
        o.put("recordBytes", CallRecordCodec.encode(calls.next()).length);
        System.out.println("inclusion proof: " + o);
      }
    } finally {
      try (Stream<Path> files = Files.walk(tmp)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    json.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), result);
    System.out.println("wrote " + out);
  }

  private static int appendAndCommit(DeviceLog log, SyntheticCalls calls, int count, int batch) {
    int commits = 0;
    for (int i = 0; i < count; i++) {
      log.append(calls.next());
      if (log.pending() >= batch) {
        log.commit();
        commits++;
      }
    }
    if (log.pending() > 0) {
      log.commit();
      commits++;
    }
    return commits;
  }
}

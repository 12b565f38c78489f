package org.callchain.ledger.internal.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.Set;
import org.callchain.identity.DeviceAddress;
import org.callchain.identity.DeviceKey;
import org.callchain.identity.SigningDomain;
import org.callchain.ledger.AuditProblem;
import org.callchain.ledger.AuditProblem.Where;
import org.callchain.ledger.AuditReport;
import org.callchain.ledger.CallRecord;
import org.callchain.ledger.CallRecordCodec;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.DeviceLog;
import org.callchain.ledger.Ledger;
import org.callchain.ledger.LedgerAudit;
import org.callchain.ledger.Ledgers;
import org.callchain.ledger.ReplicaUpdate;
import org.callchain.ledger.internal.kv.KeyLayout;
import org.callchain.ledger.internal.memory.InMemoryLedgerStore;
import org.callchain.ledger.testing.CallRecords;
import org.callchain.ledger.testing.TestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tamper campaign: an attacker with the disk makes one random change at a time to the raw store
 * image (the exact key/value bytes RocksDB would hold) or to a recording file; the audit must
 * report a problem at the place that was changed, every time. The own-device marker is not
 * protected data (it only names the owner) and is not a target.
 */
class TamperCampaignTest {
  private static final int MUTATIONS = 10_000;

  enum Kind {
    VALUE_BIT_FLIP,
    KEY_BIT_FLIP,
    TRUNCATION,
    EXTENSION,
    DELETED_LEAF,
    REORDERED_LEAVES,
    SWAPPED_CHECKPOINTS,
    FORGED_SIGNATURE,
    RESIGNED_LOG,
    REPLACED_RECORDING
  }

  /** A place in the store, as the audit names it. */
  record Location(Where where, DeviceAddress device, long position, int level) {
    static Location of(AuditProblem p) {
      return new Location(
          p.where(), p.device(), p.position(), p.where() == Where.NODE ? p.level() : -1);
    }
  }

  @TempDir Path recordings;

  private InMemoryLedgerStore store;
  private final Random random = new Random(20261121);
  private final List<Path> recordingFiles = new ArrayList<>();
  private final Map<Path, Location> recordingOwner = new HashMap<>();

  /** Signature checks are pure, so a memo keeps 10,000 audits fast without changing results. */
  private final Map<String, java.util.Optional<DeviceAddress>> signerMemo = new HashMap<>();

  private java.util.Optional<DeviceAddress> signerOf(Checkpoint c) {
    return signerMemo.computeIfAbsent(
        java.util.HexFormat.of().formatHex(c.encoded()),
        k ->
            org.callchain.identity.SignatureVerifier.recover(
                SigningDomain.CHECKPOINT, c.signedBody(), c.signature()));
  }

  private void buildStore() throws Exception {
    store = new InMemoryLedgerStore();
    Ledger ledger = Ledgers.open(store, Clock.systemUTC());
    DeviceLog alice = ledger.ownLog(TestKeys.ALICE);
    CallRecords gen = new CallRecords(TestKeys.ALICE.address(), 5);
    for (int i = 0; i < 16; i++) {
      if (i % 3 == 0) {
        byte[] audio = new byte[200 + random.nextInt(300)];
        random.nextBytes(audio);
        Path file = recordings.resolve("call-" + i + ".wav");
        Files.write(file, audio);
        recordingFiles.add(file);
        recordingOwner.put(file, new Location(Where.RECORDING, TestKeys.ALICE.address(), i, -1));
        alice.append(gen.next(CallRecords.recordingOf(audio, file.getFileName().toString())));
      } else {
        alice.append(gen.next());
      }
      if (i % 6 == 5) {
        alice.commit();
      }
    }
    alice.commit();
    // Bob's log arrives as a replica in two verified updates.
    Ledger bobs = Ledgers.open(Ledgers.inMemoryStore(), Clock.systemUTC());
    DeviceLog bob = bobs.ownLog(TestKeys.BOB);
    CallRecords bobGen = new CallRecords(TestKeys.BOB.address(), 6);
    long from = 0;
    for (int c = 0; c < 2; c++) {
      for (int i = 0; i < 4; i++) {
        bob.append(bobGen.next());
      }
      Checkpoint cp = bob.commit();
      ledger.acceptReplica(
          new ReplicaUpdate(
              cp,
              from,
              bob.leaves(from, cp.treeSize()),
              from == 0 ? null : bob.consistencyProof(from, cp.treeSize())));
      from = cp.treeSize();
    }
  }

  private AuditReport audit() {
    return new Auditor(this::signerOf).audit(store, recordings);
  }

  @Test
  void everyMutationIsDetectedAndLocated() throws Exception {
    buildStore();
    AuditReport baseline = LedgerAudit.run(store, recordings);
    assertThat(baseline.problems()).isEmpty();
    assertThat(baseline.coverage().leaves()).isEqualTo(24);
    assertThat(baseline.coverage().recordings()).isEqualTo(6);
    assertThat(baseline.coverage().checkpoints()).isEqualTo(5);
    originalKeys = new ArrayList<>(image().keySet());

    Map<Kind, int[]> counts = new EnumMap<>(Kind.class);
    for (Kind k : Kind.values()) {
      counts.put(k, new int[3]);
    }
    List<String> misses = new ArrayList<>();
    long started = System.nanoTime();
    for (int n = 0; n < MUTATIONS; n++) {
      Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
      Mutation m = mutate(kind);
      if (m == null) {
        n--;
        continue;
      }
      AuditReport report;
      try {
        report = audit();
      } finally {
        m.undo.run();
      }
      int[] c = counts.get(kind);
      c[0]++;
      if (!report.problems().isEmpty()) {
        c[1]++;
      }
      boolean located = report.problems().stream().map(Location::of).anyMatch(m.expected::contains);
      if (located) {
        c[2]++;
      } else if (misses.size() < 10) {
        misses.add(kind + " expected " + m.expected + " got " + report.problems());
      }
    }
    System.out.printf("Tamper campaign took %d ms%n", (System.nanoTime() - started) / 1_000_000);
    int total = 0;
    int detected = 0;
    int located = 0;
    System.out.println("Tamper campaign: kind / mutations / detected / located");
    for (Map.Entry<Kind, int[]> e : counts.entrySet()) {
      int[] c = e.getValue();
      System.out.printf("  %-20s %6d %6d %6d%n", e.getKey(), c[0], c[1], c[2]);
      total += c[0];
      detected += c[1];
      located += c[2];
    }
    System.out.printf("  %-20s %6d %6d %6d%n", "TOTAL", total, detected, located);
    assertThat(misses).isEmpty();
    assertThat(total).isEqualTo(MUTATIONS);
    assertThat(detected).isEqualTo(MUTATIONS);
    assertThat(located).isEqualTo(MUTATIONS);
    assertThat(LedgerAudit.run(store, recordings).problems()).isEmpty();
  }

  /** One applied change, how to take it back, and where the audit must point. */
  private record Mutation(Set<Location> expected, Runnable undo) {}

  private NavigableMap<byte[], byte[]> image() {
    return store.image();
  }

  /** The store's keys before any mutation; every mutation is undone, so they stay valid. */
  private List<byte[]> originalKeys;

  private List<byte[]> keys(byte kind, DeviceAddress device) {
    List<byte[]> out = new ArrayList<>();
    for (byte[] k : originalKeys) {
      KeyLayout.ParsedKey p = KeyLayout.parse(k);
      if (p.kind() != KeyLayout.META
          && (kind == 0 || p.kind() == kind)
          && (device == null || device.equals(p.device()))) {
        out.add(k);
      }
    }
    return out;
  }

  private DeviceAddress randomDevice() {
    return random.nextBoolean() ? TestKeys.ALICE.address() : TestKeys.BOB.address();
  }

  private Location locationOf(byte[] key, byte[] value) {
    KeyLayout.ParsedKey p = KeyLayout.parse(key);
    if (!p.wellFormed()) {
      return new Location(Where.STORE, null, -1, -1);
    }
    return switch (p.kind()) {
      case KeyLayout.HEAD -> new Location(Where.HEAD, p.device(), -1, -1);
      case KeyLayout.LEAF -> new Location(Where.LEAF, p.device(), p.index(), -1);
      case KeyLayout.NODE -> new Location(Where.NODE, p.device(), p.index(), p.level());
      case KeyLayout.CHECKPOINT -> new Location(Where.CHECKPOINT, p.device(), p.index(), -1);
      case KeyLayout.EQUIVOCATION -> new Location(Where.EQUIVOCATION, p.device(), p.index(), -1);
      case KeyLayout.CALL_INDEX ->
          new Location(
              Where.CALL_INDEX, p.device(), value.length == 8 ? KeyLayout.readU64(value) : -1, -1);
      default -> new Location(Where.STORE, null, -1, -1);
    };
  }

  private Runnable restoring(byte[]... keys) {
    Map<byte[], byte[]> saved = new HashMap<>();
    for (byte[] k : keys) {
      saved.put(k, image().get(k));
    }
    return () ->
        saved.forEach(
            (k, v) -> {
              if (v == null) {
                image().remove(k);
              } else {
                image().put(k, v);
              }
            });
  }

  private Mutation mutate(Kind kind) throws Exception {
    switch (kind) {
      case VALUE_BIT_FLIP, TRUNCATION, EXTENSION -> {
        List<byte[]> all = keys((byte) 0, null);
        byte[] key = all.get(random.nextInt(all.size()));
        byte[] value = image().get(key);
        byte[] changed;
        if (kind == Kind.VALUE_BIT_FLIP) {
          changed = value.clone();
          changed[random.nextInt(changed.length)] ^= (byte) (1 << random.nextInt(8));
        } else if (kind == Kind.TRUNCATION) {
          changed = Arrays.copyOf(value, random.nextInt(value.length));
        } else {
          changed = Arrays.copyOf(value, value.length + 1 + random.nextInt(8));
          for (int i = value.length; i < changed.length; i++) {
            changed[i] = (byte) random.nextInt(256);
          }
        }
        Runnable undo = restoring(key);
        image().put(key, changed);
        return new Mutation(set(locationOf(key, value)), undo);
      }
      case KEY_BIT_FLIP -> {
        List<byte[]> all = keys((byte) 0, null);
        byte[] key = all.get(random.nextInt(all.size()));
        byte[] moved = key.clone();
        moved[random.nextInt(moved.length)] ^= (byte) (1 << random.nextInt(8));
        if (image().containsKey(moved) || Arrays.equals(moved, KeyLayout.OWN_DEVICE)) {
          return null;
        }
        byte[] value = image().get(key);
        Runnable undo = restoring(key, moved);
        image().remove(key);
        image().put(moved, value);
        return new Mutation(set(locationOf(key, value), locationOf(moved, value)), undo);
      }
      case DELETED_LEAF -> {
        List<byte[]> leaves = keys(KeyLayout.LEAF, null);
        byte[] key = leaves.get(random.nextInt(leaves.size()));
        Runnable undo = restoring(key);
        Location where = locationOf(key, image().get(key));
        image().remove(key);
        return new Mutation(set(where), undo);
      }
      case REORDERED_LEAVES -> {
        List<byte[]> leaves = keys(KeyLayout.LEAF, randomDevice());
        byte[] a = leaves.get(random.nextInt(leaves.size()));
        byte[] b = leaves.get(random.nextInt(leaves.size()));
        if (Arrays.equals(a, b)) {
          return null;
        }
        Runnable undo = restoring(a, b);
        byte[] va = image().get(a);
        image().put(a, image().get(b));
        image().put(b, va);
        return new Mutation(set(locationOf(a, va), locationOf(b, va)), undo);
      }
      case SWAPPED_CHECKPOINTS -> {
        List<byte[]> cps = keys(KeyLayout.CHECKPOINT, null);
        byte[] a = cps.get(random.nextInt(cps.size()));
        byte[] b = cps.get(random.nextInt(cps.size()));
        if (Arrays.equals(a, b)) {
          return null;
        }
        Runnable undo = restoring(a, b);
        byte[] va = image().get(a);
        image().put(a, image().get(b));
        image().put(b, va);
        return new Mutation(set(locationOf(a, va), locationOf(b, va)), undo);
      }
      case FORGED_SIGNATURE -> {
        List<byte[]> cps = keys(KeyLayout.CHECKPOINT, null);
        byte[] key = cps.get(random.nextInt(cps.size()));
        Checkpoint c = Checkpoint.decode(image().get(key));
        byte[] sig;
        if (random.nextBoolean()) {
          sig = new byte[65];
          random.nextBytes(sig);
          sig[64] = (byte) (27 + random.nextInt(2));
        } else {
          sig = malloryOver(c.signedBody()).toBytes();
        }
        Checkpoint forged =
            new Checkpoint(
                c.device(),
                c.treeSize(),
                c.rootHash(),
                c.timestampMillis(),
                org.callchain.identity.DeviceSignature.of(sig));
        Runnable undo = restoring(key);
        Location where = locationOf(key, image().get(key));
        image().put(key, forged.encoded());
        return new Mutation(set(where), undo);
      }
      case RESIGNED_LOG -> {
        DeviceAddress device = randomDevice();
        List<byte[]> cps = keys(KeyLayout.CHECKPOINT, device);
        Runnable undo = restoring(cps.toArray(new byte[0][]));
        java.util.Set<Location> expected = new java.util.HashSet<>();
        boolean asMallory = random.nextBoolean();
        DeviceKey signer = TestKeys.MALLORY;
        for (byte[] key : cps) {
          Checkpoint c = Checkpoint.decode(image().get(key));
          expected.add(locationOf(key, image().get(key)));
          Checkpoint resigned =
              asMallory
                  ? new Checkpoint(
                      signer.address(),
                      c.treeSize(),
                      c.rootHash(),
                      c.timestampMillis(),
                      malloryOver(
                          new Checkpoint(
                                  signer.address(),
                                  c.treeSize(),
                                  c.rootHash(),
                                  c.timestampMillis(),
                                  c.signature())
                              .signedBody()))
                  : new Checkpoint(
                      c.device(),
                      c.treeSize(),
                      c.rootHash(),
                      c.timestampMillis(),
                      signer.sign(SigningDomain.CHECKPOINT, c.signedBody()));
          image().put(key, resigned.encoded());
        }
        return new Mutation(expected, undo);
      }
      case REPLACED_RECORDING -> {
        Path file = recordingFiles.get(random.nextInt(recordingFiles.size()));
        byte[] original = Files.readAllBytes(file);
        int how = random.nextInt(4);
        if (how == 3) {
          Files.delete(file);
        } else {
          byte[] replacement =
              how == 0
                  ? new byte[original.length]
                  : how == 1
                      ? Arrays.copyOf(original, random.nextInt(original.length))
                      : flip(original);
          if (how == 0) {
            random.nextBytes(replacement);
          }
          Files.write(file, replacement);
        }
        Location owner = recordingOwner.get(file);
        return new Mutation(
            set(owner),
            () -> {
              try {
                Files.write(file, original);
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
      }
      default -> throw new IllegalStateException(kind.toString());
    }
  }

  private final Map<String, org.callchain.identity.DeviceSignature> mallorySignatures =
      new HashMap<>();

  /** Mallory's signature over a checkpoint body (deterministic, RFC 6979), memoized for speed. */
  private org.callchain.identity.DeviceSignature malloryOver(byte[] body) {
    return mallorySignatures.computeIfAbsent(
        java.util.HexFormat.of().formatHex(body),
        k -> TestKeys.MALLORY.sign(SigningDomain.CHECKPOINT, body));
  }

  private static Set<Location> set(Location... locations) {
    return new java.util.HashSet<>(Arrays.asList(locations));
  }

  private byte[] flip(byte[] b) {
    byte[] c = b.clone();
    c[random.nextInt(c.length)] ^= (byte) (1 << random.nextInt(8));
    return c;
  }

  @Test
  void aCleanAuditSaysWhatItCoveredAndAnEquivocationIsReported() throws Exception {
    buildStore();
    AuditReport report = LedgerAudit.run(store, recordings);
    assertThat(report.clean()).isTrue();
    assertThat(report.coverageLine())
        .contains("2 device log(s)", "24 leaves", "5 checkpoint signatures", "6 recording files");
    // Bob signs a second root for his current size: stored as evidence, and audited as such.
    Checkpoint head =
        Checkpoint.decode(image().get(KeyLayout.checkpoint(TestKeys.BOB.address(), 8)));
    byte[] other = head.rootHash().toBytes();
    other[5] ^= 4;
    Ledger ledger = Ledgers.open(store, Clock.systemUTC());
    ledger.acceptReplica(
        new ReplicaUpdate(
            Checkpoint.sign(TestKeys.BOB, 8, org.callchain.ledger.Hash256.wrap(other), 1),
            8,
            List.of(),
            null));
    AuditReport after = LedgerAudit.run(store, recordings);
    assertThat(after.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.where()).isEqualTo(Where.EQUIVOCATION);
              assertThat(p.device()).isEqualTo(TestKeys.BOB.address());
              assertThat(p.detail()).contains("contradicting checkpoints at sizes 8 and 8");
            });
    CallRecord unused =
        CallRecordCodec.decode(image().get(KeyLayout.leaf(TestKeys.ALICE.address(), 0)));
    assertThat(unused.recordingDevice()).isEqualTo(TestKeys.ALICE.address());
    assertThat(ByteBuffer.wrap(image().get(KeyLayout.head(TestKeys.ALICE.address()))).getLong())
        .isEqualTo(16);
  }
}

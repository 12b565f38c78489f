package org.callchain.ledger.replication.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.DeviceLog;
import org.callchain.ledger.Ledgers;
import org.callchain.ledger.MalformedDataException;
import org.callchain.ledger.WitnessSignature;
import org.callchain.ledger.internal.proto.CanonicalProto;
import org.callchain.ledger.replication.internal.proto.GossipMessage;
import org.callchain.ledger.testing.CallRecords;
import org.callchain.ledger.testing.TestKeys;

/**
 * The replication wire format is canonical and strict: every message round-trips, and any byte
 * string either fails to decode with {@link MalformedDataException} or is exactly the encoding of
 * what it decodes to — so mutated, truncated or extended messages never pass as another message.
 */
class ReplicationCodecProperties {

  private static CommitMessage commit(int first, int count, long seed) throws Exception {
    DeviceLog log = Ledgers.open(Ledgers.inMemoryStore(), Clock.systemUTC()).ownLog(TestKeys.ALICE);
    CallRecords records = new CallRecords(TestKeys.ALICE.address(), seed);
    for (int i = 0; i < first; i++) {
      log.append(records.next());
    }
    if (first > 0) {
      log.commit();
    }
    for (int i = 0; i < count; i++) {
      log.append(records.next());
    }
    Checkpoint cp = log.commit();
    return new CommitMessage(
        cp,
        first,
        log.leaves(first, cp.treeSize()),
        first == 0 || count == 0 ? null : log.consistencyProof(first, cp.treeSize()));
  }

  private static void assertStrict(byte[] bytes) {
    ReplicationCodec.Gossip decoded;
    try {
      decoded = ReplicationCodec.decodeGossip(bytes);
    } catch (MalformedDataException e) {
      return;
    }
    byte[] again =
        decoded.commit() != null
            ? ReplicationCodec.encodeCommit(decoded.commit())
            : ReplicationCodec.encodeWitness(decoded.witness());
    assertThat(again).isEqualTo(bytes);
  }

  @Property(tries = 40)
  void commitsRoundTripAndEveryMutationIsRefusedOrItself(
      @ForAll @IntRange(min = 0, max = 9) int first,
      @ForAll @IntRange(min = 0, max = 6) int count,
      @ForAll long seed,
      @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 0) Integer> flips,
      @ForAll @IntRange(min = 0, max = 10_000) int cut)
      throws Exception {
    CommitMessage c = commit(first, count, seed);
    byte[] bytes = ReplicationCodec.encodeCommit(c);
    CommitMessage back = ReplicationCodec.decodeGossip(bytes).commit();
    assertThat(back.checkpoint()).isEqualTo(c.checkpoint());
    assertThat(back.firstIndex()).isEqualTo(c.firstIndex());
    assertThat(back.leaves()).zipSatisfy(c.leaves(), (a, b) -> assertThat(a).isEqualTo(b));
    assertThat(back.proof()).isEqualTo(c.proof());

    for (int flip : flips) {
      byte[] mutated = bytes.clone();
      int bit = flip % (mutated.length * 8);
      mutated[bit / 8] ^= (byte) (1 << (bit % 8));
      assertStrict(mutated);
    }
    assertStrict(Arrays.copyOf(bytes, cut % bytes.length));
    byte[] extended = Arrays.copyOf(bytes, bytes.length + 2);
    extended[bytes.length] = (byte) 0x50; // field 10, varint: unknown
    assertThatThrownBy(() -> ReplicationCodec.decodeGossip(extended))
        .isInstanceOf(MalformedDataException.class);
  }

  @Property(tries = 200)
  void arbitraryBytesAreRefusedOrCanonical(@ForAll @Size(max = 400) byte[] bytes) {
    assertStrict(bytes);
  }

  @Property(tries = 20)
  void witnessesRoundTrip(@ForAll @IntRange(min = 1, max = 5) int count, @ForAll long seed)
      throws Exception {
    Checkpoint cp = commit(0, count, seed).checkpoint();
    WitnessMessage w =
        new WitnessMessage(cp, WitnessSignature.sign(TestKeys.BOB, cp, seed & 0xffff));
    WitnessMessage back =
        ReplicationCodec.decodeGossip(ReplicationCodec.encodeWitness(w)).witness();
    assertThat(back).isEqualTo(w);
    assertThat(back.signature().verifies(back.checkpoint())).isTrue();
  }

  @Property(tries = 5)
  void anotherVersionOrAnEmptyBodyIsRefused(@ForAll @IntRange(min = 2, max = 1000) int version) {
    byte[] other = CanonicalProto.encode(GossipMessage.newBuilder().setVersion(version).build());
    assertThatThrownBy(() -> ReplicationCodec.decodeGossip(other))
        .hasMessageContaining("version " + version);
    byte[] empty = CanonicalProto.encode(GossipMessage.newBuilder().setVersion(1).build());
    assertThatThrownBy(() -> ReplicationCodec.decodeGossip(empty)).hasMessageContaining("no body");
  }

  @Property(tries = 3)
  void oversizedMessagesAreRefusedBeforeParsing(@ForAll @IntRange(min = 1, max = 100) int extra) {
    byte[] huge = new byte[ReplicationCodec.MAX_GOSSIP_BYTES + extra];
    assertThatThrownBy(() -> ReplicationCodec.decodeGossip(huge))
        .hasMessageContaining("exceeds the limit");
  }
}

package org.callchain.ledger.replication.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.math.BigInteger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.callchain.chain.AnchorContract;
import org.callchain.chain.AnchorStatement;
import org.callchain.chain.DeviceAddress;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.DeviceLog;
import org.callchain.ledger.Ledger;
import org.callchain.ledger.Ledgers;
import org.callchain.ledger.MalformedDataException;
import org.callchain.ledger.internal.proto.CanonicalProto;
import org.callchain.ledger.replication.TestRegistry;
import org.callchain.ledger.replication.internal.proto.GossipMessage;
import org.callchain.ledger.testing.CallRecords;
import org.callchain.ledger.testing.TestKeys;
import org.callchain.net.pubsub.ValidationResult;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;

/**
 * A commit's anchor statement (ADR 0093) as Bob's node checks it: bound to the network's chain id
 * and anchor contract, recovering (with a low s) to the checkpoint's device, and for exactly that
 * checkpoint; otherwise the commit is rejected and nothing of it stored.
 */
class AnchorStatementValidationTest {
  private static final AnchorContract CONTRACT =
      new AnchorContract(31337, DeviceAddress.parse("0x5FbDB2315678afecb367f032d93F642f64180aa3"));
  private static final BigInteger ORDER =
      new BigInteger("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", 16);

  private final TestRegistry registry =
      new TestRegistry().register(TestKeys.ALICE.address()).register(TestKeys.BOB.address());
  private final Ledger bobs = Ledgers.open(Ledgers.inMemoryStore(), Clock.systemUTC());
  private final List<AnchorStatement> passedOn = new ArrayList<>();
  private final GossipValidation bob;
  private final DeviceLog alice;
  private final CallRecords records = new CallRecords(TestKeys.ALICE.address(), 11);

  AnchorStatementValidationTest() throws Exception {
    bobs.ownLog(TestKeys.BOB);
    bob =
        new GossipValidation(
            bobs,
            TestKeys.BOB.address(),
            new Membership(registry, Set.of()),
            Optional.of(CONTRACT),
            passedOn::add);
    alice = Ledgers.open(Ledgers.inMemoryStore(), Clock.systemUTC()).ownLog(TestKeys.ALICE);
  }

  private Checkpoint commit(int n) {
    for (int i = 0; i < n; i++) {
      alice.append(records.next());
    }
    return alice.commit();
  }

  private static AnchorStatement statement(
      Credentials key, AnchorContract contract, Checkpoint cp) {
    return contract.sign(key, AnchorStatements.anchorCheckpoint(cp));
  }

  private byte[] message(Checkpoint cp, AnchorStatement s) {
    return ReplicationCodec.encodeCommit(
        new CommitMessage(cp, 0, alice.leaves(0, cp.treeSize()), null, Optional.of(s)));
  }

  private boolean stored() {
    return bobs.devices().contains(TestKeys.ALICE.address());
  }

  @Test
  void theDevicesOwnStatementIsAcceptedWithItsCommitAndPassedOn() {
    Checkpoint cp = commit(2);
    AnchorStatement s = statement(TestKeys.credentials("alice"), CONTRACT, cp);
    Verdict v = bob.validate(message(cp, s));
    assertThat(v.result()).isEqualTo(ValidationResult.ACCEPT);
    assertThat(passedOn).containsExactly(s);
    assertThat(s.device().hex().toLowerCase()).isEqualTo(TestKeys.ALICE.address().toHex());
    // heard again (already held), the statement is still passed on: sync may have been first
    assertThat(bob.validate(message(cp, s)).result()).isEqualTo(ValidationResult.IGNORE);
    assertThat(passedOn).containsExactly(s, s);
  }

  @Test
  void aStatementForAnotherChainIdIsRejected() {
    Checkpoint cp = commit(1);
    AnchorContract otherChain = new AnchorContract(1, CONTRACT.address());
    Verdict v = bob.validate(message(cp, statement(TestKeys.credentials("alice"), otherChain, cp)));
    assertThat(v.result()).isEqualTo(ValidationResult.REJECT);
    assertThat(v.reason()).contains("anchor statement of size 1 is not signed by device");
    assertThat(stored()).isFalse();
    assertThat(passedOn).isEmpty();
  }

  @Test
  void aStatementForAnotherAnchorContractIsRejected() {
    Checkpoint cp = commit(1);
    AnchorContract other =
        new AnchorContract(
            CONTRACT.chainId(), DeviceAddress.parse("0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512"));
    Verdict v = bob.validate(message(cp, statement(TestKeys.credentials("alice"), other, cp)));
    assertThat(v.result()).isEqualTo(ValidationResult.REJECT);
    assertThat(stored()).isFalse();
    assertThat(passedOn).isEmpty();
  }

  @Test
  void aStatementSignedByAnotherKeyIsRejected() {
    Checkpoint cp = commit(1);
    AnchorStatement mallorys = statement(TestKeys.credentials("mallory"), CONTRACT, cp);
    // Mallory's signature presented as Alice's statement for Alice's checkpoint
    AnchorStatement claimed = AnchorStatements.of(cp, mallorys.r(), mallorys.yParityAndS());
    Verdict v = bob.validate(message(cp, claimed));
    assertThat(v.result()).isEqualTo(ValidationResult.REJECT);
    assertThat(stored()).isFalse();
    assertThat(passedOn).isEmpty();
  }

  @Test
  void theHighSTwinOfAValidSignatureIsRejected() {
    Checkpoint cp = commit(1);
    AnchorStatement s = statement(TestKeys.credentials("alice"), CONTRACT, cp);
    byte[] vs = s.yParityAndS();
    boolean odd = (vs[0] & 0x80) != 0;
    vs[0] &= 0x7f;
    // (r, n - s) with the other parity recovers the same key: valid ECDSA, refused by EIP-2
    byte[] highS = toWord(ORDER.subtract(new BigInteger(1, vs)));
    if (!odd) {
      highS[0] |= (byte) 0x80;
    }
    AnchorStatement twin = AnchorStatements.of(cp, s.r(), highS);
    Verdict v = bob.validate(message(cp, twin));
    assertThat(v.result()).isEqualTo(ValidationResult.REJECT);
    assertThat(passedOn).isEmpty();
  }

  @Test
  void aStatementForAnotherSizeCannotTravelWithTheCommit() {
    Checkpoint first = commit(1);
    Checkpoint second = commit(1);
    AnchorStatement forFirst = statement(TestKeys.credentials("alice"), CONTRACT, first);
    assertThatThrownBy(
            () -> new CommitMessage(second, 0, alice.leaves(0, 2), null, Optional.of(forFirst)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aCommitWithoutAStatementIsStillAccepted() {
    Checkpoint cp = commit(2);
    byte[] plain =
        ReplicationCodec.encodeCommit(new CommitMessage(cp, 0, alice.leaves(0, 2), null));
    assertThat(bob.validate(plain).result()).isEqualTo(ValidationResult.ACCEPT);
    assertThat(passedOn).isEmpty();
  }

  @Test
  void withoutAnAnchorContractStatementsAreDroppedUnchecked() throws Exception {
    GossipValidation unbound =
        new GossipValidation(
            bobs,
            TestKeys.BOB.address(),
            new Membership(registry, Set.of()),
            Optional.empty(),
            passedOn::add);
    Checkpoint cp = commit(1);
    AnchorContract otherChain = new AnchorContract(5, CONTRACT.address());
    Verdict v =
        unbound.validate(message(cp, statement(TestKeys.credentials("alice"), otherChain, cp)));
    assertThat(v.result()).isEqualTo(ValidationResult.ACCEPT);
    assertThat(passedOn).isEmpty();
  }

  @Test
  void theStatementSurvivesTheWireAndABadLengthIsMalformed() throws Exception {
    Checkpoint cp = commit(1);
    AnchorStatement s = statement(TestKeys.credentials("alice"), CONTRACT, cp);
    ReplicationCodec.Gossip g = ReplicationCodec.decodeGossip(message(cp, s));
    assertThat(g.commit().statement()).contains(s);
    GossipMessage m = GossipMessage.parseFrom(message(cp, s));
    GossipMessage shortR =
        m.toBuilder()
            .setCommit(
                m.getCommit().toBuilder()
                    .setAnchorStatement(
                        m.getCommit().getAnchorStatement().toBuilder()
                            .setR(ByteString.copyFrom(new byte[31]))))
            .build();
    assertThatThrownBy(() -> ReplicationCodec.decodeGossip(CanonicalProto.encode(shortR)))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageContaining("two 32-byte words");
  }

  private static byte[] toWord(BigInteger v) {
    byte[] raw = v.toByteArray();
    byte[] out = new byte[32];
    int n = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - n, out, 32 - n, n);
    return out;
  }
}

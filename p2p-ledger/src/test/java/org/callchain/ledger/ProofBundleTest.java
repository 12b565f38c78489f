package org.callchain.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import org.callchain.ledger.testing.CallRecords;
import org.callchain.ledger.testing.TestKeys;
import org.junit.jupiter.api.Test;

class ProofBundleTest {
  private final Ledger ledger;
  private final DeviceLog log;
  private final CallRecords gen = new CallRecords(TestKeys.ALICE.address(), 21);

  ProofBundleTest() throws Exception {
    ledger = Ledgers.open(Ledgers.inMemoryStore(), Clock.systemUTC());
    log = ledger.ownLog(TestKeys.ALICE);
    for (int i = 0; i < 37; i++) {
      log.append(gen.next(i == 20 ? CallRecords.recordingOf(new byte[] {9}, "x.wav") : null));
      if (i % 10 == 9) {
        log.commit();
      }
    }
    log.commit();
  }

  private String bundleJson(long index) throws Exception {
    return ledger.exportProof(new LeafLocation(TestKeys.ALICE.address(), index)).toJson();
  }

  @Test
  void aBundleVerifiesOfflineWithOnlyTheDeviceAddress() throws Exception {
    for (long i = 0; i < 37; i++) {
      String json = bundleJson(i);
      CallRecord proven = ProofBundle.parse(json).verify(TestKeys.ALICE.address());
      assertThat(proven).isEqualTo(log.record(i));
    }
    assertThat(bundleJson(3)).contains("\"anchor\" : null").contains(ProofBundle.FORMAT);
  }

  @Test
  void aTruncatedBundleIsAClearError() throws Exception {
    String json = bundleJson(5);
    assertThatThrownBy(() -> ProofBundle.parse(json.substring(0, json.length() / 2)))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageContaining("not complete JSON");
    assertThatThrownBy(() -> ProofBundle.parse("")).isInstanceOf(MalformedDataException.class);
  }

  @Test
  void aBundleForAnotherDeviceIsRejected() throws Exception {
    ProofBundle b = ProofBundle.parse(bundleJson(5));
    assertThatThrownBy(() -> b.verify(TestKeys.BOB.address()))
        .isInstanceOf(BundleRejectedException.class)
        .hasMessage(
            "bundle is for device " + TestKeys.ALICE.address() + ", not " + TestKeys.BOB.address());
  }

  @Test
  void anEditedRecordOrProofIsRejected() throws Exception {
    String json = bundleJson(7);
    ProofBundle b = ProofBundle.parse(json);
    String editedRecord = json.replaceFirst("\"sipCode\" : (\\d+)", "\"sipCode\" : 599");
    assertThatThrownBy(() -> ProofBundle.parse(editedRecord))
        .hasMessageContaining("differs from its signed leaf");
    String firstHash = b.proof().path().get(0).toHex();
    String editedProof =
        json.replace(
            firstHash,
            firstHash.replace(firstHash.charAt(0), firstHash.charAt(0) == 'a' ? 'b' : 'a'));
    assertThatThrownBy(() -> ProofBundle.parse(editedProof).verify(TestKeys.ALICE.address()))
        .hasMessageContaining("does not lead to the signed root");
    String resigned =
        json.replace(
            b.checkpoint().signature().toHex(),
            Checkpoint.sign(
                    TestKeys.MALLORY,
                    b.checkpoint().treeSize(),
                    b.checkpoint().rootHash(),
                    b.checkpoint().timestampMillis())
                .signature()
                .toHex());
    assertThatThrownBy(() -> ProofBundle.parse(resigned).verify(TestKeys.ALICE.address()))
        .hasMessageContaining("signature is not valid");
  }
}

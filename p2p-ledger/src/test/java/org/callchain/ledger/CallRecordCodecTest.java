package org.callchain.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import org.callchain.ledger.internal.proto.CanonicalProto;
import org.callchain.ledger.testing.CallRecords;
import org.callchain.ledger.testing.TestKeys;
import org.junit.jupiter.api.Test;

class CallRecordCodecTest {
  private final CallRecords gen = new CallRecords(TestKeys.ALICE.address(), 1);

  @Test
  void everyRecordRoundTripsThroughItsOneEncoding() throws Exception {
    for (int i = 0; i < 500; i++) {
      CallRecord r =
          gen.next(
              i % 3 == 0 ? CallRecords.recordingOf(new byte[] {(byte) i}, "r" + i + ".wav") : null);
      byte[] bytes = CallRecordCodec.encode(r);
      assertThat(CallRecordCodec.decode(bytes)).isEqualTo(r);
      assertThat(CallRecordCodec.encode(CallRecordCodec.decode(bytes))).isEqualTo(bytes);
    }
  }

  @Test
  void theEncodingStartsWithSchemaVersionOne() {
    byte[] bytes = CallRecordCodec.encode(gen.next());
    // Field 1, varint (tag 0x08), value 1.
    assertThat(Arrays.copyOf(bytes, 2)).containsExactly(0x08, 0x01);
  }

  @Test
  void nonCanonicalEncodingsAreRejected() {
    byte[] bytes = CallRecordCodec.encode(gen.next());
    // An unknown field 99 (varint) appended.
    byte[] unknown = Arrays.copyOf(bytes, bytes.length + 3);
    unknown[bytes.length] = (byte) 0x98;
    unknown[bytes.length + 1] = 0x06;
    unknown[bytes.length + 2] = 0x01;
    assertThatThrownBy(() -> CallRecordCodec.decode(unknown))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageContaining("unknown fields");
    // The schema version repeated at the end: parses (last wins) but is not canonical.
    byte[] repeated = Arrays.copyOf(bytes, bytes.length + 2);
    repeated[bytes.length] = 0x08;
    repeated[bytes.length + 1] = 0x01;
    assertThatThrownBy(() -> CallRecordCodec.decode(repeated))
        .hasMessageContaining("not in canonical encoding");
    // A non-minimal varint for the schema version (0x81 0x00 == 1).
    byte[] longVarint = new byte[bytes.length + 1];
    longVarint[0] = 0x08;
    longVarint[1] = (byte) 0x81;
    longVarint[2] = 0x00;
    System.arraycopy(bytes, 2, longVarint, 3, bytes.length - 2);
    assertThatThrownBy(() -> CallRecordCodec.decode(longVarint))
        .hasMessageContaining("not in canonical encoding");
    assertThatThrownBy(() -> CallRecordCodec.decode(Arrays.copyOf(bytes, bytes.length - 3)))
        .isInstanceOf(MalformedDataException.class);
  }

  @Test
  void anotherSchemaVersionIsRejected() {
    byte[] bytes = CallRecordCodec.encode(gen.next());
    bytes[1] = 0x02;
    assertThatThrownBy(() -> CallRecordCodec.decode(bytes))
        .hasMessageContaining("schema version 2");
  }

  @Test
  void theJsonRenderingShowsEveryAttribute() throws Exception {
    CallRecord r = gen.next(CallRecords.recordingOf(new byte[] {1, 2}, "a.wav"));
    JsonNode j = new ObjectMapper().readTree(CallRecordCodec.toJson(r, true));
    assertThat(j.get("callId").asText()).isEqualTo(r.callId().toString());
    assertThat(j.get("recordingDevice").asText()).isEqualTo(TestKeys.ALICE.address().toHex());
    for (String field :
        new String[] {
          "caller", "callee", "direction", "callType", "start", "end", "durationMillis",
          "disposition", "sipCode", "sipReason", "codec", "mediaEncrypted", "network", "quality",
          "site", "admission", "recording", "consent"
        }) {
      assertThat(j.has(field)).as(field).isTrue();
    }
    assertThat(j.get("recording").get("sha256").asText()).isEqualTo(r.recording().sha256().toHex());
    assertThat(j.get("network").get("transport").asText())
        .isEqualTo(r.network().transport().name());
  }

  @Test
  void checkpointsRoundTripAndRejectAlteredBytes() throws Exception {
    Checkpoint c = Checkpoint.sign(TestKeys.ALICE, 5, Hash256.wrap(new byte[32]), 1234);
    assertThat(Checkpoint.decode(c.encoded())).isEqualTo(c);
    assertThat(c.signatureValid()).isTrue();
    byte[] trailing = Arrays.copyOf(c.encoded(), c.encoded().length + 1);
    assertThatThrownBy(() -> Checkpoint.decode(trailing))
        .isInstanceOf(MalformedDataException.class);
    Checkpoint moved =
        new Checkpoint(c.device(), 6, c.rootHash(), c.timestampMillis(), c.signature());
    assertThat(moved.signatureValid()).isFalse();
    assertThat(CanonicalProto.encodeCheckpoint(c)).isEqualTo(c.encoded());
  }

  @Test
  void inconsistentRecordsCannotBeBuilt() {
    assertThatThrownBy(
            () ->
                CallRecord.builder()
                    .callId(CallId.of("x", "a", "b"))
                    .caller(new CallParty("sip:a@x", "", null))
                    .callee(new CallParty("sip:b@x", "", TestKeys.BOB.address()))
                    .direction(CallDirection.OUTGOING)
                    .startMillis(10)
                    .endMillis(5)
                    .disposition(CallDisposition.FAILED)
                    .network(new NetworkDetails("a", 1, 1, "b", 1, 1, CallTransport.UDP))
                    .build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void callIdsAreTheSameForBothEndsAndSeparateTheirParts() {
    assertThat(CallId.of("abc@h", "1", "2")).isEqualTo(CallId.of("abc@h", "1", "2"));
    assertThat(CallId.of("ab", "c", "d")).isNotEqualTo(CallId.of("a", "bc", "d"));
    assertThat(CallId.parse(CallId.of("a", "b", "c").toString()))
        .isEqualTo(CallId.of("a", "b", "c"));
  }
}

package org.callchain.ledger.internal.proto;

import com.google.protobuf.ByteString;
import org.callchain.identity.DeviceAddress;
import org.callchain.identity.DeviceSignature;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.MalformedDataException;
import org.callchain.ledger.WitnessSignature;

/** Canonical encodings of witness statements and stored co-signatures (ledger.proto). */
public final class WitnessProto {
  private WitnessProto() {}

  /** The bytes a witness signs for {@code checkpoint} at {@code witnessedMillis}. */
  public static byte[] statement(Checkpoint checkpoint, long witnessedMillis) {
    return CanonicalProto.encode(
        WitnessStatement.newBuilder()
            .setCheckpoint(CanonicalProto.signedCheckpoint(checkpoint))
            .setWitnessedMs(witnessedMillis)
            .build());
  }

  public static WitnessCosignature message(WitnessSignature w) {
    return WitnessCosignature.newBuilder()
        .setWitness(ByteString.copyFrom(w.witness().toBytes()))
        .setWitnessedMs(w.witnessedMillis())
        .setSignature(ByteString.copyFrom(w.signature().toBytes()))
        .build();
  }

  public static byte[] encode(WitnessSignature w) {
    return CanonicalProto.encode(message(w));
  }

  public static WitnessSignature decode(byte[] bytes) throws MalformedDataException {
    return fromMessage(
        CanonicalProto.decodeStrict(WitnessCosignature.parser(), bytes, "witness signature"));
  }

  public static WitnessSignature fromMessage(WitnessCosignature m) throws MalformedDataException {
    try {
      return new WitnessSignature(
          DeviceAddress.of(m.getWitness().toByteArray()),
          m.getWitnessedMs(),
          DeviceSignature.of(m.getSignature().toByteArray()));
    } catch (IllegalArgumentException e) {
      throw new MalformedDataException("witness signature is invalid: " + e.getMessage());
    }
  }
}

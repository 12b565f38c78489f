package org.callchain.ledger;

import java.util.Objects;
import org.callchain.identity.DeviceAddress;
import org.callchain.identity.DeviceKey;
import org.callchain.identity.DeviceSignature;
import org.callchain.identity.SignatureVerifier;
import org.callchain.identity.SigningDomain;
import org.callchain.ledger.internal.proto.WitnessProto;

/**
 * A witness co-signature: device {@code witness} states that it verified another device's signed
 * checkpoint (held every leaf up to it, consistent with what it held before) at {@code
 * witnessedMillis}. Signed in {@link SigningDomain#WITNESS_COSIGNATURE} over the canonical {@code
 * WitnessStatement} (the full signed checkpoint and the time), so a co-signature names exactly one
 * signed tree. Witnesses that co-signed two different trees of one size expose a split view before
 * the next anchor (docs/replication.md, "Witnesses").
 */
public record WitnessSignature(
    DeviceAddress witness, long witnessedMillis, DeviceSignature signature) {

  public WitnessSignature {
    Objects.requireNonNull(witness, "witness");
    Objects.requireNonNull(signature, "signature");
    if (witnessedMillis < 0) {
      throw new IllegalArgumentException("witness time cannot be negative");
    }
  }

  /** Co-signs {@code checkpoint} with {@code key}. */
  public static WitnessSignature sign(DeviceKey key, Checkpoint checkpoint, long nowMillis) {
    return new WitnessSignature(
        key.address(),
        nowMillis,
        key.sign(SigningDomain.WITNESS_COSIGNATURE, WitnessProto.statement(checkpoint, nowMillis)));
  }

  /** Whether this is {@link #witness()}'s signature over {@code checkpoint}. */
  public boolean verifies(Checkpoint checkpoint) {
    return SignatureVerifier.verify(
        witness,
        SigningDomain.WITNESS_COSIGNATURE,
        WitnessProto.statement(checkpoint, witnessedMillis),
        signature);
  }

  /** The canonical stored form (witness, time, signature). */
  public byte[] encoded() {
    return WitnessProto.encode(this);
  }

  public static WitnessSignature decode(byte[] bytes) throws MalformedDataException {
    return WitnessProto.decode(bytes);
  }
}

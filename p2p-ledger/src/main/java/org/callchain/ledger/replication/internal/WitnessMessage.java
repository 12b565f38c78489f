package org.callchain.ledger.replication.internal;

import java.util.Objects;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.WitnessSignature;

/** A witness's co-signature of a device's checkpoint, as it travels. */
record WitnessMessage(Checkpoint checkpoint, WitnessSignature signature) {
  WitnessMessage {
    Objects.requireNonNull(checkpoint, "checkpoint");
    Objects.requireNonNull(signature, "signature");
  }
}

package org.callchain.ledger.replication;

import java.util.Objects;
import java.util.Optional;
import org.callchain.identity.DeviceAddress;
import org.callchain.net.PeerId;

/**
 * A message from a peer that the validator refused; nothing of it was stored (equivocation evidence
 * aside). {@code from} is the peer that handed it to us (for gossip the forwarder, who is the one
 * gossipsub scores down), {@code claimedDevice} the device whose log (or, for a witness message,
 * whose co-signature) it claims to carry, {@code detail} one line for an operator.
 */
public record RejectedMessage(
    PeerId from,
    Delivery via,
    RejectionReason reason,
    Optional<DeviceAddress> claimedDevice,
    String detail) {
  public RejectedMessage {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(via, "via");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(claimedDevice, "claimedDevice");
    Objects.requireNonNull(detail, "detail");
  }
}

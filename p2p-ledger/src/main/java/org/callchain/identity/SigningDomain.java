package org.callchain.identity;

import java.nio.charset.StandardCharsets;

/**
 * What a signature is for. The domain's name is hashed in front of the message, so a signature made
 * in one domain never verifies in another (domain separation). Names are ASCII, versioned, and
 * never reused for a different message layout.
 */
public enum SigningDomain {
  /** A device log checkpoint (device, tree size, root hash, time); see docs/ledger.md. */
  CHECKPOINT("callchain/checkpoint/v1"),
  /** A witness co-signature over another device's checkpoint. */
  WITNESS_COSIGNATURE("callchain/witness-cosignature/v1"),
  /** A SIP Identity header PASSporT (RFC 8225) signed by the device. */
  SIP_IDENTITY("callchain/sip-identity/v1"),
  /** A libp2p handshake payload that binds a network key to the device. */
  NETWORK_HANDSHAKE("callchain/network-handshake/v1");

  private final String label;

  SigningDomain(String label) {
    this.label = label;
  }

  /** The domain separator text hashed in front of every message of this domain. */
  public String label() {
    return label;
  }

  byte[] labelBytes() {
    return label.getBytes(StandardCharsets.US_ASCII);
  }
}

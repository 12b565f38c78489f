package org.callchain.identity;

import java.nio.charset.StandardCharsets;

/**
 * What a signature is for. The domain's name is hashed in front of the message, so a signature made
 * in one domain never verifies in another (domain separation). Names are ASCII, versioned, and
 * never reused for a different message layout. A label is shorter than 45 bytes, so its length byte
 * is never a base64url character and no domain digest can equal the digest of a JWS signing input
 * (SIP Identity PASSporTs, {@link DeviceKey#signJwsEs256k}; ADR 0080).
 */
public enum SigningDomain {
  /** A device log checkpoint (device, tree size, root hash, time); see docs/ledger.md. */
  CHECKPOINT("callchain/checkpoint/v1"),
  /** A witness co-signature over another device's checkpoint. */
  WITNESS_COSIGNATURE("callchain/witness-cosignature/v1"),
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

package org.callchain.identity;

import org.callchain.net.NodeKey;

/**
 * A device's private signing key, unlocked from its keystore. The key material never leaves this
 * object: there is no accessor for it and {@link Object#toString()} shows only the address, so a
 * key that ends up in a log line leaks nothing.
 */
public interface DeviceKey {
  /** The device id: the Ethereum address of this key. */
  DeviceAddress address();

  /**
   * Signs {@code message} in {@code domain}; the signature recovers to {@link #address()} with
   * {@link SignatureVerifier#recover}.
   */
  DeviceSignature sign(SigningDomain domain, byte[] message);

  /**
   * Signs a JWS signing input with ES256K (RFC 8812 §3.2): ECDSA on secp256k1 over SHA-256 of
   * {@code signingInput}, returned as the 64 bytes {@code r || s} with low {@code s} and an RFC
   * 6979 deterministic nonce. This is the one signature made without a {@link SigningDomain} label,
   * because JWS verifiers (RFC 7515 §5.2) hash the signing input alone. It stays domain-separated
   * all the same: only a JWS Compact Serialization signing input ({@code BASE64URL(header) '.'
   * BASE64URL(payload)}, see {@link SignatureVerifier#isJwsSigningInput}) is signed, and its first
   * byte is a base64url character (at least 0x2D), which no domain label's length byte ever is (ADR
   * 0080).
   *
   * @throws IllegalArgumentException if {@code signingInput} is not a JWS signing input
   */
  byte[] signJwsEs256k(byte[] signingInput);

  /**
   * The same secp256k1 key as the device's libp2p identity (design brief: one key per device), so a
   * peer's network identity maps to its registered address. The {@link NodeKey} keeps the material
   * as private as this object does.
   */
  NodeKey networkKey();
}

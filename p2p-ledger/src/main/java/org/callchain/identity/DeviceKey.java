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
   * The same secp256k1 key as the device's libp2p identity (design brief: one key per device), so a
   * peer's network identity maps to its registered address. The {@link NodeKey} keeps the material
   * as private as this object does.
   */
  NodeKey networkKey();
}

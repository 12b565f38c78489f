package org.callchain.identity.internal.web3j;

import org.callchain.identity.DeviceAddress;
import org.callchain.identity.DeviceKey;
import org.callchain.identity.DeviceSignature;
import org.callchain.identity.SignatureVerifier;
import org.callchain.identity.SigningDomain;
import org.callchain.identity.internal.secp256k1.Secp256k1;
import org.callchain.net.InvalidKeyException;
import org.callchain.net.NodeKey;
import org.web3j.crypto.ECKeyPair;

/** A {@link DeviceKey} backed by a web3j key pair that never leaves this object. */
public final class Web3jDeviceKey implements DeviceKey {
  private final ECKeyPair keyPair;
  private final DeviceAddress address;

  public Web3jDeviceKey(ECKeyPair keyPair) {
    this.keyPair = keyPair;
    this.address = DeviceAddress.of(Secp256k1.address(keyPair));
  }

  @Override
  public DeviceAddress address() {
    return address;
  }

  @Override
  public DeviceSignature sign(SigningDomain domain, byte[] message) {
    return DeviceSignature.of(Secp256k1.sign(SignatureVerifier.digest(domain, message), keyPair));
  }

  @Override
  public byte[] signJwsEs256k(byte[] signingInput) {
    if (!SignatureVerifier.isJwsSigningInput(signingInput)) {
      throw new IllegalArgumentException("not a JWS signing input (base64url '.' base64url)");
    }
    return Secp256k1.signRs(SignatureVerifier.sha256(signingInput), keyPair);
  }

  @Override
  public NodeKey networkKey() {
    try {
      return NodeKey.fromSecp256k1(Secp256k1.privateKeyBytes(keyPair));
    } catch (InvalidKeyException e) {
      throw new IllegalStateException("a keystore key is a valid secp256k1 key", e);
    }
  }

  @Override
  public String toString() {
    return "DeviceKey[" + address.toHex() + "]";
  }
}

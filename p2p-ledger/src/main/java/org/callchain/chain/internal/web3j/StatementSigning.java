package org.callchain.chain.internal.web3j;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.callchain.chain.AnchorCheckpoint;
import org.callchain.chain.AnchorStatement;
import org.callchain.chain.DeviceAddress;
import org.callchain.identity.internal.secp256k1.RecoverableSignature;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;

/**
 * The anchor statement's digest and signatures (EIP-191 version 0x00, EIP-2098 compact form), the
 * Java side of {@code LedgerAnchor.statementDigest} and its {@code ecrecover}. web3j signs with a
 * low s (EIP-2), which the contract requires.
 */
public final class StatementSigning {
  /** secp256k1n / 2, the largest s the contract's {@code anchorBatch} accepts (EIP-2). */
  private static final BigInteger HALF_ORDER =
      new BigInteger("7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0", 16);

  private StatementSigning() {}

  public static byte[] digest(long chainId, DeviceAddress anchor, AnchorCheckpoint checkpoint) {
    ByteBuffer b = ByteBuffer.allocate(2 + 20 + 32 + 8 + 32);
    b.put((byte) 0x19).put((byte) 0x00).put(anchor.bytes());
    b.put(new byte[24]).putLong(chainId);
    b.putLong(checkpoint.treeSize()).put(checkpoint.root().bytes());
    return Hash.sha3(b.array());
  }

  public static AnchorStatement sign(
      Credentials key, long chainId, DeviceAddress anchor, AnchorCheckpoint checkpoint) {
    // web3j's Sign.signMessage bytes, without its recovery-id search (one per commit).
    RecoverableSignature sig =
        RecoverableSignature.sign(
            digest(chainId, anchor, checkpoint), key.getEcKeyPair().getPrivateKey());
    byte[] vs = sig.s().clone();
    if ((sig.recoveryId() & 1) == 1) {
      vs[0] |= (byte) 0x80;
    }
    return new AnchorStatement(DeviceAddress.parse(key.getAddress()), checkpoint, sig.r(), vs);
  }

  public static Optional<DeviceAddress> recover(
      long chainId, DeviceAddress anchor, AnchorStatement statement) {
    byte[] vs = statement.yParityAndS();
    byte v = (byte) (((vs[0] & 0x80) != 0) ? 28 : 27);
    vs[0] &= 0x7f;
    if (new BigInteger(1, vs).compareTo(HALF_ORDER) > 0) {
      return Optional.empty(); // EIP-2: the contract refuses the malleable twin, so do we
    }
    try {
      BigInteger key =
          Sign.signedMessageHashToKey(
              digest(chainId, anchor, statement.checkpoint()),
              new Sign.SignatureData(v, statement.r(), vs));
      return Optional.of(DeviceAddress.parse("0x" + Keys.getAddress(key)));
    } catch (java.security.SignatureException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}

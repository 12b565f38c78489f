package org.callchain.node.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import org.callchain.net.NodeKey;
import org.callchain.net.PeerPublicKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.crypto.WalletUtils;

/** The p2p commands take the device key from its keystore: one key, one identity. */
class P2pIdentityTest {
  @TempDir Path dir;

  @Test
  void keystoreKeyBecomesTheLibp2pIdentity() throws Exception {
    String file = WalletUtils.generateLightNewWalletFile("secret", dir.toFile());
    Path password = Files.writeString(dir.resolve("pw"), "secret\n");
    P2pCommand.Identity identity = new P2pCommand.Identity();
    identity.keystore = dir.resolve(file);
    identity.passwordFile = password;

    NodeKey key = identity.load();

    Credentials credentials = WalletUtils.loadCredentials("secret", dir.resolve(file).toFile());
    BigInteger pub = credentials.getEcKeyPair().getPublicKey();
    byte[] uncompressed = new byte[65];
    uncompressed[0] = 0x04;
    byte[] xy = org.web3j.utils.Numeric.toBytesPadded(pub, 64);
    System.arraycopy(xy, 0, uncompressed, 1, 64);
    assertThat(key.publicKey())
        .isEqualTo(PeerPublicKey.of(org.callchain.net.KeyType.SECP256K1, uncompressed));
    assertThat(Keys.getAddress(pub)).isNotEmpty();
  }

  @Test
  void wrongPasswordIsAClearError() throws Exception {
    String file = WalletUtils.generateLightNewWalletFile("secret", dir.toFile());
    P2pCommand.Identity identity = new P2pCommand.Identity();
    identity.keystore = dir.resolve(file);
    identity.passwordFile = Files.writeString(dir.resolve("pw"), "wrong");
    assertThatThrownBy(identity::load)
        .isInstanceOf(CliException.class)
        .hasMessageStartingWith("cannot open keystore");
  }
}

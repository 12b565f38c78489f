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

/**
 * The p2p commands take the device key from its keystore: one key, one identity. The option is
 * inherited, so it works after the subcommand name too.
 */
class P2pIdentityTest {
  @TempDir Path dir;

  @Test
  void keystoreKeyBecomesTheLibp2pIdentity() throws Exception {
    String file = WalletUtils.generateLightNewWalletFile("secret", dir.toFile());
    Path password = Files.writeString(dir.resolve("pw"), "secret\n");
    P2pCommand command = new P2pCommand();
    new picocli.CommandLine(command)
        .parseArgs(
            "listen",
            "--keystore",
            dir.resolve(file).toString(),
            "--password-file",
            password.toString());

    NodeKey key = command.nodeKey();

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
    Path wrong = Files.writeString(dir.resolve("pw"), "wrong");
    assertThatThrownBy(() -> P2pCommand.fromKeystore(dir.resolve(file), wrong))
        .isInstanceOf(CliException.class)
        .hasMessageStartingWith("cannot open keystore");
  }
}

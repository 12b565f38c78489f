package org.callchain.node.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.WalletUtils;
import org.web3j.crypto.exception.CipherException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * The signing key of a command, never on the command line itself (it would land in shell history
 * and process lists): a V3 keystore file (its password in an environment variable) or a file
 * holding a hex private key, or the name of an environment variable holding one.
 */
final class KeyOptions {
  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  static final class Source {
    @Option(
        names = "--key-file",
        paramLabel = "FILE",
        description =
            "V3 keystore JSON (password in --password-env) or a file with a hex private key.")
    Path keyFile;

    @Option(
        names = "--private-key-env",
        paramLabel = "VAR",
        description = "Environment variable holding a hex private key.")
    String privateKeyEnv;
  }

  @Option(
      names = "--password-env",
      paramLabel = "VAR",
      defaultValue = "CALLCHAIN_KEY_PASSWORD",
      description = "Environment variable with the keystore password (default: ${DEFAULT-VALUE}).")
  String passwordEnv;

  Credentials credentials() {
    if (source.privateKeyEnv != null) {
      String key = System.getenv(source.privateKeyEnv);
      if (key == null || key.isBlank()) {
        throw new CliException("environment variable " + source.privateKeyEnv + " is not set");
      }
      return fromHex(key.strip(), "$" + source.privateKeyEnv);
    }
    Path file = source.keyFile;
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new CliException("cannot read key file " + file + ": " + e.getMessage());
    }
    if (!text.startsWith("{")) {
      return fromHex(text, file.toString());
    }
    String password = System.getenv(passwordEnv);
    if (password == null) {
      throw new CliException(file + " is a keystore: set its password in $" + passwordEnv);
    }
    try {
      return WalletUtils.loadCredentials(password, file.toFile());
    } catch (IOException | CipherException e) {
      throw new CliException("cannot open keystore " + file + ": " + e.getMessage());
    }
  }

  private static Credentials fromHex(String hex, String where) {
    String digits = hex.startsWith("0x") ? hex.substring(2) : hex;
    if (!WalletUtils.isValidPrivateKey(digits)) {
      throw new CliException(where + " does not hold a 32-byte hex private key");
    }
    return Credentials.create(digits);
  }
}

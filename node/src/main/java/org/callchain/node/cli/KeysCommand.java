package org.callchain.node.cli;

import java.nio.file.Files;
import org.callchain.identity.DeviceAddress;
import org.callchain.identity.DeviceKey;
import org.callchain.identity.DeviceKeystore;
import org.callchain.identity.KeystoreException;
import org.callchain.identity.KeystoreStrength;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code callchain keys new|show}: the device's secp256k1 key in its V3 keystore. */
@Command(
    name = "keys",
    description =
        "Create or show the device key (an Ethereum V3 keystore; its address is the device id).",
    subcommands = {picocli.CommandLine.HelpCommand.class})
final class KeysCommand {
  @Mixin LedgerHome home;
  @Spec CommandSpec spec;

  @Command(name = "new", description = "Create a new device key; never overwrites a keystore.")
  int create(
      @Option(
              names = "--light",
              description = "Weak, fast scrypt parameters (tests and throwaway keys only).")
          boolean light) {
    if (Files.exists(home.keystoreFile())) {
      throw new CliException(
          "keystore " + home.keystoreFile() + " already exists; not overwriting it");
    }
    char[] password;
    try {
      password = home.passwordSource(true).read();
    } catch (KeystoreException e) {
      throw new CliException(e.getMessage(), e);
    }
    try {
      DeviceKey key =
          DeviceKeystore.create(
              home.keystoreFile(),
              password,
              light ? KeystoreStrength.LIGHT : KeystoreStrength.DEVICE);
      spec.commandLine().getOut().println("device " + key.address().toHex());
      spec.commandLine().getOut().println("keystore " + home.keystoreFile());
      return 0;
    } catch (KeystoreException e) {
      throw new CliException(e.getMessage(), e);
    } finally {
      java.util.Arrays.fill(password, '\0');
    }
  }

  @Command(
      name = "show",
      description = "Show the device address; with a password option, also check it unlocks.")
  int show() {
    try {
      DeviceAddress address = DeviceKeystore.peekAddress(home.keystoreFile());
      if (home.passwordGiven()) {
        DeviceKey key = home.unlock();
        if (!key.address().equals(address)) {
          throw new CliException("keystore address does not match its key");
        }
      }
      spec.commandLine().getOut().println("device " + address.toHex());
      spec.commandLine().getOut().println("keystore " + home.keystoreFile());
      if (home.passwordGiven()) {
        spec.commandLine().getOut().println("password OK");
      }
      return 0;
    } catch (KeystoreException e) {
      throw new CliException(e.getMessage(), e);
    }
  }
}

package org.callchain.node.cli;

import java.util.List;
import org.callchain.chain.ChainConnection;
import org.callchain.chain.ChainException;
import org.callchain.chain.Chains;
import org.callchain.chain.DeviceAddress;
import org.callchain.chain.DeviceRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code callchain device register|revoke|list}: the on-chain device registry. */
@Command(
    name = "device",
    description = "Register, revoke and list devices in the on-chain registry.",
    mixinStandardHelpOptions = true)
final class DeviceCommand {
  @Spec CommandSpec spec;

  @Command(
      name = "register",
      description = "Register a device key and bind it to a SIP identity (registrar key).")
  int register(
      @Parameters(
              index = "0",
              paramLabel = "ADDRESS",
              description = "The device's Ethereum address.")
          String address,
      @Parameters(
              index = "1",
              paramLabel = "SIP-URI",
              description = "Its SIP identity, e.g. sip:alice@example.com.")
          String sip,
      @Mixin ChainOptions chain,
      @Mixin KeyOptions key) {
    DeviceAddress device = ChainOptions.address(address, "ADDRESS");
    if (!sip.startsWith("sip:") && !sip.startsWith("sips:") && !sip.startsWith("tel:")) {
      throw new CliException(
          "SIP-URI must start with sip:, sips: or tel: (" + sip + ")", OneLineErrors.USAGE);
    }
    try (ChainConnection connection = chain.connect()) {
      String tx = Chains.registryAdmin(connection, key.credentials()).register(device, sip);
      spec.commandLine()
          .getOut()
          .println("registered " + device + " as " + sip + " (tx " + tx + ")");
      return 0;
    } catch (ChainException e) {
      throw new CliException(e.getMessage());
    }
  }

  @Command(
      name = "revoke",
      description = "Revoke a device (registrar key); a revoked key never comes back.")
  int revoke(
      @Parameters(index = "0", paramLabel = "ADDRESS") String address,
      @Mixin ChainOptions chain,
      @Mixin KeyOptions key) {
    DeviceAddress device = ChainOptions.address(address, "ADDRESS");
    try (ChainConnection connection = chain.connect()) {
      String tx = Chains.registryAdmin(connection, key.credentials()).revoke(device);
      spec.commandLine().getOut().println("revoked " + device + " (tx " + tx + ")");
      return 0;
    } catch (ChainException e) {
      throw new CliException(e.getMessage());
    }
  }

  @Command(
      name = "list",
      description = "List every registered device with its status and SIP identity.")
  int list(@Mixin ChainOptions chain) {
    try (ChainConnection connection = chain.connect()) {
      List<DeviceRecord> devices = Chains.listDevices(connection);
      var out = spec.commandLine().getOut();
      if (devices.isEmpty()) {
        out.println("no devices registered");
      }
      for (DeviceRecord d : devices) {
        out.printf(
            "%s  %-7s  %s%s%n",
            d.address(),
            d.status().name().toLowerCase(java.util.Locale.ROOT),
            d.sipIdentity(),
            d.successor().map(s -> "  -> " + s).orElse(""));
      }
      return 0;
    } catch (ChainException e) {
      throw new CliException(e.getMessage());
    }
  }
}

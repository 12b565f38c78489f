package org.callchain.node.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/** The root {@code callchain} command. Each subcommand lives in its own class. */
@Command(
    name = "callchain",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "A SIP softphone that is also a node of a call-record ledger.",
    subcommands = {
      HelpCommand.class,
      DemoCommand.class,
      InitCommand.class,
      NodeCommand.class,
      StatusCommand.class,
      PhoneCommand.class,
      CallCommand.class,
      KeysCommand.class,
      LedgerCommand.class,
      VerifyCommand.class,
      AuditCommand.class,
      ChainCommand.class,
      DeviceCommand.class,
      AnchorCommand.class,
      P2pCommand.class,
    })
public final class CallchainCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}

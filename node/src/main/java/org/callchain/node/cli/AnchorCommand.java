package org.callchain.node.cli;

import java.nio.file.Path;
import org.callchain.chain.AnchorStatus;
import org.callchain.chain.ChainException;
import org.callchain.chain.Chains;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code callchain anchor status}: the node's anchor queue, read from its data directory. */
@Command(
    name = "anchor",
    description = "Inspect the anchoring of this node's ledger on chain.",
    mixinStandardHelpOptions = true)
final class AnchorCommand {
  @Spec CommandSpec spec;

  @Command(
      name = "status",
      description =
          "Queue length, anchors in flight, the last confirmed anchor, lag and the last error.")
  int status(
      @Option(
              names = "--data-dir",
              paramLabel = "DIR",
              defaultValue = "${sys:user.home}/.callchain/chain",
              description = "The node's chain data directory (default: ${DEFAULT-VALUE}).")
          Path dataDir) {
    AnchorStatus s;
    try {
      s = Chains.readAnchorStatus(dataDir);
    } catch (ChainException e) {
      throw new CliException(e.getMessage());
    }
    var out = spec.commandLine().getOut();
    out.println("queued:          " + s.queued());
    out.println("in flight:       " + s.inFlight());
    out.println(
        "last confirmed:  "
            + s.lastConfirmed()
                .map(
                    a ->
                        "size "
                            + a.checkpoint().treeSize()
                            + " root "
                            + a.checkpoint().root()
                            + " block "
                            + a.blockNumber()
                            + " tx "
                            + a.transactionHash())
                .orElse("none"));
    out.println("records behind:  " + s.lagRecords());
    out.println("oldest waiting:  " + s.lag().toSeconds() + " s");
    out.println("next nonce:      " + s.nextNonce());
    out.println("last error:      " + s.lastError().orElse("none"));
    return 0;
  }
}

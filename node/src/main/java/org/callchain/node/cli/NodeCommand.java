package org.callchain.node.cli;

import java.nio.file.Path;
import java.time.Duration;
import org.callchain.node.CallchainNode;
import org.callchain.node.config.NodeConfig;
import org.callchain.node.config.NodeConfigException;
import org.callchain.node.config.NodeConfigReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code callchain node}: runs a headless node (phone, ledger, chain clients, control and metrics
 * HTTP) until SIGINT/SIGTERM, then hangs up, flushes and closes. Prints one {@code node ready:}
 * line once everything is up.
 */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    description = {
      "Run a headless Callchain node from its node.yaml until SIGINT/SIGTERM.",
      "Prints one line starting with 'node ready:' once every part is up."
    })
public final class NodeCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(
      names = "--config",
      required = true,
      paramLabel = "FILE",
      description = "The node's config (made by 'callchain init').")
  Path configFile;

  @Override
  public void run() {
    NodeConfig config = read(configFile);
    CallchainNode node;
    try {
      node = CallchainNode.start(config);
    } catch (CallchainNode.StartException e) {
      throw new CliException(e.getMessage(), e);
    }
    // The hook waits (bounded) for the close below and the command's exit status.
    ShutdownSignal signal =
        ShutdownSignal.install("callchain-node-shutdown", Duration.ofSeconds(15));
    try {
      var out = spec.commandLine().getOut();
      out.println(node.readyLine());
      out.flush();
      signal.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      node.close();
      spec.commandLine().getOut().println("node stopped");
      spec.commandLine().getOut().flush();
      signal.closed();
    }
  }

  /** Reads and validates a node config; a bad one is one line naming the key, exit 2. */
  static NodeConfig read(Path file) {
    try {
      return NodeConfigReader.read(file);
    } catch (NodeConfigException e) {
      throw new CliException(file + ": " + e.getMessage(), OneLineErrors.USAGE);
    }
  }
}

package org.callchain.node.cli;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    // The JVM halts once its hooks return: the hook waits (bounded) for the clean close below.
    Thread hook =
        new Thread(
            () -> {
              stop.countDown();
              try {
                stopped.await(15, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "callchain-node-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      var out = spec.commandLine().getOut();
      out.println(node.readyLine());
      out.flush();
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      node.close();
      spec.commandLine().getOut().println("node stopped");
      spec.commandLine().getOut().flush();
      stopped.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException alreadyShuttingDown) {
        // The JVM is exiting because of the signal; the hook has already run.
      }
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

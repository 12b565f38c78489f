package org.callchain.chain.internal.anvil;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.callchain.chain.ChainException;
import org.callchain.chain.LocalChain;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Bip32ECKeyPair;
import org.web3j.crypto.MnemonicUtils;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * An Anvil process: loopback only, on a free port, with a fixed block time (or mining on every
 * transaction), its state optionally kept in a file so that {@link #restart()} continues the same
 * chain. With a state file Anvil also writes the state every second ({@code --state-interval 1}),
 * so even a killed node comes back with at most the last second lost — which looks to clients like
 * a short reorg, exactly what the anchor service must survive.
 */
public final class AnvilNode implements LocalChain {
  private static final Logger LOG = LoggerFactory.getLogger(AnvilNode.class);

  /** Anvil's default development mnemonic; its accounts are funded with 10,000 ether. */
  public static final String DEV_MNEMONIC =
      "test test test test test test test test test test test junk";

  private static final int DEV_ACCOUNTS = 10;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final Path binary;
  private final Options options;
  private final int port;
  private final Path logFile;
  private final Thread shutdownHook;
  private Process process;

  /**
   * @param blockTime zero for a block per transaction
   * @param stateFile where the chain state is loaded from and dumped to, if any
   */
  public record Options(Duration blockTime, long chainId, Optional<Path> stateFile) {}

  private AnvilNode(Path binary, Options options, int port, Path logFile) {
    this.binary = binary;
    this.options = options;
    this.port = port;
    this.logFile = logFile;
    this.shutdownHook = new Thread(this::destroyNow, "anvil-shutdown");
  }

  /** Starts Anvil and returns once it answers JSON-RPC. */
  public static AnvilNode start(Options options) throws ChainException {
    Path binary = ProjectTools.anvilBinary();
    Path logFile;
    try {
      logFile = Files.createTempFile("callchain-anvil-", ".log");
    } catch (IOException e) {
      throw new ChainException(ChainException.Reason.TOOL_MISSING, "cannot create Anvil log", e);
    }
    AnvilNode node = new AnvilNode(binary, options, freePort(), logFile);
    Runtime.getRuntime().addShutdownHook(node.shutdownHook);
    try {
      node.launch();
    } catch (ChainException e) {
      node.close();
      throw e;
    }
    return node;
  }

  @Override
  public String rpcUrl() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public long chainId() {
    return options.chainId();
  }

  @Override
  public List<String> devPrivateKeys() {
    byte[] seed = MnemonicUtils.generateSeed(DEV_MNEMONIC, "");
    Bip32ECKeyPair master = Bip32ECKeyPair.generateKeyPair(seed);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < DEV_ACCOUNTS; i++) {
      // BIP-44 path m/44'/60'/0'/0/i, as Anvil derives its accounts
      int[] path = {
        44 | Bip32ECKeyPair.HARDENED_BIT,
        60 | Bip32ECKeyPair.HARDENED_BIT,
        Bip32ECKeyPair.HARDENED_BIT,
        0,
        i
      };
      Bip32ECKeyPair key = Bip32ECKeyPair.deriveKeyPair(master, path);
      keys.add(String.format("0x%064x", key.getPrivateKey()));
    }
    return keys;
  }

  public Path logFile() {
    return logFile;
  }

  @Override
  public synchronized void kill() {
    if (process != null) {
      process.destroyForcibly();
      waitFor(process, Duration.ofSeconds(10));
      process = null;
    }
  }

  @Override
  public synchronized void restart() throws ChainException {
    close(false);
    launch();
  }

  @Override
  public void close() {
    close(true);
  }

  private synchronized void close(boolean removeHook) {
    if (process != null) {
      process.destroy(); // SIGTERM: Anvil dumps its state file on the way out
      if (!waitFor(process, Duration.ofSeconds(10))) {
        process.destroyForcibly();
        waitFor(process, Duration.ofSeconds(5));
      }
      process = null;
    }
    if (removeHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is exiting and runs the hook itself
      }
    }
  }

  private synchronized void launch() throws ChainException {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(List.of("--host", "127.0.0.1", "--port", Integer.toString(port)));
    command.addAll(List.of("--chain-id", Long.toString(options.chainId())));
    command.addAll(List.of("--mnemonic", DEV_MNEMONIC, "--accounts", "" + DEV_ACCOUNTS));
    long seconds = options.blockTime().toSeconds();
    if (seconds > 0) {
      command.addAll(List.of("--block-time", Long.toString(seconds)));
    }
    options
        .stateFile()
        .ifPresent(f -> command.addAll(List.of("--state", f.toString(), "--state-interval", "1")));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    ChainException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        process = builder.start();
      } catch (IOException e) {
        throw new ChainException(
            ChainException.Reason.TOOL_MISSING, "cannot start Anvil " + binary + ": " + e, e);
      }
      try {
        awaitRpc();
        LOG.info("Anvil {} on {} (log {})", binary.getFileName(), rpcUrl(), logFile);
        return;
      } catch (ChainException e) {
        last = e;
        process.destroyForcibly();
        waitFor(process, Duration.ofSeconds(5));
        process = null;
        sleep(Duration.ofMillis(500)); // the port may still be held by the last process
      }
    }
    throw last;
  }

  private void awaitRpc() throws ChainException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    Web3j client = Web3j.build(new HttpService(rpcUrl()));
    try {
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new ChainException(
              ChainException.Reason.TOOL_MISSING,
              "Anvil exited with status " + process.exitValue() + "; see " + logFile);
        }
        try {
          client.ethChainId().send();
          return;
        } catch (IOException notYet) {
          sleep(Duration.ofMillis(100));
        }
      }
      throw new ChainException(
          ChainException.Reason.TOOL_MISSING,
          "Anvil did not answer on " + rpcUrl() + " within " + START_TIMEOUT + "; see " + logFile);
    } finally {
      client.shutdown();
    }
  }

  private void destroyNow() {
    Process p = process;
    if (p != null) {
      p.destroy();
      waitFor(p, Duration.ofSeconds(5));
      p.destroyForcibly();
    }
  }

  private static boolean waitFor(Process p, Duration d) {
    try {
      return p.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() throws ChainException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new ChainException(ChainException.Reason.TOOL_MISSING, "no free loopback port", e);
    }
  }
}

package org.callchain.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.callchain.node.demo.CallchainJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code callchain node} as its own process in the single-machine default: no RPC URL, so it starts
 * its own Anvil, deploys, registers and funds its own device; prints exactly one {@code node
 * ready:} line; stops cleanly on SIGTERM with exit status 0; and starts again from the same
 * directory (the same chain state, no second registration).
 */
class NodeProcessInteropIT {
  @TempDir Path dir;

  @Test
  void aNodeOnItsOwnChainStartsStopsOnSigtermAndRestarts() throws Exception {
    Path pw = Files.writeString(dir.resolve("pw"), "secret\n");
    Path home = dir.resolve("solo");
    int control = freePort();
    CliRun init =
        CliRun.of(
            "init",
            "--dir",
            home.toString(),
            "--sip-uri",
            "sip:solo@127.0.0.1:" + freePort(),
            "--password-file",
            pw.toString(),
            "--p2p-port",
            "" + freePort(),
            "--control-port",
            "" + control);
    assertThat(init.exitCode()).as(init.err()).isZero();
    String device = init.out().lines().filter(l -> l.startsWith("device ")).findFirst().get();

    for (int run = 1; run <= 2; run++) {
      List<String> out = new CopyOnWriteArrayList<>();
      Process node = start(home.resolve("node.yaml"), out);
      try {
        awaitLine(out, "node ready: ", node);
        assertThat(out.get(0)).startsWith("node ready: " + device + " sip sip:solo@127.0.0.1:");
        String status = get("http://127.0.0.1:" + control + "/status");
        assertThat(status)
            .contains("\"registration\":{\"status\":\"active\",\"sipIdentity\":\"sip:solo@")
            .contains("\"peers\":[]");
      } finally {
        // SIGTERM; Process.destroy() would also close our end of its stdout.
        node.toHandle().destroy();
      }
      assertThat(node.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
      // A stop that was asked for and completed is a success, not 128 + SIGTERM.
      assertThat(node.exitValue()).as("exit status after SIGTERM").isZero();
      awaitLine(out, "node stopped", node);
      assertThat(out).containsExactly(out.get(0), "node stopped");
      assertThat(out.stream().filter(l -> l.startsWith("node ready:"))).hasSize(1);
    }
    assertThat(home.resolve("chain/local-chain/deployment.json")).exists();
  }

  private static Process start(Path config, List<String> out) throws Exception {
    Process p =
        CallchainJvm.processBuilder(List.of("node", "--config", config.toString()))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  out.add(line);
                }
              } catch (java.io.IOException e) {
                out.add("read failed: " + e);
              }
            });
    reader.setDaemon(true);
    reader.start();
    return p;
  }

  /** Waits for a line; once the process has exited, its remaining output gets 5 s to arrive. */
  private static void awaitLine(List<String> out, String prefix, Process p) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (out.stream().noneMatch(l -> l.startsWith(prefix))) {
      if (!p.isAlive()) {
        deadline = Math.min(deadline, System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "no '" + prefix + "' (alive: " + p.isAlive() + ") in the node's output " + out);
      }
      Thread.sleep(100);
    }
  }

  private static String get(String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url)).GET().build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}

package org.callchain.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage and input errors of the chain commands: one line, exit 2 for usage, 1 otherwise. */
class ChainCommandsTest {
  @TempDir Path dir;

  @Test
  void anchorStatusWithoutAQueueSaysWhereItLooked() {
    CliRun run = CliRun.of("anchor", "status", "--data-dir", dir.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().strip())
        .isEqualTo("callchain: no anchor queue at " + dir.resolve("anchor-queue"));
  }

  @Test
  void rejectsAMistypedChecksumAddressAsUsageError() {
    CliRun run =
        CliRun.of(
            "device",
            "revoke",
            "0x70997970C51812dc3A010C7d01b50e0d17dc79c8",
            "--rpc",
            "http://127.0.0.1:1",
            "--registry",
            "0x5FbDB2315678afecb367f032d93F642f64180aa3",
            "--anchor",
            "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
            "--private-key-env",
            "NO_SUCH_VARIABLE");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("checksum (EIP-55) does not match");
  }

  @Test
  void requiresAKeySource() {
    CliRun run = CliRun.of("chain", "deploy", "--rpc", "http://127.0.0.1:1");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--key-file").contains("--private-key-env");
  }

  @Test
  void rejectsASipIdentityThatIsNotAUri() {
    CliRun run =
        CliRun.of(
            "device",
            "register",
            "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
            "alice",
            "--rpc",
            "http://127.0.0.1:1",
            "--registry",
            "0x5FbDB2315678afecb367f032d93F642f64180aa3",
            "--anchor",
            "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
            "--private-key-env",
            "NO_SUCH_VARIABLE");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("SIP-URI must start with sip:");
  }

  @Test
  void reportsAnUnreachableEndpointInOneLine() {
    CliRun run =
        CliRun.of(
            "device", "list",
            "--rpc", "http://127.0.0.1:1",
            "--registry", "0x5FbDB2315678afecb367f032d93F642f64180aa3",
            "--anchor", "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().strip())
        .startsWith("callchain: JSON-RPC endpoint http://127.0.0.1:1 is unreachable")
        .doesNotContain("\n");
  }
}

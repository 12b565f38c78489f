package org.callchain.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code callchain demo}, the README's first command, end to end as a user runs it: Anvil, three
 * node processes and the impostor; it must pass every step and say what it measured.
 */
class DemoCommandInteropIT {

  @Test
  void demoRunsEveryStepAndExitsZero() {
    CliRun r = CliRun.of("demo");

    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    assertThat(r.out())
        .contains("[10/10]")
        .contains("registered as sip:alice@127.0.0.1:")
        .contains("ANSWERED 200")
        .contains("403")
        .contains("the same on")
        .contains("in block")
        .contains("OK: call")
        .contains("PROBLEM")
        .contains("Demo OK: every step held")
        .doesNotContain("Demo FAILED");
  }
}

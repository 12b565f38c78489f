package org.callchain.node.cli;

import java.util.concurrent.Callable;
import org.callchain.node.demo.NodeDemo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code callchain demo}: the whole product on one machine, step by step ({@link NodeDemo}). */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Start Anvil and deploy the contracts, create and register three devices (and an",
      "impostor that is not registered), run them as three node processes, call between them",
      "with tones and recordings, show the impostor refused, every record replicated and",
      "anchored, a proof bundle verified offline, and an audit that names an altered recording",
      "and an altered record. About a minute; exits 0 only if every step held."
    })
public final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    return NodeDemo.run(spec.commandLine().getOut());
  }
}

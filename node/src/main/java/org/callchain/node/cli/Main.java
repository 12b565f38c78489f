package org.callchain.node.cli;

import picocli.CommandLine;

/** Entry point of the {@code callchain} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    int status = run(args);
    // After SIGINT/SIGTERM the shutdown hook waits for this status and halts with it.
    ShutdownSignal.commandEnded(status);
    System.exit(status);
  }

  /** Runs one command line and returns its exit status; used by tests too. */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new CallchainCommand());
    cli.setExecutionExceptionHandler(new OneLineErrors());
    cli.setParameterExceptionHandler(new OneLineErrors());
    return cli.execute(args);
  }
}

package org.callchain.node.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns a failed command into one clear line on stderr and a non-zero exit, never a stack trace.
 * Usage errors exit 2; a command that fails exits 1 unless it threw a {@link CliException} that
 * carries its own status.
 */
final class OneLineErrors implements IExecutionExceptionHandler, IParameterExceptionHandler {

  static final int USAGE = 2;
  static final int FAILURE = 1;

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    cmd.getErr().println("callchain: " + ex.getMessage());
    cmd.getErr().println("Try 'callchain " + qualifiedName(cmd) + " --help'.");
    return USAGE;
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
    String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
    cmd.getErr().println("callchain: " + message);
    if (Boolean.getBoolean("callchain.debug")) {
      ex.printStackTrace(cmd.getErr());
    }
    return ex instanceof CliException cli ? cli.exitCode() : FAILURE;
  }

  private static String qualifiedName(CommandLine cmd) {
    String name = cmd.getCommandSpec().qualifiedName(" ");
    return name.startsWith("callchain ") ? name.substring("callchain ".length()) : "";
  }
}

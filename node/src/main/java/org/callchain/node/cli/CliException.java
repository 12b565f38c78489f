package org.callchain.node.cli;

/** A command failed for a reason the user can act on; the message is shown as one line. */
public class CliException extends RuntimeException {
  private final int exitCode;

  public CliException(String message) {
    this(message, 1);
  }

  public CliException(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  public CliException(String message, Throwable cause) {
    super(message, cause);
    this.exitCode = 1;
  }

  public int exitCode() {
    return exitCode;
  }
}

package org.callchain.phone.interop;

/**
 * What one SIPp run reported: the cumulative counters of its last {@code -trace_stat} line, its
 * exit code (0: every call succeeded, 1: at least one failed, 97: stopped by command, 99: no call
 * processed, 255/254: fatal error) and its error log.
 *
 * @param exitCode SIPp's exit status, or -1 when it had to be killed at the timeout
 * @param created calls SIPp created (UAC) or received (UAS)
 * @param successful calls that reached the end of the scenario
 * @param failed calls that did not
 * @param errors the contents of {@code -trace_err}'s file (unexpected messages, retransmission
 *     timeouts), possibly truncated
 * @param screen the final statistics screen (message counts per scenario step), for diagnostics
 */
public record SippResult(
    int exitCode, long created, long successful, long failed, String errors, String screen) {

  /** True when SIPp exited normally and counted exactly {@code calls} successful calls. */
  public boolean allSuccessful(long calls) {
    return exitCode == 0 && successful == calls && failed == 0;
  }

  /** A multi-line summary for assertion messages. */
  public String describe() {
    return "SIPp exit="
        + exitCode
        + " created="
        + created
        + " successful="
        + successful
        + " failed="
        + failed
        + (errors.isBlank() ? "" : "\n--- errors ---\n" + errors)
        + (screen.isBlank() ? "" : "\n--- screen ---\n" + screen);
  }
}

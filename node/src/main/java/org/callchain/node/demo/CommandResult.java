package org.callchain.node.demo;

import java.util.List;

/** What one {@code callchain} process printed on stdout and stderr, and how it exited. */
public record CommandResult(List<String> args, int exitCode, String stdout, String stderr) {

  /** The command as a user would type it. */
  public String shown() {
    return "callchain " + String.join(" ", args);
  }

  /** Everything it printed, stdout first. */
  public String output() {
    return stderr.isEmpty() ? stdout : stdout + stderr;
  }

  /** The lines of its output that contain {@code text}, ignoring case. */
  public List<String> linesWith(String text) {
    String wanted = text.toLowerCase(java.util.Locale.ROOT);
    return output()
        .lines()
        .filter(l -> l.toLowerCase(java.util.Locale.ROOT).contains(wanted))
        .toList();
  }
}

package org.callchain.node.demo;

/** A demo or acceptance step that did not hold: what was expected, and what was seen instead. */
public final class StepFailedException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String expected;
  private final String seen;

  public StepFailedException(String expected, String seen) {
    super("expected " + expected + "; saw " + seen);
    this.expected = expected;
    this.seen = seen;
  }

  public String expected() {
    return expected;
  }

  public String seen() {
    return seen;
  }
}

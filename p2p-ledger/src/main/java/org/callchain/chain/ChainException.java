package org.callchain.chain;

/**
 * A chain operation failed for a reason an operator can act on. The message is one clear line (it
 * is what the CLI prints); {@link #reason()} lets callers tell the cases apart.
 */
public class ChainException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why the operation failed. */
  public enum Reason {
    /** The JSON-RPC endpoint did not answer. Transient: retry later. */
    UNREACHABLE,
    /** The endpoint serves another chain than the configured one. */
    WRONG_CHAIN_ID,
    /** No contract code at a configured address. */
    MISSING_CONTRACT,
    /** The sending account cannot pay for gas. */
    UNFUNDED_ACCOUNT,
    /** The contract refused the call; the message carries the decoded reason. */
    REVERTED,
    /** The local tool (Anvil, node) is missing or failed to start. */
    TOOL_MISSING,
    /** Bad key, bad file, bad configuration. */
    INVALID_INPUT,
    /** Storage of the queue or snapshot failed. */
    STORAGE,
    /** The chain does not hold the anchor a proof bundle or an audit refers to. */
    ANCHOR_NOT_ON_CHAIN
  }

  private final Reason reason;

  public ChainException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public ChainException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  /** True for conditions that go away by themselves (an RPC outage). */
  public boolean transientFailure() {
    return reason == Reason.UNREACHABLE;
  }
}

package org.callchain.net.internal.multistream;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One multistream-select 1.0 negotiation, as a byte-in/byte-out state machine so it runs the same
 * on a raw TCP channel, inside Noise, and on a yamux stream.
 *
 * <p>Dialer: writes the header and its first proposal at once (pipelining is allowed), expects the
 * header back, then either the echo of its proposal (selected) or {@code na} (next proposal, or
 * failure when none is left). Listener: writes the header, expects the header, then answers each
 * proposal with its echo (selected), {@code na}, or the protocol list for {@code ls}. Bytes after
 * the deciding message belong to the negotiated protocol and are handed back as leftover.
 */
public final class MultistreamNegotiator {
  public static final String PROTOCOL_ID = "/multistream/1.0.0";
  static final String NOT_AVAILABLE = "na";
  static final String LIST = "ls";

  /** A listener refuses to keep answering a peer that proposes more than this many protocols. */
  private static final int MAX_PROPOSALS = 32;

  /** What a call to {@link #feed} led to. */
  public sealed interface Outcome permits Pending, Selected, Failed {}

  /** More bytes are needed. */
  public record Pending() implements Outcome {}

  /** Agreed on a protocol; {@code leftover} bytes already belong to it. */
  public record Selected(String protocol, byte[] leftover) implements Outcome {}

  /** Negotiation failed; {@code unsupported} when the peer simply speaks none of our protocols. */
  public record Failed(String reason, boolean unsupported) implements Outcome {}

  private static final Pending PENDING = new Pending();

  private final boolean dialer;
  private final List<String> proposals;
  private final Predicate<String> supported;
  private final Supplier<List<String>> listing;
  private final Consumer<byte[]> output;
  private byte[] buffered = new byte[0];
  private boolean headerSeen;
  private int proposalIndex;
  private int proposalsSeen;
  private Outcome finalOutcome;

  private MultistreamNegotiator(
      boolean dialer,
      List<String> proposals,
      Predicate<String> supported,
      Supplier<List<String>> listing,
      Consumer<byte[]> output) {
    this.dialer = dialer;
    this.proposals = List.copyOf(proposals);
    this.supported = supported;
    this.listing = listing;
    this.output = output;
  }

  /** A dialer proposing the protocols in order of preference. */
  public static MultistreamNegotiator dialer(List<String> proposals, Consumer<byte[]> output) {
    if (proposals.isEmpty()) {
      throw new IllegalArgumentException("nothing to propose");
    }
    return new MultistreamNegotiator(true, proposals, p -> false, List::of, output);
  }

  /** A listener accepting what {@code supported} accepts; {@code listing} answers {@code ls}. */
  public static MultistreamNegotiator listener(
      Predicate<String> supported, Supplier<List<String>> listing, Consumer<byte[]> output) {
    return new MultistreamNegotiator(false, List.of(), supported, listing, output);
  }

  /** Writes the opening messages. */
  public void start() {
    byte[] header = MultistreamMessages.encode(PROTOCOL_ID);
    if (dialer) {
      output.accept(concat(header, MultistreamMessages.encode(proposals.get(0))));
    } else {
      output.accept(header);
    }
  }

  /** Consumes bytes from the peer. After a final outcome, further calls return it again. */
  public Outcome feed(byte[] data) {
    if (finalOutcome != null) {
      return finalOutcome;
    }
    buffered = concat(buffered, data);
    ByteBuffer in = ByteBuffer.wrap(buffered);
    try {
      while (finalOutcome == null) {
        String message = MultistreamMessages.decode(in);
        if (message == null) {
          break;
        }
        finalOutcome = dialer ? onDialerMessage(message, in) : onListenerMessage(message, in);
      }
    } catch (MultistreamException e) {
      finalOutcome = new Failed(e.getMessage(), false);
    }
    buffered = Arrays.copyOfRange(buffered, in.position(), buffered.length);
    return finalOutcome != null ? finalOutcome : PENDING;
  }

  private Outcome onDialerMessage(String message, ByteBuffer in) {
    if (!headerSeen) {
      headerSeen = true;
      return PROTOCOL_ID.equals(message) ? null : new Failed("not multistream: " + message, false);
    }
    String proposed = proposals.get(proposalIndex);
    if (proposed.equals(message)) {
      return new Selected(proposed, remaining(in));
    }
    if (NOT_AVAILABLE.equals(message)) {
      proposalIndex++;
      if (proposalIndex == proposals.size()) {
        return new Failed("peer supports none of " + proposals, true);
      }
      output.accept(MultistreamMessages.encode(proposals.get(proposalIndex)));
      return null;
    }
    return new Failed("unexpected multistream answer '" + message + "'", false);
  }

  private Outcome onListenerMessage(String message, ByteBuffer in) {
    if (!headerSeen) {
      headerSeen = true;
      return PROTOCOL_ID.equals(message) ? null : new Failed("not multistream: " + message, false);
    }
    if (++proposalsSeen > MAX_PROPOSALS) {
      return new Failed("too many proposals", false);
    }
    if (LIST.equals(message)) {
      output.accept(MultistreamMessages.encodeList(listing.get()));
      return null;
    }
    if (!message.equals(PROTOCOL_ID) && supported.test(message)) {
      output.accept(MultistreamMessages.encode(message));
      return new Selected(message, remaining(in));
    }
    output.accept(MultistreamMessages.encode(NOT_AVAILABLE));
    return null;
  }

  private static byte[] remaining(ByteBuffer in) {
    byte[] rest = new byte[in.remaining()];
    in.get(rest);
    return rest;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    if (a.length == 0) {
      return b;
    }
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}

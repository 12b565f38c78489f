package org.callchain.net.internal.libp2p;

import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.callchain.net.NetworkException;
import org.callchain.net.ProtocolNotSupportedException;
import org.callchain.net.Stream;
import org.callchain.net.StreamHandler;
import org.callchain.net.StreamReader;
import org.callchain.net.StreamResetException;
import org.callchain.net.internal.multistream.MultistreamNegotiator;
import org.callchain.net.internal.yamux.YamuxStream;

/**
 * multistream-select on a fresh yamux stream (libp2p connections spec, "Opening new streams over a
 * connection"). The negotiation borrows the stream's reader; once a protocol is agreed, the bytes
 * that followed the deciding message are put back so the application reader sees them first. A
 * negotiation that does not finish within the timeout resets the stream.
 */
final class StreamNegotiation implements StreamReader {
  private final MultistreamNegotiator negotiator;
  private final List<String> proposed;
  private final CompletableFuture<String> selected = new CompletableFuture<>();

  private StreamNegotiation(
      YamuxStream stream, List<String> proposed, Function<YamuxStream, MultistreamNegotiator> f) {
    this.proposed = proposed;
    this.negotiator = f.apply(stream);
  }

  /** Proposes the protocols on an outbound stream. */
  static CompletableFuture<Stream> outbound(
      YamuxStream stream, List<String> protocols, Duration timeout, EventLoop loop) {
    StreamNegotiation negotiation =
        new StreamNegotiation(
            stream,
            protocols,
            s -> MultistreamNegotiator.dialer(protocols, bytes -> s.write(bytes)));
    CompletableFuture<Stream> result = new CompletableFuture<>();
    negotiation.selected.whenComplete(
        (protocol, error) -> {
          if (error != null) {
            stream.reset();
            result.completeExceptionally(error);
          } else {
            result.complete(stream);
          }
        });
    negotiation.run(stream, timeout, loop);
    return result;
  }

  /** Answers proposals on an inbound stream and hands it to the selected handler. */
  static void inbound(
      YamuxStream stream,
      Function<String, StreamHandler> handlers,
      Supplier<List<String>> protocols,
      Duration timeout,
      EventLoop loop) {
    StreamNegotiation negotiation =
        new StreamNegotiation(
            stream,
            List.of(),
            s ->
                MultistreamNegotiator.listener(
                    p -> handlers.apply(p) != null, protocols, bytes -> s.write(bytes)));
    negotiation.selected.whenComplete(
        (protocol, error) -> {
          if (error != null) {
            stream.reset();
            return;
          }
          StreamHandler handler = handlers.apply(protocol);
          if (handler == null) {
            stream.reset();
            return;
          }
          handler.handle(stream);
        });
    negotiation.run(stream, timeout, loop);
  }

  private void run(YamuxStream stream, Duration timeout, EventLoop loop) {
    stream.setReader(this);
    negotiator.start();
    var timer =
        loop.schedule(
            () -> {
              selected.completeExceptionally(
                  new NetworkException("protocol negotiation timed out after " + timeout));
            },
            timeout.toMillis(),
            TimeUnit.MILLISECONDS);
    selected.whenComplete((p, e) -> timer.cancel(false));
  }

  @Override
  public void onData(Stream stream, byte[] data) {
    if (selected.isDone()) {
      return;
    }
    MultistreamNegotiator.Outcome outcome = negotiator.feed(data);
    YamuxStream yamux = (YamuxStream) stream;
    if (outcome instanceof MultistreamNegotiator.Selected s) {
      yamux.setProtocol(s.protocol());
      yamux.setReader(null);
      yamux.unread(s.leftover());
      selected.complete(s.protocol());
    } else if (outcome instanceof MultistreamNegotiator.Failed f) {
      selected.completeExceptionally(
          f.unsupported()
              ? new ProtocolNotSupportedException(proposed)
              : new NetworkException("multistream-select failed: " + f.reason()));
    }
  }

  @Override
  public void onRemoteClose(Stream stream) {
    selected.completeExceptionally(new NetworkException("stream closed during negotiation"));
  }

  @Override
  public void onReset(Stream stream, StreamResetException cause) {
    selected.completeExceptionally(cause);
  }
}

package org.callchain.net;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A request/response application protocol on a {@link Host}: one stream per request; the requester
 * writes one varint-length-prefixed request and half-closes, the responder answers with one
 * length-prefixed response and closes. Both directions enforce a size limit and a timeout; a
 * violation resets the stream. This is the shape of Ethereum's req/resp and of our ledger sync.
 */
public final class RequestResponse {
  /** Answers one request; may complete later. A failed future resets the stream. */
  @FunctionalInterface
  public interface Responder {
    CompletableFuture<byte[]> respond(PeerId from, byte[] request);
  }

  private final Host host;
  private final String protocolId;
  private final int maxMessageBytes;
  private final Duration timeout;

  public RequestResponse(Host host, String protocolId, int maxMessageBytes, Duration timeout) {
    this.host = host;
    this.protocolId = protocolId;
    this.maxMessageBytes = maxMessageBytes;
    this.timeout = timeout;
  }

  /** Registers the responder as the host's handler for this protocol. */
  public void serve(Responder responder) {
    host.setStreamHandler(protocolId, stream -> serveStream(stream, responder));
  }

  /**
   * Sends a request to a connected peer. Fails with {@link NetworkException} on a reset, an
   * oversized or missing response, or a timeout.
   */
  public CompletableFuture<byte[]> request(PeerId peer, byte[] request) {
    if (request.length > maxMessageBytes) {
      return CompletableFuture.failedFuture(
          new NetworkException("request of " + request.length + " bytes exceeds the limit"));
    }
    CompletableFuture<byte[]> response = new CompletableFuture<>();
    host.newStream(peer, List.of(protocolId))
        .whenComplete(
            (stream, error) -> {
              if (error != null) {
                response.completeExceptionally(error);
                return;
              }
              stream.setReader(
                  new LengthPrefixedReader(
                      maxMessageBytes,
                      new LengthPrefixedReader.MessageHandler() {
                        @Override
                        public void onMessage(Stream s, byte[] message) {
                          if (response.complete(message)) {
                            s.closeWrite();
                          }
                        }

                        @Override
                        public void onEnd(Stream s, NetworkException cause) {
                          response.completeExceptionally(
                              cause != null
                                  ? cause
                                  : new NetworkException("stream ended without a response"));
                        }
                      }));
              stream.write(LengthPrefixed.frame(request));
              stream.closeWrite();
              response.whenComplete(
                  (ok, failure) -> {
                    if (failure != null) {
                      stream.reset();
                    }
                  });
            });
    return response
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionallyCompose(
            error ->
                CompletableFuture.failedFuture(
                    error instanceof TimeoutException
                        ? new NetworkException(
                            protocolId + " request to " + peer + " timed out after " + timeout)
                        : error));
  }

  private void serveStream(Stream stream, Responder responder) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    done.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete(
            (ok, error) -> {
              if (error != null) {
                stream.reset();
              }
            });
    stream.setReader(
        new LengthPrefixedReader(
            maxMessageBytes,
            new LengthPrefixedReader.MessageHandler() {
              private boolean answered;

              @Override
              public void onMessage(Stream s, byte[] request) {
                if (answered) {
                  s.reset();
                  done.completeExceptionally(new NetworkException("second request on a stream"));
                  return;
                }
                answered = true;
                responder
                    .respond(s.remotePeer(), request)
                    .whenComplete(
                        (response, error) -> {
                          if (error != null
                              || response == null
                              || response.length > maxMessageBytes) {
                            s.reset();
                            done.complete(null);
                            return;
                          }
                          s.write(LengthPrefixed.frame(response));
                          s.closeWrite();
                          done.complete(null);
                        });
              }

              @Override
              public void onEnd(Stream s, NetworkException cause) {
                if (!answered) {
                  done.complete(null);
                  s.reset();
                }
              }
            }));
  }
}

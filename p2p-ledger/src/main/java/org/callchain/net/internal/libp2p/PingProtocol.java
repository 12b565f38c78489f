package org.callchain.net.internal.libp2p;

import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.callchain.net.NetworkException;
import org.callchain.net.Stream;
import org.callchain.net.StreamHandler;
import org.callchain.net.StreamReader;
import org.callchain.net.StreamResetException;

/**
 * {@code /ipfs/ping/1.0.0} (libp2p ping spec): the dialer sends 32 random bytes, the listener
 * echoes every byte it receives on the same stream, and the dialer measures the round trip. A
 * listener echoes at most {@link #MAX_ECHO_BYTES} per stream so a peer cannot use us as a
 * reflector.
 *
 * @see <a href="https://github.com/libp2p/specs/blob/master/ping/ping.md">ping spec</a>
 */
final class PingProtocol {
  static final String ID = "/ipfs/ping/1.0.0";
  static final int PAYLOAD = 32;
  private static final int MAX_ECHO_BYTES = PAYLOAD * 1024;
  private static final SecureRandom RANDOM = new SecureRandom();

  private PingProtocol() {}

  /** The listener side: echo. */
  static StreamHandler handler() {
    return stream ->
        stream.setReader(
            new StreamReader() {
              private long echoed;

              @Override
              public void onData(Stream s, byte[] data) {
                echoed += data.length;
                if (echoed > MAX_ECHO_BYTES) {
                  s.reset();
                  return;
                }
                s.write(data);
              }

              @Override
              public void onRemoteClose(Stream s) {
                s.closeWrite();
              }
            });
  }

  /** One round trip on a freshly negotiated ping stream; closes the stream afterwards. */
  static CompletableFuture<Duration> roundTrip(Stream stream) {
    byte[] payload = new byte[PAYLOAD];
    RANDOM.nextBytes(payload);
    CompletableFuture<Duration> result = new CompletableFuture<>();
    ByteArrayOutputStream received = new ByteArrayOutputStream(PAYLOAD);
    long[] start = new long[1];
    stream.setReader(
        new StreamReader() {
          @Override
          public void onData(Stream s, byte[] data) {
            received.write(data, 0, Math.min(data.length, PAYLOAD - received.size()));
            if (received.size() < PAYLOAD) {
              return;
            }
            Duration rtt = Duration.ofNanos(System.nanoTime() - start[0]);
            if (Arrays.equals(received.toByteArray(), payload)) {
              result.complete(rtt);
              s.closeWrite();
            } else {
              result.completeExceptionally(new NetworkException("ping echo does not match"));
              s.reset();
            }
          }

          @Override
          public void onRemoteClose(Stream s) {
            result.completeExceptionally(new NetworkException("ping stream closed before echo"));
          }

          @Override
          public void onReset(Stream s, StreamResetException cause) {
            result.completeExceptionally(cause);
          }
        });
    start[0] = System.nanoTime();
    stream.write(payload);
    return result;
  }
}

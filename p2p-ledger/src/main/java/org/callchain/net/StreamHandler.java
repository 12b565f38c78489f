package org.callchain.net;

/**
 * Serves inbound streams of one protocol, registered with {@link Host#setStreamHandler}. Called on
 * the connection's event loop once multistream-select has agreed on the protocol; the handler sets
 * the stream's {@link StreamReader} (bytes that arrived earlier are held until it does) and may
 * write at once.
 */
@FunctionalInterface
public interface StreamHandler {
  void handle(Stream stream);
}

package org.callchain.net;

/**
 * Connection events of a {@link Host}, called on the connection's event loop. "Connected" fires
 * once a connection is secured, gated and multiplexed; "disconnected" once it has closed.
 */
public interface ConnectionListener {
  default void onConnected(Connection connection) {}

  default void onDisconnected(Connection connection) {}
}

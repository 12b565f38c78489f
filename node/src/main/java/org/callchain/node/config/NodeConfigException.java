package org.callchain.node.config;

/** A config file that cannot be used; the message names the key and what is wrong with it. */
public final class NodeConfigException extends Exception {
  private final String key;

  public NodeConfigException(String key, String problem) {
    super(key.isEmpty() ? problem : key + ": " + problem);
    this.key = key;
  }

  /** The dotted key at fault, e.g. {@code sip.port}; empty for the file as a whole. */
  public String key() {
    return key;
  }
}

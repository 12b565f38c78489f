package org.callchain.node.demo;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * The one line a node prints when everything is up (NODE-CONTRACT: {@code node ready: device 0x..
 * sip sip:.. p2p /ip4/.. control http://..}).
 */
public record ReadyLine(String device, String sipUri, String p2pAddress, URI control) {
  static final String PREFIX = "node ready:";

  /** Parses the line, or throws naming the key that is missing. */
  static ReadyLine parse(String line) {
    String[] words = line.substring(line.indexOf(PREFIX) + PREFIX.length()).trim().split("\\s+");
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i + 1 < words.length; i += 2) {
      values.putIfAbsent(words[i], words[i + 1]);
    }
    return new ReadyLine(
        required(values, "device", line),
        required(values, "sip", line),
        required(values, "p2p", line),
        URI.create(required(values, "control", line)));
  }

  private static String required(Map<String, String> values, String key, String line) {
    String v = values.get(key);
    if (v == null) {
      throw new IllegalArgumentException("no '" + key + "' in the ready line: " + line);
    }
    return v;
  }
}

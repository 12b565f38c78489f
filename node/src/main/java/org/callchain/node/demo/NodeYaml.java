package org.callchain.node.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Edits keys of the {@code chain:} section of a {@code node.yaml} that {@code callchain init} wrote
 * (one {@code key: value} line per key, two-space indent, comments kept), as an operator would with
 * an editor. A key that is not there is an error: the file is not what init writes.
 */
final class NodeYaml {
  private NodeYaml() {}

  static void setChainKeys(Path file, Map<String, String> values) throws IOException {
    if (values.isEmpty()) {
      return;
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<String> out = new ArrayList<>(lines.size());
    boolean inChain = false;
    java.util.Set<String> done = new java.util.HashSet<>();
    for (String line : lines) {
      if (!line.isEmpty() && !Character.isWhitespace(line.charAt(0)) && !line.startsWith("#")) {
        inChain = line.startsWith("chain:");
      }
      String edited = line;
      if (inChain) {
        for (Map.Entry<String, String> e : values.entrySet()) {
          if (line.startsWith("  " + e.getKey() + ":")) {
            edited = "  " + e.getKey() + ": " + e.getValue();
            done.add(e.getKey());
          }
        }
      }
      out.add(edited);
    }
    if (!done.containsAll(values.keySet())) {
      throw new IOException("no chain key(s) " + values.keySet() + " in " + file);
    }
    Files.write(file, out, StandardCharsets.UTF_8);
  }
}

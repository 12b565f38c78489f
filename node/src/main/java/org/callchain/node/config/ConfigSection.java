package org.callchain.node.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One mapping of the YAML tree, read key by key with the key's default. Every read marks its key as
 * known; {@link #rejectUnknown()} then refuses any other key, so a typo never silently falls back
 * to a default. Errors name the full dotted key.
 */
final class ConfigSection {
  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)");

  private final String prefix;
  private final JsonNode node;
  private final Set<String> known = new HashSet<>();

  private ConfigSection(String prefix, JsonNode node) {
    this.prefix = prefix;
    this.node = node;
  }

  static ConfigSection root(JsonNode node) throws NodeConfigException {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return new ConfigSection("", MissingNode.getInstance());
    }
    if (!node.isObject()) {
      throw new NodeConfigException("", "the file must be a YAML mapping of sections");
    }
    return new ConfigSection("", node);
  }

  ConfigSection section(String name) throws NodeConfigException {
    known.add(name);
    JsonNode child = node.path(name);
    if (!child.isMissingNode() && !child.isNull() && !child.isObject()) {
      throw new NodeConfigException(key(name), "must be a mapping of keys");
    }
    return new ConfigSection(key(name), child.isObject() ? child : MissingNode.getInstance());
  }

  String string(String name, String fallback) throws NodeConfigException {
    return optionalString(name).orElse(fallback);
  }

  Optional<String> optionalString(String name) throws NodeConfigException {
    JsonNode v = value(name);
    if (v == null) {
      return Optional.empty();
    }
    if (!v.isValueNode()) {
      throw new NodeConfigException(key(name), "must be a single value");
    }
    String text = v.asText();
    return text.isEmpty() ? Optional.empty() : Optional.of(text);
  }

  long number(String name, long fallback, long min, long max) throws NodeConfigException {
    JsonNode v = value(name);
    if (v == null) {
      return fallback;
    }
    long n;
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      n = v.asLong();
    } else {
      try {
        n = Long.parseLong(v.asText().strip());
      } catch (NumberFormatException e) {
        throw new NodeConfigException(
            key(name), "must be a whole number, not '" + v.asText() + "'");
      }
    }
    if (n < min || n > max) {
      throw new NodeConfigException(key(name), "must be " + min + ".." + max + ", not " + n);
    }
    return n;
  }

  int integer(String name, int fallback, int min, int max) throws NodeConfigException {
    return (int) number(name, fallback, min, max);
  }

  boolean bool(String name, boolean fallback) throws NodeConfigException {
    JsonNode v = value(name);
    if (v == null) {
      return fallback;
    }
    if (v.isBoolean()) {
      return v.asBoolean();
    }
    throw new NodeConfigException(key(name), "must be true or false, not '" + v.asText() + "'");
  }

  /** A duration written as {@code 200ms}, {@code 5s}, {@code 2m} or {@code 1h}. */
  Duration duration(String name, Duration fallback) throws NodeConfigException {
    Optional<String> text = optionalString(name);
    if (text.isEmpty()) {
      return fallback;
    }
    Matcher m = DURATION.matcher(text.get().strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new NodeConfigException(
          key(name), "'" + text.get() + "' is not a duration; write e.g. 200ms, 5s, 2m or 1h");
    }
    double amount = Double.parseDouble(m.group(1));
    double millis =
        switch (m.group(2)) {
          case "ms" -> amount;
          case "m" -> amount * 60_000;
          case "h" -> amount * 3_600_000;
          default -> amount * 1000;
        };
    return Duration.ofMillis(Math.round(millis));
  }

  <E extends Enum<E>> E choice(String name, Class<E> type, E fallback) throws NodeConfigException {
    Optional<String> text = optionalString(name);
    if (text.isEmpty()) {
      return fallback;
    }
    String wanted = text.get().strip().replace('-', '_').toUpperCase(Locale.ROOT);
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(wanted)) {
        return e;
      }
      names.add(NodeConfigWriter.yamlName(e));
    }
    throw new NodeConfigException(
        key(name), "must be one of " + String.join(", ", names) + ", not '" + text.get() + "'");
  }

  List<String> strings(String name) throws NodeConfigException {
    JsonNode v = value(name);
    if (v == null) {
      return List.of();
    }
    if (!v.isArray()) {
      throw new NodeConfigException(key(name), "must be a list");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : v) {
      if (!item.isValueNode() || item.isNull()) {
        throw new NodeConfigException(key(name), "must be a list of plain values");
      }
      out.add(item.asText());
    }
    return out;
  }

  /** Refuses every key no read asked for. */
  void rejectUnknown() throws NodeConfigException {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        throw new NodeConfigException(key(name), "unknown key");
      }
    }
  }

  String key(String name) {
    return prefix.isEmpty() ? name : prefix + "." + name;
  }

  private JsonNode value(String name) {
    known.add(name);
    JsonNode v = node.path(name);
    return v.isMissingNode() || v.isNull() ? null : v;
  }
}

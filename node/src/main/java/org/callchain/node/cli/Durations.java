package org.callchain.node.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads durations as people type them on a command line: {@code 500ms}, {@code 5s}, {@code 2m}. */
final class Durations implements ITypeConverter<Duration> {
  private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

  @Override
  public Duration convert(String value) {
    return parse(value);
  }

  static Duration parse(String value) {
    Matcher m = FORM.matcher(value.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new TypeConversionException(
          "'" + value + "' is not a duration; use e.g. 500ms, 5s, 2m or 1h");
    }
    double amount = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    double millis =
        switch (unit) {
          case "ms" -> amount;
          case "m" -> amount * 60_000;
          case "h" -> amount * 3_600_000;
          default -> amount * 1000;
        };
    return Duration.ofMillis(Math.round(millis));
  }

  /** {@code 2.5s}-style text for output. */
  static String format(long millis) {
    return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
  }
}

package org.callchain.phone.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads SIPp's {@code -trace_stat} file: a header line of {@code ;}-separated column names ({@code
 * SuccessfulCall(C)}, {@code FailedCall(C)}, ...) followed by one row per dump; the last row,
 * written when SIPp exits, holds the cumulative ({@code (C)}) totals of the whole run.
 */
public final class SippStatistics {
  private SippStatistics() {}

  /** The last row keyed by column name; empty when SIPp wrote no row (it died at start). */
  public static Map<String, String> lastRow(Path csv) {
    Map<String, String> row = new LinkedHashMap<>();
    try {
      if (!Files.exists(csv)) {
        return row;
      }
      List<String> lines =
          Files.readAllLines(csv, StandardCharsets.ISO_8859_1).stream()
              .filter(l -> !l.isBlank())
              .toList();
      if (lines.size() < 2) {
        return row;
      }
      String[] names = lines.get(0).split(";", -1);
      String[] values = lines.get(lines.size() - 1).split(";", -1);
      for (int i = 0; i < names.length && i < values.length; i++) {
        row.put(names[i].trim(), values[i].trim());
      }
      return row;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A counter column as a number, 0 when absent. */
  public static long counter(Map<String, String> row, String column) {
    String value = row.get(column);
    if (value == null || value.isEmpty()) {
      return 0;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      return (long) Double.parseDouble(value);
    }
  }
}

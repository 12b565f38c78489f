package org.callchain.ledger;

import java.util.Objects;

/**
 * The call's recording: SHA-256 of the file's bytes, its size, and its locator (a path relative to
 * the recordings directory, or a URI for a recording vault). An audit re-hashes the file.
 */
public record RecordingReference(Hash256 sha256, long sizeBytes, String locator) {
  public RecordingReference {
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(locator, "locator");
    if (sizeBytes < 0) {
      throw new IllegalArgumentException("recording size cannot be negative");
    }
    if (locator.isEmpty()) {
      throw new IllegalArgumentException("recording locator cannot be empty");
    }
    CallRecord.checkText("recording locator", locator);
  }
}

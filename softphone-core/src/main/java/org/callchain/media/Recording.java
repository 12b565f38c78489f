package org.callchain.media;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A finished call recording: a WAV file under its final name and the SHA-256 of its bytes.
 *
 * @param path where the file is
 * @param sizeBytes its size
 * @param sha256Hex the lowercase hex SHA-256 of the whole file
 */
public record Recording(Path path, long sizeBytes, String sha256Hex) {
  public Recording {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(sha256Hex, "sha256Hex");
  }
}

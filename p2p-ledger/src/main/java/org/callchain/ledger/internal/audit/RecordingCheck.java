package org.callchain.ledger.internal.audit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.callchain.ledger.RecordingReference;

/** Re-hashes one recording file against its record; the result says what differs, if anything. */
final class RecordingCheck {
  private RecordingCheck() {}

  static Optional<String> check(Path dir, RecordingReference ref) {
    Path file = dir.resolve(ref.locator()).normalize();
    if (!file.startsWith(dir.normalize())) {
      return Optional.of("locator points outside the recordings directory");
    }
    if (!Files.isRegularFile(file)) {
      return Optional.of("file is missing");
    }
    try {
      long size = Files.size(file);
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
        in.transferTo(java.io.OutputStream.nullOutputStream());
      }
      String actual = HexFormat.of().formatHex(sha.digest());
      if (size != ref.sizeBytes()) {
        return Optional.of(
            "size is "
                + size
                + " bytes, record says "
                + ref.sizeBytes()
                + (actual.equals(ref.sha256().toHex()) ? "" : "; SHA-256 differs too"));
      }
      if (!actual.equals(ref.sha256().toHex())) {
        return Optional.of("SHA-256 is " + actual + ", record says " + ref.sha256().toHex());
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("file cannot be read: " + e.getMessage());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}

package org.callchain.media;

import java.util.Objects;
import java.util.Optional;

/**
 * What a finished call leg leaves behind.
 *
 * @param codec the encoding name used, or the empty string if media never started
 * @param quality the final quality figures
 * @param recording the recording, when the leg was recorded
 */
public record MediaOutcome(String codec, MediaQuality quality, Optional<Recording> recording) {
  public MediaOutcome {
    Objects.requireNonNull(codec, "codec");
    Objects.requireNonNull(quality, "quality");
    Objects.requireNonNull(recording, "recording");
  }
}

package org.callchain.media;

import java.util.Locale;

/**
 * The direction attribute of an SDP media stream, as seen from this side.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3264#section-6.1">RFC 3264 §6.1</a>
 */
public enum MediaDirection {
  SENDRECV,
  SENDONLY,
  RECVONLY,
  INACTIVE;

  /** The SDP attribute name, for example {@code sendonly}. */
  public String sdpAttribute() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses an SDP direction attribute name; returns null if {@code name} is not one. */
  public static MediaDirection fromSdpAttribute(String name) {
    for (MediaDirection d : values()) {
      if (d.sdpAttribute().equalsIgnoreCase(name)) {
        return d;
      }
    }
    return null;
  }

  /** The direction an answerer uses to answer an offer with this direction (RFC 3264 §6.1). */
  public MediaDirection answerTo() {
    return switch (this) {
      case SENDONLY -> RECVONLY;
      case RECVONLY -> SENDONLY;
      default -> this;
    };
  }

  public boolean sends() {
    return this == SENDRECV || this == SENDONLY;
  }

  public boolean receives() {
    return this == SENDRECV || this == RECVONLY;
  }
}

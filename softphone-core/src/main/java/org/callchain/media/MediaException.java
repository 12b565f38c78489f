package org.callchain.media;

/** A media resource could not be set up: no free port, a missing audio device, a bad file. */
public class MediaException extends Exception {
  public MediaException(String message) {
    super(message);
  }

  public MediaException(String message, Throwable cause) {
    super(message, cause);
  }
}

package org.callchain.media.internal.audio;

/** File names derived from SIP Call-IDs, which may hold characters no file system likes. */
public final class FileNames {
  private FileNames() {}

  public static String safe(String callId) {
    String s = callId.replaceAll("[^A-Za-z0-9._-]", "_");
    if (s.isEmpty() || s.startsWith(".")) {
      s = "call" + s;
    }
    return s.length() > 100 ? s.substring(0, 100) : s;
  }
}

package org.callchain.phone.internal.sdp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.callchain.media.MediaDirection;
import org.callchain.media.PayloadFormat;

/**
 * Reads the audio stream of an SDP body (RFC 4566). Lenient where peers differ (LF-only line ends,
 * unknown attributes, missing {@code a=rtpmap} for static payload types of RFC 3551 §6), strict
 * where a wrong guess would break media (missing {@code c=}, bad port or payload type).
 */
public final class SdpParser {
  private static final Pattern LINE_BREAK = Pattern.compile("\r?\n");
  private static final Pattern SPACES = Pattern.compile(" +");

  private SdpParser() {}

  /** Static payload types of RFC 3551 §6 that a peer may list without an rtpmap line. */
  private static final Map<Integer, PayloadFormat> STATIC =
      Map.of(
          0, PayloadFormat.PCMU,
          3, new PayloadFormat(3, "GSM", 8000, 1, ""),
          8, PayloadFormat.PCMA,
          9, new PayloadFormat(9, "G722", 8000, 1, ""),
          18, new PayloadFormat(18, "G729", 8000, 1, ""));

  public static AudioSdp parse(String body) throws SdpException {
    if (body == null || body.isBlank()) {
      throw new SdpException("empty SDP body");
    }
    String originUser = "-";
    long sessionId = 0;
    long version = 0;
    String sessionConnection = null;
    MediaDirection sessionDirection = MediaDirection.SENDRECV;
    boolean inAudio = false;
    boolean audioSeen = false;
    String audioConnection = null;
    int audioPort = -1;
    List<Integer> payloadTypes = new ArrayList<>();
    Map<Integer, String> rtpmaps = new HashMap<>();
    Map<Integer, String> fmtps = new HashMap<>();
    int ptime = 0;
    MediaDirection audioDirection = null;
    List<String> otherMedia = new ArrayList<>();

    for (String raw : LINE_BREAK.split(body)) {
      String line = raw.strip();
      if (line.length() < 2 || line.charAt(1) != '=') {
        continue;
      }
      char type = line.charAt(0);
      String value = line.substring(2).strip();
      switch (type) {
        case 'o' -> {
          String[] f = SPACES.split(value);
          if (f.length >= 3) {
            originUser = f[0];
            sessionId = parseLongOrZero(f[1]);
            version = parseLongOrZero(f[2]);
          }
        }
        case 'c' -> {
          String address = connectionAddress(value);
          if (inAudio) {
            audioConnection = address;
          } else if (!audioSeen && otherMedia.isEmpty()) {
            sessionConnection = address;
          }
        }
        case 'm' -> {
          String[] f = SPACES.split(value);
          if (f.length < 3) {
            throw new SdpException("malformed m= line: " + value);
          }
          if (!audioSeen && f[0].equals("audio")) {
            inAudio = true;
            audioSeen = true;
            audioPort = parsePort(f[1]);
            for (int i = 3; i < f.length; i++) {
              payloadTypes.add(parsePayloadType(f[i]));
            }
          } else {
            inAudio = false;
            otherMedia.add(value);
          }
        }
        case 'a' -> {
          boolean sessionLevel = !audioSeen && otherMedia.isEmpty();
          if (!inAudio && !sessionLevel) {
            continue;
          }
          MediaDirection d = MediaDirection.fromSdpAttribute(value);
          if (d != null) {
            if (inAudio) {
              audioDirection = d;
            } else {
              sessionDirection = d;
            }
          } else if (inAudio && value.startsWith("rtpmap:")) {
            putByPayloadType(rtpmaps, value.substring(7));
          } else if (inAudio && value.startsWith("fmtp:")) {
            putByPayloadType(fmtps, value.substring(5));
          } else if (inAudio && value.startsWith("ptime:")) {
            ptime = (int) parseLongOrZero(value.substring(6).strip());
          }
        }
        default -> {
          // v=, s=, t=, b= and others carry nothing this phone acts on.
        }
      }
    }
    if (!audioSeen) {
      throw new SdpException("no audio m= line");
    }
    String connection = audioConnection != null ? audioConnection : sessionConnection;
    if (connection == null) {
      throw new SdpException("no c= line for the audio stream (RFC 4566 §5.7)");
    }
    List<PayloadFormat> formats = new ArrayList<>();
    for (int pt : payloadTypes) {
      String map = rtpmaps.get(pt);
      String fmtp = fmtps.getOrDefault(pt, "");
      if (map != null) {
        formats.add(fromRtpmap(pt, map, fmtp));
      } else if (STATIC.containsKey(pt)) {
        PayloadFormat s = STATIC.get(pt);
        formats.add(new PayloadFormat(pt, s.encodingName(), s.clockRate(), s.channels(), fmtp));
      }
      // A dynamic payload type without rtpmap is unusable; RFC 4566 §6 requires the mapping.
    }
    MediaDirection direction = audioDirection != null ? audioDirection : sessionDirection;
    return new AudioSdp(
        originUser,
        sessionId,
        version,
        connection,
        audioPort,
        formats,
        ptime,
        direction,
        otherMedia);
  }

  private static String connectionAddress(String value) throws SdpException {
    String[] f = SPACES.split(value);
    if (f.length < 3 || !f[0].equals("IN")) {
      throw new SdpException("malformed c= line: " + value);
    }
    String address = f[2];
    int slash = address.indexOf('/');
    return slash >= 0 ? address.substring(0, slash) : address;
  }

  private static void putByPayloadType(Map<Integer, String> into, String value) {
    int space = value.indexOf(' ');
    if (space <= 0) {
      return;
    }
    try {
      into.put(Integer.parseInt(value.substring(0, space)), value.substring(space + 1).strip());
    } catch (NumberFormatException e) {
      // An attribute for a payload type that is not a number belongs to no stream we use.
    }
  }

  private static PayloadFormat fromRtpmap(int pt, String map, String fmtp) throws SdpException {
    String[] f = map.split("/");
    if (f.length < 2) {
      throw new SdpException("malformed rtpmap for " + pt + ": " + map);
    }
    try {
      int clock = Integer.parseInt(f[1].strip());
      int channels = f.length > 2 ? Integer.parseInt(f[2].strip()) : 1;
      return new PayloadFormat(pt, f[0].strip(), clock, channels, fmtp);
    } catch (NumberFormatException e) {
      throw new SdpException("malformed rtpmap for " + pt + ": " + map);
    }
  }

  private static int parsePort(String field) throws SdpException {
    String port = field.contains("/") ? field.substring(0, field.indexOf('/')) : field;
    try {
      int p = Integer.parseInt(port);
      if (p < 0 || p > 65535) {
        throw new SdpException("port out of range: " + field);
      }
      return p;
    } catch (NumberFormatException e) {
      throw new SdpException("malformed port: " + field);
    }
  }

  private static int parsePayloadType(String field) throws SdpException {
    try {
      int pt = Integer.parseInt(field);
      if (pt < 0 || pt > 127) {
        throw new SdpException("payload type out of range: " + field);
      }
      return pt;
    } catch (NumberFormatException e) {
      throw new SdpException("malformed payload type: " + field);
    }
  }

  private static long parseLongOrZero(String s) {
    try {
      return Long.parseLong(s.strip());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}

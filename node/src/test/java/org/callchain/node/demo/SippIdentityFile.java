package org.callchain.node.demo;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.callchain.identity.DeviceKey;
import org.callchain.node.admission.IdentitySigner;
import org.callchain.phone.spi.HeaderField;
import org.callchain.phone.spi.OutgoingInvite;

/**
 * A SIPp injection file ({@code -inf}, sequential mode) that gives every call of one SIPp run its
 * own RFC 8224 Identity header, pre-signed with a registered device's key by {@link IdentitySigner}
 * (the same code a node signs its INVITEs with), so SIPp can place calls that a node admits.
 *
 * <p>Line {@code n} (from 1; the file's first line is {@code SEQUENTIAL}) is {@code
 * CALL-ID;IDENTITY}: the Call-ID SIPp gives its call number {@code n} when run with {@code -cid_str
 * PREFIX-%u@HOST} ({@link #cidStr}), then the Identity header value. SIPp splits a line at every
 * {@code ;}, so the value's own parameters ({@code ;info=<…>;alg=ES256K}, RFC 8224 §4.1) become
 * fields too: a scenario sends it back whole as {@code Identity: [field1];[field2];[field3]}. In
 * sequential mode SIPp hands line {@code n - 1} (counted after the mode line) to call number {@code
 * n}, so the PASSporT's {@code origid} (RFC 8225 via {@link
 * org.callchain.node.admission.CallIdBinding}) matches the Call-ID that call really carries.
 *
 * <p>Each token's {@code iat} is the second at which SIPp is planned to send that call ({@code
 * firstCall + (n - 1) / rate}), so even a 60 s run at 1,000 calls/s stays inside the verifier's ±60
 * s freshness window (RFC 8224 §12.1) from its first call to its last.
 */
final class SippIdentityFile {
  /** How many {@code ;}-separated fields one line has: Call-ID, token, info, alg. */
  static final int FIELDS = 4;

  private SippIdentityFile() {}

  /** SIPp's {@code -cid_str} that makes call number {@code n}'s Call-ID {@link #callId}. */
  static String cidStr(String prefix, String host) {
    return prefix + "-%u@" + host;
  }

  /** The Call-ID SIPp gives call number {@code n} ({@code n} from 1) with {@link #cidStr}. */
  static String callId(String prefix, String host, long n) {
    return prefix + "-" + n + "@" + host;
  }

  /**
   * Writes {@code calls} lines to {@code file} (replacing it).
   *
   * @param key the caller device's key (registered, bound to {@code orig})
   * @param orig the From URI SIPp sends, e.g. {@code sip:sipp@127.0.0.1:5062}
   * @param dest the callee's URI, the PASSporT's {@code dest}
   * @param prefix the Call-ID prefix of this run (unique per run: no two runs share a Call-ID)
   * @param host the Call-ID host part
   * @param firstCall when SIPp is planned to send call 1
   * @param rate SIPp's call rate (calls per second)
   */
  static void write(
      Path file,
      DeviceKey key,
      String orig,
      String dest,
      String prefix,
      String host,
      int calls,
      Instant firstCall,
      double rate)
      throws IOException {
    Objects.requireNonNull(key, "key");
    if (calls < 1 || !(rate > 0)) {
      throw new IllegalArgumentException("calls must be at least 1 and rate positive");
    }
    if ((prefix + host).indexOf(';') >= 0) {
      throw new IllegalArgumentException("a Call-ID with ';' would split into SIPp fields");
    }
    PlannedClock clock = new PlannedClock();
    IdentitySigner signer = new IdentitySigner(key, clock);
    long startMillis = firstCall.toEpochMilli();
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
      out.write("SEQUENTIAL\n");
      for (int n = 1; n <= calls; n++) {
        String callId = callId(prefix, host, n);
        clock.at = Instant.ofEpochMilli(startMillis + Math.round((n - 1) * 1000 / rate));
        List<HeaderField> headers = signer.headersFor(new OutgoingInvite(callId, orig, dest, dest));
        String identity = headers.get(0).value();
        if (identity.split(";", -1).length != FIELDS - 1) {
          throw new IllegalStateException("unexpected Identity parameters: " + identity);
        }
        out.write(callId);
        out.write(';');
        out.write(identity);
        out.write('\n');
      }
    }
  }

  /** The header value a scenario sends for a line's fields 1..3 (see the class comment). */
  static String identityOf(String line) {
    String[] fields = line.split(";", -1);
    if (fields.length != FIELDS) {
      throw new IllegalArgumentException(
          String.format(Locale.ROOT, "%d fields, not %d: %s", fields.length, FIELDS, line));
    }
    return fields[1] + ";" + fields[2] + ";" + fields[3];
  }

  /** The Call-ID of a line (field 0). */
  static String callIdOf(String line) {
    return line.substring(0, line.indexOf(';'));
  }

  /** A clock that reads the planned send time of the call being signed. */
  private static final class PlannedClock extends Clock {
    private Instant at = Instant.EPOCH;

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      throw new UnsupportedOperationException("a planned clock has one zone");
    }

    @Override
    public Instant instant() {
      return at;
    }
  }
}

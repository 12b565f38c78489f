package org.callchain.ledger.testing;

import java.util.Random;
import org.callchain.identity.DeviceAddress;
import org.callchain.ledger.Admission;
import org.callchain.ledger.AdmissionOutcome;
import org.callchain.ledger.CallDirection;
import org.callchain.ledger.CallDisposition;
import org.callchain.ledger.CallId;
import org.callchain.ledger.CallParty;
import org.callchain.ledger.CallQuality;
import org.callchain.ledger.CallRecord;
import org.callchain.ledger.CallTransport;
import org.callchain.ledger.CallType;
import org.callchain.ledger.Hash256;
import org.callchain.ledger.NetworkDetails;
import org.callchain.ledger.RecordingConsent;
import org.callchain.ledger.RecordingReference;

/**
 * Generates varied, valid call records for a device from a seed: both directions, answered and
 * unanswered calls, with and without recordings, every disposition. Used by tests, the tamper
 * campaign, benchmarks and {@code callchain ledger append-test}'s tests.
 */
public final class CallRecords {
  private final DeviceAddress device;
  private final Random random;
  private long sequence;

  public CallRecords(DeviceAddress device, long seed) {
    this.device = device;
    this.random = new Random(seed);
  }

  /** The next record; {@code recording} may be null for an unrecorded call. */
  public CallRecord next(RecordingReference recording) {
    long n = sequence++;
    boolean outgoing = random.nextBoolean();
    DeviceAddress peer = randomAddress();
    CallParty me = new CallParty("sip:" + n + "@desk.example.com", "+4930" + (1000 + n), device);
    CallParty other =
        new CallParty(
            "sip:peer" + random.nextInt(1000) + "@example.org",
            "+4989" + random.nextInt(100000),
            random.nextInt(4) == 0 ? null : peer);
    long start = 1_763_700_000_000L + n * 60_000L + random.nextInt(1000);
    boolean answered = random.nextInt(5) != 0;
    CallRecord.Builder b =
        CallRecord.builder()
            .callId(CallId.of("call-" + n + "-" + random.nextLong() + "@host", "ft" + n, "tt" + n))
            .caller(outgoing ? me : other)
            .callee(outgoing ? other : me)
            .direction(outgoing ? CallDirection.OUTGOING : CallDirection.INCOMING)
            .callType(CallType.values()[random.nextInt(CallType.values().length)])
            .startMillis(start)
            .codec(random.nextBoolean() ? "PCMU/8000" : "opus/48000/2")
            .mediaEncrypted(random.nextBoolean())
            .network(
                new NetworkDetails(
                    "192.168.1." + random.nextInt(255),
                    5060,
                    10000 + 2 * random.nextInt(1000),
                    "203.0.113." + random.nextInt(255),
                    5060 + random.nextInt(10),
                    20000 + 2 * random.nextInt(1000),
                    CallTransport.values()[random.nextInt(CallTransport.values().length)]))
            .site(random.nextBoolean() ? "Berlin HQ" : "")
            .admission(
                outgoing
                    ? Admission.NOT_APPLICABLE
                    : new Admission(
                        AdmissionOutcome.values()[
                            1 + random.nextInt(AdmissionOutcome.values().length - 1)],
                        "verified"));
    if (answered) {
      long answer = start + 500 + random.nextInt(5000);
      b.answerMillis(answer)
          .endMillis(answer + random.nextInt(600_000))
          .disposition(CallDisposition.ANSWERED)
          .sip(200, "OK")
          .quality(
              new CallQuality(
                  random.nextInt(30000),
                  random.nextInt(30000),
                  random.nextInt(50),
                  random.nextInt(40000),
                  100 + random.nextInt(401)));
    } else {
      CallDisposition d =
          CallDisposition.values()[1 + random.nextInt(CallDisposition.values().length - 1)];
      b.notAnswered()
          .endMillis(start + random.nextInt(30_000))
          .disposition(d)
          .sip(486, "Busy Here");
    }
    if (recording != null) {
      b.recording(recording).consent(RecordingConsent.GRANTED);
    }
    return b.build();
  }

  /** The next record, unrecorded. */
  public CallRecord next() {
    return next(null);
  }

  private DeviceAddress randomAddress() {
    byte[] a = new byte[20];
    random.nextBytes(a);
    return DeviceAddress.of(a);
  }

  /** A recording reference for {@code content} stored under {@code locator}. */
  public static RecordingReference recordingOf(byte[] content, String locator) {
    try {
      return new RecordingReference(
          Hash256.wrap(java.security.MessageDigest.getInstance("SHA-256").digest(content)),
          content.length,
          locator);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

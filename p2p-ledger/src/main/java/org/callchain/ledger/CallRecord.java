package org.callchain.ledger;

import java.util.Objects;
import java.util.OptionalLong;
import org.callchain.identity.DeviceAddress;

/**
 * A call detail record: everything one device knows about one call, as it is signed into the
 * device's log (design brief, "Records"). Both ends of a call write their own record with the same
 * {@link CallId}; the writing device is the caller of an outgoing and the callee of an incoming
 * call. Times are UTC epoch milliseconds; {@code durationMillis} is the talk time (end minus
 * answer, 0 if never answered). {@code recording} is null when the call was not recorded. The
 * record's one encoding is defined by {@link CallRecordCodec}.
 */
public record CallRecord(
    CallId callId,
    CallParty caller,
    CallParty callee,
    CallDirection direction,
    CallType callType,
    long startMillis,
    OptionalLong answerMillis,
    long endMillis,
    long durationMillis,
    CallDisposition disposition,
    int sipCode,
    String sipReason,
    String codec,
    boolean mediaEncrypted,
    NetworkDetails network,
    CallQuality quality,
    String site,
    Admission admission,
    RecordingReference recording,
    RecordingConsent consent) {

  /** The schema version this code writes and the only one it reads. */
  public static final int SCHEMA_VERSION = 1;

  /** Upper bound for every text attribute, in chars; keeps a record well under a kilobyte or so. */
  public static final int MAX_TEXT = 1024;

  public CallRecord {
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(callee, "callee");
    Objects.requireNonNull(direction, "direction");
    Objects.requireNonNull(callType, "callType");
    Objects.requireNonNull(answerMillis, "answerMillis");
    Objects.requireNonNull(disposition, "disposition");
    Objects.requireNonNull(sipReason, "sipReason");
    Objects.requireNonNull(codec, "codec");
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(quality, "quality");
    Objects.requireNonNull(site, "site");
    Objects.requireNonNull(admission, "admission");
    Objects.requireNonNull(consent, "consent");
    checkText("SIP reason", sipReason);
    checkText("codec", codec);
    checkText("site", site);
    if (startMillis < 0 || endMillis < startMillis) {
      throw new IllegalArgumentException("call must end at or after its start");
    }
    if (answerMillis.isPresent()
        && (answerMillis.getAsLong() < startMillis || answerMillis.getAsLong() > endMillis)) {
      throw new IllegalArgumentException("answer time must lie between start and end");
    }
    long talk = answerMillis.isPresent() ? endMillis - answerMillis.getAsLong() : 0;
    if (durationMillis != talk) {
      throw new IllegalArgumentException(
          "duration must be end minus answer (" + talk + " ms), got " + durationMillis);
    }
    if (sipCode != 0 && (sipCode < 100 || sipCode > 699)) {
      throw new IllegalArgumentException("SIP status code must be 100..699 or 0, got " + sipCode);
    }
    // Fields are assigned after this body, so read the parameters, not recordingDevice().
    if ((direction == CallDirection.OUTGOING ? caller.device() : callee.device()) == null) {
      throw new IllegalArgumentException(
          "the "
              + (direction == CallDirection.OUTGOING ? "caller" : "callee")
              + " is the device writing this record and needs its device address");
    }
  }

  /** The device whose log holds this record: the caller's if outgoing, else the callee's. */
  public DeviceAddress recordingDevice() {
    return direction == CallDirection.OUTGOING ? caller.device() : callee.device();
  }

  /** Whether the call was answered. */
  public boolean answered() {
    return answerMillis.isPresent();
  }

  static void checkText(String what, String value) {
    if (value.length() > MAX_TEXT) {
      throw new IllegalArgumentException(what + " longer than " + MAX_TEXT + " chars");
    }
  }

  /** A builder; {@code durationMillis} is derived from the times. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link CallRecord}; every attribute without a default must be set. */
  public static final class Builder {
    private CallId callId;
    private CallParty caller;
    private CallParty callee;
    private CallDirection direction;
    private CallType callType = CallType.AUDIO;
    private long startMillis;
    private OptionalLong answerMillis = OptionalLong.empty();
    private long endMillis;
    private CallDisposition disposition;
    private int sipCode;
    private String sipReason = "";
    private String codec = "";
    private boolean mediaEncrypted;
    private NetworkDetails network;
    private CallQuality quality = CallQuality.NONE;
    private String site = "";
    private Admission admission = Admission.NOT_APPLICABLE;
    private RecordingReference recording;
    private RecordingConsent consent = RecordingConsent.NOT_RECORDED;

    private Builder() {}

    public Builder callId(CallId v) {
      callId = v;
      return this;
    }

    public Builder caller(CallParty v) {
      caller = v;
      return this;
    }

    public Builder callee(CallParty v) {
      callee = v;
      return this;
    }

    public Builder direction(CallDirection v) {
      direction = v;
      return this;
    }

    public Builder callType(CallType v) {
      callType = v;
      return this;
    }

    public Builder startMillis(long v) {
      startMillis = v;
      return this;
    }

    public Builder answerMillis(long v) {
      answerMillis = OptionalLong.of(v);
      return this;
    }

    public Builder notAnswered() {
      answerMillis = OptionalLong.empty();
      return this;
    }

    public Builder endMillis(long v) {
      endMillis = v;
      return this;
    }

    public Builder disposition(CallDisposition v) {
      disposition = v;
      return this;
    }

    public Builder sip(int code, String reason) {
      sipCode = code;
      sipReason = reason;
      return this;
    }

    public Builder codec(String v) {
      codec = v;
      return this;
    }

    public Builder mediaEncrypted(boolean v) {
      mediaEncrypted = v;
      return this;
    }

    public Builder network(NetworkDetails v) {
      network = v;
      return this;
    }

    public Builder quality(CallQuality v) {
      quality = v;
      return this;
    }

    public Builder site(String v) {
      site = v;
      return this;
    }

    public Builder admission(Admission v) {
      admission = v;
      return this;
    }

    public Builder recording(RecordingReference v) {
      recording = v;
      return this;
    }

    public Builder consent(RecordingConsent v) {
      consent = v;
      return this;
    }

    public CallRecord build() {
      long duration = answerMillis.isPresent() ? endMillis - answerMillis.getAsLong() : 0;
      return new CallRecord(
          callId,
          caller,
          callee,
          direction,
          callType,
          startMillis,
          answerMillis,
          endMillis,
          duration,
          disposition,
          sipCode,
          sipReason,
          codec,
          mediaEncrypted,
          network,
          quality,
          site,
          admission,
          recording,
          consent);
    }
  }
}

package org.callchain.ledger.internal.proto;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.callchain.identity.DeviceAddress;
import org.callchain.identity.DeviceSignature;
import org.callchain.ledger.AdmissionOutcome;
import org.callchain.ledger.CallDirection;
import org.callchain.ledger.CallDisposition;
import org.callchain.ledger.CallId;
import org.callchain.ledger.CallParty;
import org.callchain.ledger.CallQuality;
import org.callchain.ledger.CallTransport;
import org.callchain.ledger.CallType;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.Hash256;
import org.callchain.ledger.MalformedDataException;
import org.callchain.ledger.NetworkDetails;
import org.callchain.ledger.RecordingConsent;
import org.callchain.ledger.RecordingReference;

/**
 * Deterministic protobuf encoding with a strict decoder. Encoding uses deterministic serialization
 * (fields in number order, defaults omitted). Decoding accepts bytes only if they carry no unknown
 * fields and re-encode to exactly themselves, which rules out every alternative encoding protobuf
 * parsers would otherwise accept: reordered or repeated fields, explicit default values,
 * non-minimal varints, unknown fields. A value therefore has one encoding and one hash.
 */
public final class CanonicalProto {
  private CanonicalProto() {}

  /** Deterministic serialization of any message. */
  public static byte[] encode(Message message) {
    byte[] out = new byte[message.getSerializedSize()];
    CodedOutputStream cos = CodedOutputStream.newInstance(out);
    cos.useDeterministicSerialization();
    try {
      message.writeTo(cos);
      cos.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new IllegalStateException("serializing to an array cannot fail", e);
    }
    return out;
  }

  /** Parses {@code bytes} and insists they are the canonical encoding of what they hold. */
  public static <M extends Message> M decodeStrict(Parser<M> parser, byte[] bytes, String what)
      throws MalformedDataException {
    M message;
    try {
      message = parser.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new MalformedDataException(what + " is not valid protobuf (" + e.getMessage() + ")");
    }
    if (hasUnknownFields(message)) {
      throw new MalformedDataException(what + " has unknown fields");
    }
    if (!Arrays.equals(encode(message), bytes)) {
      throw new MalformedDataException(what + " is not in canonical encoding");
    }
    return message;
  }

  private static boolean hasUnknownFields(Message message) {
    if (!message.getUnknownFields().asMap().isEmpty()) {
      return true;
    }
    if (message instanceof CallRecord r) {
      // The hot path (every leaf of every audit and replica update): direct getters, no reflection.
      return !r.getCaller().getUnknownFields().asMap().isEmpty()
          || !r.getCallee().getUnknownFields().asMap().isEmpty()
          || !r.getNetwork().getUnknownFields().asMap().isEmpty()
          || !r.getQuality().getUnknownFields().asMap().isEmpty()
          || !r.getAdmission().getUnknownFields().asMap().isEmpty()
          || !r.getRecording().getUnknownFields().asMap().isEmpty();
    }
    for (Map.Entry<com.google.protobuf.Descriptors.FieldDescriptor, Object> e :
        message.getAllFields().entrySet()) {
      Object v = e.getValue();
      if (v instanceof Message m && hasUnknownFields(m)) {
        return true;
      }
      if (v instanceof List<?> list) {
        for (Object o : list) {
          if (o instanceof Message m && hasUnknownFields(m)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  // ---- call records -------------------------------------------------------------------------

  public static byte[] encodeRecord(org.callchain.ledger.CallRecord r) {
    CallRecord.Builder b =
        CallRecord.newBuilder()
            .setSchemaVersion(org.callchain.ledger.CallRecord.SCHEMA_VERSION)
            .setCallId(bytes(r.callId().hash()))
            .setCaller(party(r.caller()))
            .setCallee(party(r.callee()))
            .setDirection(r.direction().code())
            .setCallType(r.callType().code())
            .setStartMs(r.startMillis())
            .setEndMs(r.endMillis())
            .setDurationMs(r.durationMillis())
            .setDisposition(r.disposition().code())
            .setSipCode(r.sipCode())
            .setSipReason(r.sipReason())
            .setCodec(r.codec())
            .setMediaEncrypted(r.mediaEncrypted())
            .setNetwork(network(r.network()))
            .setQuality(quality(r.quality()))
            .setSite(r.site())
            .setAdmission(admission(r.admission()))
            .setConsent(r.consent().code());
    r.answerMillis().ifPresent(b::setAnswerMs);
    if (r.recording() != null) {
      b.setRecording(
          Recording.newBuilder()
              .setSha256(bytes(r.recording().sha256()))
              .setSizeBytes(r.recording().sizeBytes())
              .setLocator(r.recording().locator()));
    }
    return encode(b.build());
  }

  public static org.callchain.ledger.CallRecord decodeRecord(byte[] bytes)
      throws MalformedDataException {
    CallRecord m = decodeStrict(CallRecord.parser(), bytes, "call record");
    if (m.getSchemaVersion() != org.callchain.ledger.CallRecord.SCHEMA_VERSION) {
      throw new MalformedDataException(
          "call record has schema version " + m.getSchemaVersion() + ", this node reads only 1");
    }
    if (!m.hasCaller()
        || !m.hasCallee()
        || !m.hasNetwork()
        || !m.hasQuality()
        || !m.hasAdmission()) {
      throw new MalformedDataException("call record lacks a required part");
    }
    try {
      Network n = m.getNetwork();
      Quality q = m.getQuality();
      return new org.callchain.ledger.CallRecord(
          new CallId(hash(m.getCallId(), "call id")),
          party(m.getCaller()),
          party(m.getCallee()),
          code(CallDirection.fromCode(m.getDirection()), "direction", m.getDirection()),
          code(CallType.fromCode(m.getCallType()), "call type", m.getCallType()),
          m.getStartMs(),
          m.hasAnswerMs() ? OptionalLong.of(m.getAnswerMs()) : OptionalLong.empty(),
          m.getEndMs(),
          m.getDurationMs(),
          code(CallDisposition.fromCode(m.getDisposition()), "disposition", m.getDisposition()),
          m.getSipCode(),
          m.getSipReason(),
          m.getCodec(),
          m.getMediaEncrypted(),
          new NetworkDetails(
              n.getLocalAddress(),
              n.getLocalSipPort(),
              n.getLocalRtpPort(),
              n.getRemoteAddress(),
              n.getRemoteSipPort(),
              n.getRemoteRtpPort(),
              code(CallTransport.fromCode(n.getTransport()), "transport", n.getTransport())),
          new CallQuality(
              q.getPacketsSent(),
              q.getPacketsReceived(),
              q.getPacketsLost(),
              q.getJitterMicros(),
              q.getMosCenti()),
          m.getSite(),
          new org.callchain.ledger.Admission(
              code(
                  AdmissionOutcome.fromCode(m.getAdmission().getOutcome()),
                  "admission outcome",
                  m.getAdmission().getOutcome()),
              m.getAdmission().getDetail(),
              signer(m.getAdmission())),
          m.hasRecording()
              ? new RecordingReference(
                  hash(m.getRecording().getSha256(), "recording hash"),
                  m.getRecording().getSizeBytes(),
                  m.getRecording().getLocator())
              : null,
          code(RecordingConsent.fromCode(m.getConsent()), "consent", m.getConsent()));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new MalformedDataException("call record is invalid: " + e.getMessage());
    }
  }

  private static <E> E code(E value, String what, int code) {
    if (value == null) {
      throw new IllegalArgumentException("unknown " + what + " code " + code);
    }
    return value;
  }

  private static Admission admission(org.callchain.ledger.Admission a) {
    Admission.Builder b =
        Admission.newBuilder().setOutcome(a.outcome().code()).setDetail(a.detail());
    a.signer().ifPresent(d -> b.setSigner(ByteString.copyFrom(d.toBytes())));
    return b.build();
  }

  private static java.util.Optional<DeviceAddress> signer(Admission a)
      throws MalformedDataException {
    if (a.getSigner().isEmpty()) {
      return java.util.Optional.empty();
    }
    if (a.getSigner().size() != DeviceAddress.LENGTH) {
      throw new MalformedDataException(
          "admission signer has " + a.getSigner().size() + " bytes, not 20");
    }
    return java.util.Optional.of(DeviceAddress.of(a.getSigner().toByteArray()));
  }

  private static Party.Builder party(CallParty p) {
    Party.Builder b = Party.newBuilder().setUri(p.uri()).setNumber(p.number());
    if (p.device() != null) {
      b.setDevice(ByteString.copyFrom(p.device().toBytes()));
    }
    return b;
  }

  private static CallParty party(Party p) {
    DeviceAddress device =
        p.getDevice().isEmpty() ? null : DeviceAddress.of(p.getDevice().toByteArray());
    return new CallParty(p.getUri(), p.getNumber(), device);
  }

  private static Network.Builder network(NetworkDetails n) {
    return Network.newBuilder()
        .setLocalAddress(n.localAddress())
        .setLocalSipPort(n.localSipPort())
        .setLocalRtpPort(n.localRtpPort())
        .setRemoteAddress(n.remoteAddress())
        .setRemoteSipPort(n.remoteSipPort())
        .setRemoteRtpPort(n.remoteRtpPort())
        .setTransport(n.transport().code());
  }

  private static Quality.Builder quality(CallQuality q) {
    return Quality.newBuilder()
        .setPacketsSent(q.packetsSent())
        .setPacketsReceived(q.packetsReceived())
        .setPacketsLost(q.packetsLost())
        .setJitterMicros(q.jitterMicros())
        .setMosCenti(q.mosCenti());
  }

  // ---- checkpoints ---------------------------------------------------------------------------

  public static byte[] checkpointBody(
      DeviceAddress device, long treeSize, Hash256 root, long timestampMillis) {
    return encode(body(device, treeSize, root, timestampMillis));
  }

  private static CheckpointBody body(
      DeviceAddress device, long treeSize, Hash256 root, long timestampMillis) {
    return CheckpointBody.newBuilder()
        .setDevice(ByteString.copyFrom(device.toBytes()))
        .setTreeSize(treeSize)
        .setRootHash(bytes(root))
        .setTimestampMs(timestampMillis)
        .build();
  }

  public static SignedCheckpoint signedCheckpoint(Checkpoint c) {
    return SignedCheckpoint.newBuilder()
        .setBody(body(c.device(), c.treeSize(), c.rootHash(), c.timestampMillis()))
        .setSignature(ByteString.copyFrom(c.signature().toBytes()))
        .build();
  }

  public static byte[] encodeCheckpoint(Checkpoint c) {
    return encode(signedCheckpoint(c));
  }

  public static Checkpoint decodeCheckpoint(byte[] bytes) throws MalformedDataException {
    return checkpoint(decodeStrict(SignedCheckpoint.parser(), bytes, "checkpoint"));
  }

  public static Checkpoint checkpoint(SignedCheckpoint m) throws MalformedDataException {
    try {
      CheckpointBody b = m.getBody();
      if (!m.hasBody()) {
        throw new IllegalArgumentException("no body");
      }
      return new Checkpoint(
          DeviceAddress.of(b.getDevice().toByteArray()),
          b.getTreeSize(),
          hash(b.getRootHash(), "root hash"),
          b.getTimestampMs(),
          DeviceSignature.of(m.getSignature().toByteArray()));
    } catch (IllegalArgumentException e) {
      throw new MalformedDataException("checkpoint is invalid: " + e.getMessage());
    }
  }

  // ---- equivocation evidence -----------------------------------------------------------------

  public static byte[] encodeEquivocation(
      Checkpoint earlier, Checkpoint later, List<Hash256> path, long detectedMillis) {
    ConsistencyPath.Builder p =
        ConsistencyPath.newBuilder().setFromSize(earlier.treeSize()).setToSize(later.treeSize());
    path.forEach(h -> p.addPath(bytes(h)));
    return encode(
        Equivocation.newBuilder()
            .setEarlier(signedCheckpoint(earlier))
            .setLater(signedCheckpoint(later))
            .setProof(p)
            .setDetectedMs(detectedMillis)
            .build());
  }

  /** The parts of decoded evidence. */
  public record EquivocationParts(
      Checkpoint earlier, Checkpoint later, List<Hash256> path, long detectedMillis) {}

  public static EquivocationParts decodeEquivocation(byte[] bytes) throws MalformedDataException {
    Equivocation m = decodeStrict(Equivocation.parser(), bytes, "equivocation evidence");
    Checkpoint earlier = checkpoint(m.getEarlier());
    Checkpoint later = checkpoint(m.getLater());
    if (m.getProof().getFromSize() != earlier.treeSize()
        || m.getProof().getToSize() != later.treeSize()) {
      throw new MalformedDataException("equivocation evidence proof sizes do not match");
    }
    List<Hash256> path = new ArrayList<>();
    for (ByteString b : m.getProof().getPathList()) {
      path.add(hash(b, "proof hash"));
    }
    return new EquivocationParts(earlier, later, path, m.getDetectedMs());
  }

  private static ByteString bytes(Hash256 h) {
    return ByteString.copyFrom(h.toBytes());
  }

  private static Hash256 hash(ByteString b, String what) throws MalformedDataException {
    if (b.size() != Hash256.LENGTH) {
      throw new MalformedDataException(what + " must have 32 bytes, has " + b.size());
    }
    return Hash256.wrap(b.toByteArray());
  }
}

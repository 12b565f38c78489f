package org.callchain.ledger.internal.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.callchain.ledger.CallParty;
import org.callchain.ledger.CallRecord;
import org.callchain.ledger.Checkpoint;

/**
 * The human rendering of records and checkpoints: fixed field order, lower camel case names, times
 * both as epoch milliseconds and ISO-8601 UTC, hashes as hex, MOS as a decimal. It is a view for
 * people and tools; the canonical form is the protobuf encoding.
 */
public final class RecordJson {
  public static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private RecordJson() {}

  public static ObjectNode record(CallRecord r) {
    ObjectNode o = F.objectNode();
    o.put("schemaVersion", CallRecord.SCHEMA_VERSION);
    o.put("callId", r.callId().toString());
    o.put("recordingDevice", r.recordingDevice().toHex());
    o.set("caller", party(r.caller()));
    o.set("callee", party(r.callee()));
    o.put("direction", r.direction().name());
    o.put("callType", r.callType().name());
    o.put("startMillis", r.startMillis());
    o.put("start", Instant.ofEpochMilli(r.startMillis()).toString());
    if (r.answerMillis().isPresent()) {
      o.put("answerMillis", r.answerMillis().getAsLong());
      o.put("answer", Instant.ofEpochMilli(r.answerMillis().getAsLong()).toString());
    } else {
      o.putNull("answerMillis");
      o.putNull("answer");
    }
    o.put("endMillis", r.endMillis());
    o.put("end", Instant.ofEpochMilli(r.endMillis()).toString());
    o.put("durationMillis", r.durationMillis());
    o.put("disposition", r.disposition().name());
    o.put("sipCode", r.sipCode());
    o.put("sipReason", r.sipReason());
    o.put("codec", r.codec());
    o.put("mediaEncrypted", r.mediaEncrypted());
    ObjectNode n = o.putObject("network");
    n.put("localAddress", r.network().localAddress());
    n.put("localSipPort", r.network().localSipPort());
    n.put("localRtpPort", r.network().localRtpPort());
    n.put("remoteAddress", r.network().remoteAddress());
    n.put("remoteSipPort", r.network().remoteSipPort());
    n.put("remoteRtpPort", r.network().remoteRtpPort());
    n.put("transport", r.network().transport().name());
    ObjectNode q = o.putObject("quality");
    q.put("packetsSent", r.quality().packetsSent());
    q.put("packetsReceived", r.quality().packetsReceived());
    q.put("packetsLost", r.quality().packetsLost());
    q.put("jitterMicros", r.quality().jitterMicros());
    if (r.quality().mosCenti() == 0) {
      q.putNull("mos");
    } else {
      // As text ("4.21"): a decimal string survives any JSON reader unchanged.
      q.put(
          "mos",
          (r.quality().mosCenti() / 100)
              + "."
              + String.format("%02d", r.quality().mosCenti() % 100));
    }
    o.put("site", r.site());
    ObjectNode a = o.putObject("admission");
    a.put("outcome", r.admission().outcome().name());
    a.put("detail", r.admission().detail());
    r.admission()
        .signer()
        .ifPresentOrElse(d -> a.put("signer", d.toHex()), () -> a.putNull("signer"));
    if (r.recording() == null) {
      o.putNull("recording");
    } else {
      ObjectNode rec = o.putObject("recording");
      rec.put("sha256", r.recording().sha256().toHex());
      rec.put("sizeBytes", r.recording().sizeBytes());
      rec.put("locator", r.recording().locator());
    }
    o.put("consent", r.consent().name());
    return o;
  }

  private static ObjectNode party(CallParty p) {
    ObjectNode o = F.objectNode();
    o.put("uri", p.uri());
    o.put("number", p.number());
    if (p.device() == null) {
      o.putNull("device");
    } else {
      o.put("device", p.device().toHex());
    }
    return o;
  }

  public static ObjectNode checkpoint(Checkpoint c) {
    ObjectNode o = F.objectNode();
    o.put("device", c.device().toHex());
    o.put("treeSize", c.treeSize());
    o.put("rootHash", c.rootHash().toHex());
    o.put("timestampMillis", c.timestampMillis());
    o.put("time", Instant.ofEpochMilli(c.timestampMillis()).toString());
    o.put("signature", c.signature().toHex());
    return o;
  }
}

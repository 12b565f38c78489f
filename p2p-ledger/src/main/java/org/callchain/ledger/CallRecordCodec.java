package org.callchain.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.callchain.ledger.internal.json.RecordJson;
import org.callchain.ledger.internal.merkle.MerkleHashing;
import org.callchain.ledger.internal.proto.CanonicalProto;

/**
 * The one encoding of a {@link CallRecord} (deterministic protobuf, schema version 1; see
 * docs/ledger.md) and its JSON rendering for people. {@link #decode} accepts only canonical bytes,
 * so {@code encode(decode(b))} equals {@code b} for every accepted {@code b}.
 */
public final class CallRecordCodec {
  private CallRecordCodec() {}

  /** The canonical bytes: the Merkle leaf of the record. */
  public static byte[] encode(CallRecord record) {
    return CanonicalProto.encodeRecord(record);
  }

  /** Decodes canonical bytes; anything else is rejected. */
  public static CallRecord decode(byte[] bytes) throws MalformedDataException {
    return CanonicalProto.decodeRecord(bytes);
  }

  /** RFC 9162 leaf hash of the record's canonical bytes. */
  public static Hash256 leafHash(CallRecord record) {
    return MerkleHashing.leafHash(encode(record));
  }

  /** A JSON object for people and tools (not canonical; never hashed). */
  public static String toJson(CallRecord record, boolean pretty) {
    try {
      return pretty
          ? RecordJson.MAPPER
              .writerWithDefaultPrettyPrinter()
              .writeValueAsString(RecordJson.record(record))
          : RecordJson.MAPPER.writeValueAsString(RecordJson.record(record));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of JSON nodes always serializes", e);
    }
  }

  /** A checkpoint as a JSON object. */
  public static String toJson(Checkpoint checkpoint) {
    try {
      return RecordJson.MAPPER.writeValueAsString(RecordJson.checkpoint(checkpoint));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of JSON nodes always serializes", e);
    }
  }
}

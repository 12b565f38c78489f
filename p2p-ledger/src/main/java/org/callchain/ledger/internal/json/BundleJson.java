package org.callchain.ledger.internal.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.callchain.identity.DeviceAddress;
import org.callchain.identity.DeviceSignature;
import org.callchain.ledger.AnchorReference;
import org.callchain.ledger.CallRecord;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.ConsistencyProof;
import org.callchain.ledger.Hash256;
import org.callchain.ledger.InclusionProof;
import org.callchain.ledger.MalformedDataException;
import org.callchain.ledger.ProofBundle;
import org.callchain.ledger.internal.proto.CanonicalProto;

/** The JSON form of {@link ProofBundle} (docs/ledger.md, "Proof bundles"). */
public final class BundleJson {
  private BundleJson() {}

  public static String write(ProofBundle b) {
    ObjectNode o = RecordJson.MAPPER.createObjectNode();
    o.put("format", ProofBundle.FORMAT);
    o.put("device", b.device().toHex());
    o.put("leafIndex", b.leafIndex());
    o.put("leaf", Base64.getEncoder().encodeToString(b.leaf()));
    o.set("record", RecordJson.record(b.record()));
    ObjectNode p = o.putObject("inclusionProof");
    p.put("leafIndex", b.proof().leafIndex());
    p.put("treeSize", b.proof().treeSize());
    ArrayNode path = p.putArray("path");
    b.proof().path().forEach(h -> path.add(h.toHex()));
    o.set("checkpoint", RecordJson.checkpoint(b.checkpoint()));
    if (b.anchor() == null) {
      o.putNull("anchor");
    } else {
      ObjectNode a = o.putObject("anchor");
      a.put("chainId", b.anchor().chainId());
      a.put("contractAddress", b.anchor().contractAddress());
      a.put("transactionHash", b.anchor().transactionHash());
      a.put("blockNumber", b.anchor().blockNumber());
      a.put("anchoredTreeSize", b.anchor().anchoredTreeSize());
      a.put("anchoredRoot", b.anchor().anchoredRoot().toHex());
      ObjectNode cp = a.putObject("consistencyProof");
      cp.put("fromSize", b.anchorConsistency().fromSize());
      cp.put("toSize", b.anchorConsistency().toSize());
      ArrayNode cpath = cp.putArray("path");
      b.anchorConsistency().path().forEach(h -> cpath.add(h.toHex()));
    }
    try {
      return RecordJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of JSON nodes always serializes", e);
    }
  }

  public static ProofBundle read(String json) throws MalformedDataException {
    JsonNode o;
    try {
      o = RecordJson.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new MalformedDataException(
          "bundle is not complete JSON (truncated or damaged at line "
              + (e.getLocation() == null ? "?" : e.getLocation().getLineNr())
              + ")");
    }
    if (o == null || !o.isObject()) {
      throw new MalformedDataException("bundle is empty or not a JSON object");
    }
    if (!ProofBundle.FORMAT.equals(text(o, "format"))) {
      throw new MalformedDataException(
          "bundle format is '" + text(o, "format") + "', expected " + ProofBundle.FORMAT);
    }
    try {
      long leafIndex = number(o, "leafIndex");
      byte[] leaf = Base64.getDecoder().decode(text(o, "leaf"));
      CallRecord record = CanonicalProto.decodeRecord(leaf);
      if (!compact(RecordJson.record(record)).equals(compact(field(o, "record")))) {
        throw new MalformedDataException("bundle's record JSON differs from its signed leaf");
      }
      JsonNode p = field(o, "inclusionProof");
      InclusionProof proof =
          new InclusionProof(number(p, "leafIndex"), number(p, "treeSize"), hashes(p));
      JsonNode c = field(o, "checkpoint");
      Checkpoint checkpoint =
          new Checkpoint(
              DeviceAddress.parse(text(c, "device")),
              number(c, "treeSize"),
              Hash256.parse(text(c, "rootHash")),
              number(c, "timestampMillis"),
              DeviceSignature.of(hex(text(c, "signature"))));
      String device = text(o, "device");
      if (!DeviceAddress.parse(device).equals(checkpoint.device())) {
        throw new MalformedDataException("bundle's device differs from its checkpoint's device");
      }
      JsonNode a = field(o, "anchor");
      if (a.isNull()) {
        return new ProofBundle(leafIndex, leaf, record, proof, checkpoint);
      }
      AnchorReference anchor =
          new AnchorReference(
              number(a, "chainId"),
              text(a, "contractAddress"),
              text(a, "transactionHash"),
              number(a, "blockNumber"),
              number(a, "anchoredTreeSize"),
              Hash256.parse(text(a, "anchoredRoot")));
      JsonNode cp = field(a, "consistencyProof");
      ConsistencyProof consistency =
          new ConsistencyProof(number(cp, "fromSize"), number(cp, "toSize"), hashes(cp));
      return new ProofBundle(leafIndex, leaf, record, proof, checkpoint, anchor, consistency);
    } catch (IllegalArgumentException e) {
      throw new MalformedDataException("bundle has a malformed value: " + e.getMessage());
    }
  }

  private static List<Hash256> hashes(JsonNode proof) throws MalformedDataException {
    List<Hash256> path = new ArrayList<>();
    JsonNode arr = field(proof, "path");
    if (!arr.isArray()) {
      throw new MalformedDataException("bundle field 'path' of a proof is not an array");
    }
    for (JsonNode h : arr) {
      path.add(Hash256.parse(h.asText()));
    }
    return path;
  }

  private static String compact(JsonNode n) {
    try {
      return RecordJson.MAPPER.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of JSON nodes always serializes", e);
    }
  }

  private static byte[] hex(String s) {
    return java.util.HexFormat.of().parseHex(s.startsWith("0x") ? s.substring(2) : s);
  }

  private static JsonNode field(JsonNode o, String name) throws MalformedDataException {
    JsonNode v = o.get(name);
    if (v == null) {
      throw new MalformedDataException("bundle lacks field '" + name + "'");
    }
    return v;
  }

  private static String text(JsonNode o, String name) throws MalformedDataException {
    JsonNode v = field(o, name);
    if (!v.isTextual()) {
      throw new MalformedDataException("bundle field '" + name + "' is not a string");
    }
    return v.asText();
  }

  private static long number(JsonNode o, String name) throws MalformedDataException {
    JsonNode v = field(o, name);
    if (!v.canConvertToExactIntegral() || !v.canConvertToLong()) {
      throw new MalformedDataException("bundle field '" + name + "' is not an integer");
    }
    return v.asLong();
  }
}

package org.callchain.ledger.replication.internal;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import org.callchain.chain.AnchorStatement;
import org.callchain.identity.DeviceAddress;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.ConsistencyProof;
import org.callchain.ledger.Hash256;
import org.callchain.ledger.MalformedDataException;
import org.callchain.ledger.WitnessSignature;
import org.callchain.ledger.internal.proto.CanonicalProto;
import org.callchain.ledger.internal.proto.ConsistencyPath;
import org.callchain.ledger.internal.proto.SignedCheckpoint;
import org.callchain.ledger.internal.proto.WitnessCosignature;
import org.callchain.ledger.internal.proto.WitnessProto;
import org.callchain.ledger.replication.internal.proto.AnchorSignature;
import org.callchain.ledger.replication.internal.proto.Commit;
import org.callchain.ledger.replication.internal.proto.GossipMessage;
import org.callchain.ledger.replication.internal.proto.HeadsResponse;
import org.callchain.ledger.replication.internal.proto.LeavesResponse;
import org.callchain.ledger.replication.internal.proto.SyncRequest;
import org.callchain.ledger.replication.internal.proto.SyncResponse;
import org.callchain.ledger.replication.internal.proto.Witness;

/**
 * The wire form of replication messages (replication.proto, version 1): deterministic protobuf,
 * decoded strictly by {@link CanonicalProto#decodeStrict} (no unknown fields, canonical bytes only)
 * and bounded before and after parsing, so a hostile peer cannot make us allocate more than the
 * limits below or accept two encodings of one message.
 */
final class ReplicationCodec {
  static final int VERSION = 1;

  /** Largest gossip payload: what {@code Libp2pGossipsub} carries in one message. */
  static final int MAX_GOSSIP_BYTES = 1_000_000;

  /** Largest sync request or response. */
  static final int MAX_SYNC_BYTES = 8 << 20;

  static final int MAX_LEAVES = 10_000;
  static final int MAX_LEAF_BYTES = 64 << 10;
  static final int MAX_PROOF_HASHES = 128;
  static final int MAX_HEADS = 10_000;
  static final int MAX_WITNESSES = 10_000;

  private ReplicationCodec() {}

  // ---- gossip ---------------------------------------------------------------------------------

  static byte[] encodeCommit(CommitMessage c) {
    return CanonicalProto.encode(
        GossipMessage.newBuilder().setVersion(VERSION).setCommit(commit(c)).build());
  }

  static byte[] encodeWitness(WitnessMessage w) {
    return CanonicalProto.encode(
        GossipMessage.newBuilder().setVersion(VERSION).setWitness(witness(w)).build());
  }

  /** A decoded gossip message: exactly one of the two is set. */
  record Gossip(CommitMessage commit, WitnessMessage witness) {}

  static Gossip decodeGossip(byte[] bytes) throws MalformedDataException {
    requireAtMost(bytes, MAX_GOSSIP_BYTES, "gossip message");
    GossipMessage m = CanonicalProto.decodeStrict(GossipMessage.parser(), bytes, "gossip message");
    requireVersion(m.getVersion(), "gossip message");
    return switch (m.getBodyCase()) {
      case COMMIT -> new Gossip(commit(m.getCommit()), null);
      case WITNESS -> new Gossip(null, witness(m.getWitness()));
      case BODY_NOT_SET -> throw new MalformedDataException("gossip message has no body");
    };
  }

  // ---- sync -----------------------------------------------------------------------------------

  static byte[] encodeRequest(SyncMessages.Request r) {
    SyncRequest.Builder b = SyncRequest.newBuilder().setVersion(VERSION);
    if (r instanceof SyncMessages.LeavesRequest l) {
      b.setLeaves(
          org.callchain.ledger.replication.internal.proto.LeavesRequest.newBuilder()
              .setDevice(ByteString.copyFrom(l.device().toBytes()))
              .setFromIndex(l.fromIndex())
              .setToSize(l.toSize())
              .setMaxLeaves(l.maxLeaves()));
    } else {
      b.setHeads(org.callchain.ledger.replication.internal.proto.HeadsRequest.getDefaultInstance());
    }
    return CanonicalProto.encode(b.build());
  }

  static SyncMessages.Request decodeRequest(byte[] bytes) throws MalformedDataException {
    requireAtMost(bytes, MAX_SYNC_BYTES, "sync request");
    SyncRequest m = CanonicalProto.decodeStrict(SyncRequest.parser(), bytes, "sync request");
    requireVersion(m.getVersion(), "sync request");
    try {
      return switch (m.getKindCase()) {
        case HEADS -> new SyncMessages.HeadsRequest();
        case LEAVES ->
            new SyncMessages.LeavesRequest(
                DeviceAddress.of(m.getLeaves().getDevice().toByteArray()),
                m.getLeaves().getFromIndex(),
                m.getLeaves().getToSize(),
                m.getLeaves().getMaxLeaves());
        case KIND_NOT_SET -> throw new MalformedDataException("sync request has no kind");
      };
    } catch (IllegalArgumentException e) {
      throw new MalformedDataException("sync request is invalid: " + e.getMessage());
    }
  }

  static byte[] encodeResponse(SyncMessages.Response r) {
    SyncResponse.Builder b = SyncResponse.newBuilder().setVersion(VERSION);
    if (r instanceof SyncMessages.Heads h) {
      HeadsResponse.Builder hb = HeadsResponse.newBuilder();
      h.heads().forEach(c -> hb.addHeads(CanonicalProto.signedCheckpoint(c)));
      h.witnesses().forEach(w -> hb.addWitnesses(witness(w)));
      b.setHeads(hb);
    } else if (r instanceof SyncMessages.LeavesPage p) {
      LeavesResponse.Builder lb = LeavesResponse.newBuilder().setCommit(commit(p.commit()));
      p.witnesses().forEach(w -> lb.addWitnesses(WitnessProto.message(w)));
      b.setLeaves(lb);
    } else {
      b.setError(((SyncMessages.Failure) r).reason());
    }
    return CanonicalProto.encode(b.build());
  }

  static SyncMessages.Response decodeResponse(byte[] bytes) throws MalformedDataException {
    requireAtMost(bytes, MAX_SYNC_BYTES, "sync response");
    SyncResponse m = CanonicalProto.decodeStrict(SyncResponse.parser(), bytes, "sync response");
    requireVersion(m.getVersion(), "sync response");
    switch (m.getKindCase()) {
      case HEADS -> {
        HeadsResponse h = m.getHeads();
        if (h.getHeadsCount() > MAX_HEADS || h.getWitnessesCount() > MAX_WITNESSES) {
          throw new MalformedDataException("heads response lists too many entries");
        }
        List<Checkpoint> heads = new ArrayList<>(h.getHeadsCount());
        for (SignedCheckpoint c : h.getHeadsList()) {
          heads.add(CanonicalProto.checkpoint(c));
        }
        List<WitnessMessage> witnesses = new ArrayList<>(h.getWitnessesCount());
        for (Witness w : h.getWitnessesList()) {
          witnesses.add(witness(w));
        }
        return new SyncMessages.Heads(heads, witnesses);
      }
      case LEAVES -> {
        LeavesResponse l = m.getLeaves();
        if (l.getWitnessesCount() > MAX_WITNESSES) {
          throw new MalformedDataException("leaves response carries too many co-signatures");
        }
        List<WitnessSignature> witnesses = new ArrayList<>(l.getWitnessesCount());
        for (WitnessCosignature w : l.getWitnessesList()) {
          witnesses.add(WitnessProto.fromMessage(w));
        }
        return new SyncMessages.LeavesPage(commit(l.getCommit()), witnesses);
      }
      case ERROR -> {
        return new SyncMessages.Failure(m.getError());
      }
      default -> throw new MalformedDataException("sync response has no kind");
    }
  }

  // ---- parts ----------------------------------------------------------------------------------

  private static Commit commit(CommitMessage c) {
    Commit.Builder b =
        Commit.newBuilder()
            .setCheckpoint(CanonicalProto.signedCheckpoint(c.checkpoint()))
            .setFirstIndex(c.firstIndex());
    c.leaves().forEach(leaf -> b.addLeaves(ByteString.copyFrom(leaf)));
    if (c.proof() != null) {
      ConsistencyPath.Builder p =
          ConsistencyPath.newBuilder()
              .setFromSize(c.proof().fromSize())
              .setToSize(c.proof().toSize());
      c.proof().path().forEach(h -> p.addPath(ByteString.copyFrom(h.toBytes())));
      b.setProof(p);
    }
    c.statement()
        .ifPresent(
            st ->
                b.setAnchorStatement(
                    AnchorSignature.newBuilder()
                        .setR(ByteString.copyFrom(st.r()))
                        .setYParityAndS(ByteString.copyFrom(st.yParityAndS()))));
    return b.build();
  }

  private static CommitMessage commit(Commit m) throws MalformedDataException {
    if (!m.hasCheckpoint()) {
      throw new MalformedDataException("commit has no checkpoint");
    }
    Checkpoint cp = CanonicalProto.checkpoint(m.getCheckpoint());
    if (m.getLeavesCount() > MAX_LEAVES) {
      throw new MalformedDataException(
          "commit carries " + m.getLeavesCount() + " leaves, more than " + MAX_LEAVES);
    }
    List<byte[]> leaves = new ArrayList<>(m.getLeavesCount());
    for (ByteString leaf : m.getLeavesList()) {
      if (leaf.size() > MAX_LEAF_BYTES) {
        throw new MalformedDataException("a leaf of " + leaf.size() + " bytes is too large");
      }
      leaves.add(leaf.toByteArray());
    }
    if (m.getFirstIndex() < 0 || m.getFirstIndex() + leaves.size() != cp.treeSize()) {
      throw new MalformedDataException(
          "commit starts at leaf "
              + m.getFirstIndex()
              + " with "
              + leaves.size()
              + " leaves but its checkpoint has size "
              + cp.treeSize());
    }
    ConsistencyProof proof = null;
    if (m.hasProof()) {
      ConsistencyPath p = m.getProof();
      if (p.getFromSize() != m.getFirstIndex() || p.getToSize() != cp.treeSize()) {
        throw new MalformedDataException("commit's consistency proof is for other sizes");
      }
      if (p.getPathCount() > MAX_PROOF_HASHES) {
        throw new MalformedDataException("commit's consistency proof is too long");
      }
      List<Hash256> path = new ArrayList<>(p.getPathCount());
      for (ByteString h : p.getPathList()) {
        if (h.size() != Hash256.LENGTH) {
          throw new MalformedDataException("a proof hash must have 32 bytes, has " + h.size());
        }
        path.add(Hash256.wrap(h.toByteArray()));
      }
      proof = new ConsistencyProof(p.getFromSize(), p.getToSize(), path);
    }
    java.util.Optional<AnchorStatement> statement = java.util.Optional.empty();
    if (m.hasAnchorStatement()) {
      AnchorSignature sig = m.getAnchorStatement();
      if (sig.getR().size() != 32 || sig.getYParityAndS().size() != 32) {
        throw new MalformedDataException("an anchor statement signature is two 32-byte words");
      }
      statement =
          java.util.Optional.of(
              AnchorStatements.of(
                  cp, sig.getR().toByteArray(), sig.getYParityAndS().toByteArray()));
    }
    return new CommitMessage(cp, m.getFirstIndex(), leaves, proof, statement);
  }

  private static Witness witness(WitnessMessage w) {
    return Witness.newBuilder()
        .setCheckpoint(CanonicalProto.signedCheckpoint(w.checkpoint()))
        .setCosignature(WitnessProto.message(w.signature()))
        .build();
  }

  private static WitnessMessage witness(Witness m) throws MalformedDataException {
    if (!m.hasCheckpoint() || !m.hasCosignature()) {
      throw new MalformedDataException("witness message needs a checkpoint and a co-signature");
    }
    return new WitnessMessage(
        CanonicalProto.checkpoint(m.getCheckpoint()), WitnessProto.fromMessage(m.getCosignature()));
  }

  private static void requireAtMost(byte[] bytes, int limit, String what)
      throws MalformedDataException {
    if (bytes.length > limit) {
      throw new MalformedDataException(
          what + " of " + bytes.length + " bytes exceeds the limit of " + limit);
    }
  }

  private static void requireVersion(int version, String what) throws MalformedDataException {
    if (version != VERSION) {
      throw new MalformedDataException(what + " has version " + version + ", expected " + VERSION);
    }
  }
}

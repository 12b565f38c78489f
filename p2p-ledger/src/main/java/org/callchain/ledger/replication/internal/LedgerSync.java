package org.callchain.ledger.replication.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.callchain.identity.DeviceAddress;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.Ledger;
import org.callchain.ledger.LedgerException;
import org.callchain.ledger.LogView;
import org.callchain.ledger.MalformedDataException;
import org.callchain.ledger.WitnessSignature;
import org.callchain.ledger.replication.RejectionReason;
import org.callchain.net.Host;
import org.callchain.net.PeerId;
import org.callchain.net.RequestResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync protocol {@code /callchain/sync/1.0.0} over {@link RequestResponse} (one stream per
 * request, length-prefixed, bounded, timed out): a peer asks for the heads we hold (the latest
 * checkpoint of every log, own and replicas, with their co-signatures) and then for the leaves it
 * lacks, one page at a time. A page is a stored commit-sized step of the log — its leaves, the
 * checkpoint that ends it, and the RFC 9162 consistency proof from where the asker stands — so the
 * asker verifies it exactly as a gossiped commit. Anyone's replica is served, so a node that was
 * offline catches up from whoever is there. Runs its ledger work on the replication thread.
 */
final class LedgerSync {
  static final String PROTOCOL = "/callchain/sync/1.0.0";
  private static final Logger LOG = LoggerFactory.getLogger(LedgerSync.class);

  /** What the network does with the outcome of a synced commit or co-signature. */
  interface Outcomes {
    void handle(Verdict verdict, PeerId from, boolean coSign);

    /** A sync response from {@code from} was refused ({@code rejection} is a REJECT verdict). */
    void rejected(PeerId from, Verdict rejection);

    void witnessAdded(Checkpoint checkpoint, WitnessSignature witness);
  }

  private final Ledger ledger;
  private final DeviceAddress own;
  private final GossipValidation validation;
  private final RequestResponse rpc;
  private final Executor worker;
  private final int pageLeaves;
  private final Outcomes outcomes;
  private final Map<DeviceAddress, Long> inFlight = new HashMap<>();

  LedgerSync(
      Host host,
      Ledger ledger,
      DeviceAddress own,
      GossipValidation validation,
      Executor worker,
      Duration timeout,
      int pageLeaves,
      Outcomes outcomes) {
    this.ledger = ledger;
    this.own = own;
    this.validation = validation;
    this.worker = worker;
    this.pageLeaves = pageLeaves;
    this.outcomes = outcomes;
    this.rpc = new RequestResponse(host, PROTOCOL, ReplicationCodec.MAX_SYNC_BYTES, timeout);
  }

  void serve() {
    rpc.serve((peer, request) -> CompletableFuture.supplyAsync(() -> respond(request), worker));
  }

  // ---- responder ------------------------------------------------------------------------------

  byte[] respond(byte[] request) {
    SyncMessages.Request r;
    try {
      r = ReplicationCodec.decodeRequest(request);
    } catch (MalformedDataException e) {
      return ReplicationCodec.encodeResponse(new SyncMessages.Failure(e.getMessage()));
    }
    SyncMessages.Response response = r instanceof SyncMessages.LeavesRequest l ? page(l) : heads();
    return ReplicationCodec.encodeResponse(response);
  }

  private SyncMessages.Heads heads() {
    List<Checkpoint> heads = new ArrayList<>();
    List<WitnessMessage> witnesses = new ArrayList<>();
    for (DeviceAddress d : ledger.devices()) {
      Optional<Checkpoint> head = ledger.log(d).flatMap(LogView::latestCheckpoint);
      if (head.isEmpty() || heads.size() == ReplicationCodec.MAX_HEADS) {
        continue;
      }
      heads.add(head.get());
      for (WitnessSignature w : ledger.witnessSignatures(d, head.get().treeSize())) {
        if (witnesses.size() < ReplicationCodec.MAX_WITNESSES) {
          witnesses.add(new WitnessMessage(head.get(), w));
        }
      }
    }
    return new SyncMessages.Heads(heads, witnesses);
  }

  private SyncMessages.Response page(SyncMessages.LeavesRequest r) {
    Optional<LogView> log = ledger.log(r.device());
    long size = log.map(LogView::size).orElse(0L);
    if (log.isEmpty() || r.fromIndex() >= size) {
      return new SyncMessages.Failure("holds " + size + " leaves of " + r.device());
    }
    LogView view = log.get();
    long to = Math.min(r.toSize(), size);
    long pageEnd =
        Math.min(to, r.fromIndex() + Math.min(r.maxLeaves(), ReplicationCodec.MAX_LEAVES));
    List<Checkpoint> within = view.checkpoints(r.fromIndex() + 1, pageEnd + 1);
    Checkpoint cp;
    if (!within.isEmpty()) {
      cp = within.get(within.size() - 1);
    } else {
      // One commit larger than a page: send it whole, bounded by the response size below.
      List<Checkpoint> beyond = view.checkpoints(pageEnd + 1, to + 1);
      if (beyond.isEmpty()) {
        return new SyncMessages.Failure("no checkpoint between " + r.fromIndex() + " and " + to);
      }
      cp = beyond.get(0);
    }
    List<byte[]> leaves = view.leaves(r.fromIndex(), cp.treeSize());
    long bytes = 0;
    for (byte[] leaf : leaves) {
      bytes += leaf.length + 4;
    }
    if (leaves.size() > ReplicationCodec.MAX_LEAVES
        || bytes > ReplicationCodec.MAX_SYNC_BYTES - (1 << 16)) {
      return new SyncMessages.Failure(
          "the commit ending at " + cp.treeSize() + " does not fit in one response");
    }
    CommitMessage commit =
        new CommitMessage(
            cp,
            r.fromIndex(),
            leaves,
            r.fromIndex() == 0 ? null : view.consistencyProof(r.fromIndex(), cp.treeSize()));
    return new SyncMessages.LeavesPage(commit, ledger.witnessSignatures(r.device(), cp.treeSize()));
  }

  // ---- requester ------------------------------------------------------------------------------

  /** Asks {@code peer} for its heads and fetches whatever it holds beyond ours. */
  CompletableFuture<Void> exchangeHeads(PeerId peer) {
    return rpc.request(peer, ReplicationCodec.encodeRequest(new SyncMessages.HeadsRequest()))
        .thenAcceptAsync(bytes -> onHeads(peer, bytes), worker)
        .exceptionally(
            e -> {
              LOG.debug("heads exchange with {} failed: {}", peer, e.toString());
              return null;
            });
  }

  private void onHeads(PeerId peer, byte[] bytes) {
    SyncMessages.Response response;
    try {
      response = ReplicationCodec.decodeResponse(bytes);
    } catch (MalformedDataException e) {
      outcomes.rejected(
          peer,
          Verdict.rejected(RejectionReason.MALFORMED, null, "heads response: " + e.getMessage()));
      return;
    }
    if (!(response instanceof SyncMessages.Heads heads)) {
      outcomes.rejected(
          peer,
          Verdict.rejected(
              RejectionReason.BAD_SYNC_RESPONSE, null, "heads request answered with " + response));
      return;
    }
    Membership members = validation.members();
    for (Checkpoint head : heads.heads()) {
      DeviceAddress d = head.device();
      // Replicas of devices no longer active are still held and served; they are not news.
      if (d.equals(own) || !members.isActiveDevice(d)) {
        continue;
      }
      long held = validation.heldSize(d);
      if (head.treeSize() > held) {
        if (head.signatureValid()) {
          fetch(peer, new Verdict.Gap(d, held, head.treeSize()));
        } else {
          outcomes.rejected(
              peer,
              Verdict.rejected(
                  RejectionReason.BAD_SIGNATURE,
                  d,
                  "head of " + d + " at " + head.treeSize() + " is not signed by it"));
        }
      } else {
        // A head at or below ours must state our root: this is where split views surface.
        Verdict v = validation.commit(new CommitMessage(head, head.treeSize(), List.of(), null));
        outcomes.handle(v, peer, false);
      }
    }
    for (WitnessMessage w : heads.witnesses()) {
      DeviceAddress witness = w.signature().witness();
      if (members.isActiveDevice(w.checkpoint().device())
          && (members.isActiveDevice(witness) || members.isAuditor(witness))) {
        outcomes.handle(validation.witness(w), peer, false);
      }
    }
  }

  /** Fetches the gap from {@code peer}, page by page; one fetch per device at a time. */
  void fetch(PeerId peer, Verdict.Gap gap) {
    Long running = inFlight.get(gap.device());
    if (running != null) {
      inFlight.put(gap.device(), Math.max(running, gap.targetSize()));
      return;
    }
    inFlight.put(gap.device(), gap.targetSize());
    step(peer, gap.device());
  }

  private void step(PeerId peer, DeviceAddress d) {
    long target = inFlight.get(d);
    long held = validation.heldSize(d);
    if (held >= target) {
      inFlight.remove(d);
      return;
    }
    SyncMessages.LeavesRequest request =
        new SyncMessages.LeavesRequest(d, held, target, pageLeaves);
    rpc.request(peer, ReplicationCodec.encodeRequest(request))
        .whenCompleteAsync((bytes, error) -> onPage(peer, d, bytes, error), worker);
  }

  private void onPage(PeerId peer, DeviceAddress d, byte[] bytes, Throwable error) {
    if (error != null) {
      inFlight.remove(d);
      LOG.debug("sync of {} from {} failed: {}", d, peer, error.toString());
      return;
    }
    SyncMessages.Response response;
    try {
      response = ReplicationCodec.decodeResponse(bytes);
    } catch (MalformedDataException e) {
      inFlight.remove(d);
      outcomes.rejected(
          peer, Verdict.rejected(RejectionReason.MALFORMED, d, "sync page: " + e.getMessage()));
      return;
    }
    if (!(response instanceof SyncMessages.LeavesPage page)
        || !page.commit().checkpoint().device().equals(d)) {
      inFlight.remove(d);
      if (!(response instanceof SyncMessages.Failure)) {
        outcomes.rejected(
            peer,
            Verdict.rejected(
                RejectionReason.BAD_SYNC_RESPONSE,
                d,
                "sync page for " + d + " answered with something else"));
      }
      return;
    }
    Checkpoint cp = page.commit().checkpoint();
    Verdict v = validation.commit(page.commit());
    boolean last = cp.treeSize() >= inFlight.get(d);
    outcomes.handle(v, peer, last);
    if (v.appended().isEmpty()) {
      inFlight.remove(d);
      return;
    }
    for (WitnessSignature w : page.witnesses()) {
      try {
        if (!w.witness().equals(own)
            && (validation.members().isActiveDevice(w.witness())
                || validation.members().isAuditor(w.witness()))
            && ledger.addWitnessSignature(cp, w)) {
          outcomes.witnessAdded(cp, w);
        }
      } catch (LedgerException e) {
        outcomes.rejected(
            peer,
            Verdict.rejected(
                RejectionReason.BAD_WITNESS,
                w.witness(),
                "sync page co-signature: " + e.getMessage()));
      }
    }
    step(peer, d);
  }
}

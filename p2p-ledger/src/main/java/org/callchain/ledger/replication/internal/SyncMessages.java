package org.callchain.ledger.replication.internal;

import java.util.List;
import java.util.Objects;
import org.callchain.identity.DeviceAddress;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.WitnessSignature;

/** The requests and responses of {@code /callchain/sync/1.0.0} (docs/replication.md, "Sync"). */
final class SyncMessages {
  private SyncMessages() {}

  /** A sync request. */
  sealed interface Request permits HeadsRequest, LeavesRequest {}

  /** "Which checkpoint do you hold for every device?" */
  record HeadsRequest() implements Request {}

  /** "Send {@code device}'s leaves from {@code fromIndex}, up to a checkpoint ≤ {@code toSize}." */
  record LeavesRequest(DeviceAddress device, long fromIndex, long toSize, int maxLeaves)
      implements Request {
    LeavesRequest {
      Objects.requireNonNull(device, "device");
      if (fromIndex < 0 || toSize <= fromIndex || maxLeaves < 1) {
        throw new IllegalArgumentException(
            "a leaves request needs 0 <= from < to and a positive page size");
      }
    }
  }

  /** A sync response. */
  sealed interface Response permits Heads, LeavesPage, Failure {}

  /** The latest checkpoint per device held, and the co-signatures of those checkpoints. */
  record Heads(List<Checkpoint> heads, List<WitnessMessage> witnesses) implements Response {
    Heads {
      heads = List.copyOf(heads);
      witnesses = List.copyOf(witnesses);
    }
  }

  /** One page of a log: a stored commit-sized step and its checkpoint's co-signatures. */
  record LeavesPage(CommitMessage commit, List<WitnessSignature> witnesses) implements Response {
    LeavesPage {
      Objects.requireNonNull(commit, "commit");
      witnesses = List.copyOf(witnesses);
    }
  }

  /** The request could not be served; the reason is for logs. */
  record Failure(String reason) implements Response {}
}

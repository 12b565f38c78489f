package org.callchain.node.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.callchain.chain.ChainConnection;
import org.callchain.chain.ChainException;
import org.callchain.chain.Chains;
import org.callchain.chain.ConfirmedAnchor;
import org.callchain.chain.LedgerAnchors;
import org.callchain.chain.OnChainAnchor;
import org.callchain.identity.DeviceAddress;
import org.callchain.ledger.AnchorReference;
import org.callchain.ledger.AnchoredCheckpoint;
import org.callchain.ledger.LedgerStore;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * Where {@code ledger verify}, {@code audit} and {@code ledger export-proof} learn what was
 * anchored: the confirmed anchors in the node's anchor queue (the own log's, no network needed),
 * and, given {@code --rpc --registry --anchor}, every device's {@code Anchored} events on chain
 * (authoritative, and the only source for replicas and for proof bundles, whose anchor reference
 * names the chain and contract).
 */
final class AnchorSources {
  @Option(
      names = "--chain-data-dir",
      paramLabel = "DIR",
      description =
          "The node's chain data directory with its anchor queue (default: DATA_DIR/chain).")
  Path chainDataDir;

  @ArgGroup(exclusive = false, heading = "Check against the chain:%n")
  ChainOptions chain;

  /** Whether --rpc was given (picocli may create the group for --chain-id's default alone). */
  boolean chainGiven() {
    return chain != null && chain.rpc != null;
  }

  /** The confirmed anchors of the own device from its queue, and every device's from the chain. */
  List<AnchoredCheckpoint> anchored(LedgerStore store, Path dataDir) {
    List<AnchoredCheckpoint> out = new ArrayList<>();
    Optional<DeviceAddress> own = store.ownDevice();
    if (own.isPresent()) {
      Path dir = chainDataDir != null ? chainDataDir : dataDir.resolve("chain");
      try {
        for (ConfirmedAnchor a : Chains.readConfirmedAnchors(dir)) {
          out.add(LedgerAnchors.anchored(own.get(), a));
        }
      } catch (ChainException e) {
        throw new CliException("cannot read the anchor queue in " + dir + ": " + e.getMessage());
      }
    }
    if (chainGiven()) {
      try (ChainConnection c = chain.connect()) {
        for (DeviceAddress d : store.devices()) {
          for (OnChainAnchor a : Chains.anchorHistory(c, LedgerAnchors.chainDevice(d), 0)) {
            out.add(LedgerAnchors.anchored(a));
          }
        }
      } catch (ChainException e) {
        throw new CliException(e.getMessage());
      }
    }
    return out;
  }

  /** The anchors of {@code device} on chain, as proof bundles reference them. */
  List<AnchorReference> references(DeviceAddress device) {
    try (ChainConnection c = chain.connect()) {
      List<AnchorReference> out = new ArrayList<>();
      for (OnChainAnchor a : Chains.anchorHistory(c, LedgerAnchors.chainDevice(device), 0)) {
        out.add(LedgerAnchors.reference(c, a));
      }
      return out;
    } catch (ChainException e) {
      throw new CliException(e.getMessage());
    }
  }
}

package org.callchain.node.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.callchain.chain.ChainConnection;
import org.callchain.chain.ChainException;
import org.callchain.chain.Chains;
import org.callchain.chain.LedgerAnchors;
import org.callchain.chain.OnChainAnchor;
import org.callchain.identity.DeviceAddress;
import org.callchain.ledger.AnchorReference;
import org.callchain.ledger.BundleRejectedException;
import org.callchain.ledger.CallRecord;
import org.callchain.ledger.MalformedDataException;
import org.callchain.ledger.ProofBundle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code callchain verify bundle.json}: checks a proof bundle offline, needing nothing else, and,
 * given {@code --rpc} and {@code --anchor}, that the chain holds the anchor it references (the
 * transaction's {@code Anchored} event in a canonical block, with the device, size and root the
 * bundle's consistency proof leads to).
 */
@Command(
    name = "verify",
    description =
        "Verify a call record proof bundle offline (signature, RFC 9162 inclusion and consistency"
            + " proofs) and, with --rpc and --anchor, its anchor on chain.")
final class VerifyCommand implements java.util.concurrent.Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "BUNDLE", description = "Bundle JSON written by 'ledger export-proof'.")
  Path bundle;

  @Option(
      names = "--device",
      paramLabel = "ADDRESS",
      description = "The device that must have written the record (recommended).")
  String device;

  @Option(
      names = "--rpc",
      paramLabel = "URL",
      description = "Check the bundle's anchor on this chain's JSON-RPC endpoint.")
  String rpc;

  @Option(
      names = "--anchor",
      paramLabel = "ADDRESS",
      description = "The LedgerAnchor contract the anchor must be in (required with --rpc).")
  String anchor;

  @Option(
      names = "--chain-id",
      defaultValue = "31337",
      description = "Chain id the endpoint must serve (default: ${DEFAULT-VALUE}, Anvil's).")
  long chainId;

  @Override
  public Integer call() {
    String json;
    try {
      json = Files.readString(bundle, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CliException("cannot read " + bundle + ": " + e.getMessage(), e);
    }
    try {
      ProofBundle b = ProofBundle.parse(json);
      DeviceAddress expected;
      try {
        expected = device == null ? b.device() : DeviceAddress.parse(device);
      } catch (IllegalArgumentException e) {
        throw new CliException(e.getMessage(), 2);
      }
      CallRecord record = b.verify(expected);
      var out = spec.commandLine().getOut();
      out.println(
          "OK: call "
              + record.callId()
              + " is leaf "
              + b.leafIndex()
              + " of device "
              + expected
              + "'s log, in checkpoint of size "
              + b.checkpoint().treeSize()
              + " signed at "
              + Instant.ofEpochMilli(b.checkpoint().timestampMillis()));
      if (device == null) {
        out.println(
            "note: checked against the device named in the bundle; pass --device to pin it");
      }
      if (rpc != null) {
        checkOnChain(b, out);
      } else if (b.anchor() == null) {
        out.println("note: not anchored on chain yet");
      } else {
        out.println(
            "note: anchor reference (size "
                + b.anchor().anchoredTreeSize()
                + ", tx "
                + b.anchor().transactionHash()
                + ") not checked: pass --rpc and --anchor");
      }
      return 0;
    } catch (MalformedDataException | BundleRejectedException e) {
      throw new CliException(bundle + ": " + e.getMessage(), e);
    }
  }

  private void checkOnChain(ProofBundle b, java.io.PrintWriter out) {
    if (anchor == null) {
      throw new CliException("--rpc needs --anchor (the LedgerAnchor address to trust)", 2);
    }
    org.callchain.chain.DeviceAddress contract = ChainOptions.address(anchor, "--anchor");
    AnchorReference ref = b.anchor();
    if (ref == null) {
      throw new CliException(bundle + ": bundle carries no anchor reference (not anchored yet)");
    }
    if (ref.chainId() != chainId) {
      throw new CliException(
          bundle + ": anchor reference is on chain id " + ref.chainId() + ", not " + chainId);
    }
    if (!ChainOptions.address(ref.contractAddress(), "anchor.contractAddress").equals(contract)) {
      throw new CliException(
          bundle
              + ": anchor reference is in contract "
              + ref.contractAddress()
              + ", not "
              + contract);
    }
    try (ChainConnection c =
        Chains.connectToAnchor(rpc, chainId, contract, Duration.ofSeconds(10))) {
      OnChainAnchor found =
          Chains.verifyAnchor(
              c,
              LedgerAnchors.chainDevice(b.device()),
              LedgerAnchors.checkpointOf(ref),
              ref.transactionHash(),
              ref.blockNumber());
      long depth = c.blockNumber() - found.blockNumber() + 1;
      out.println(
          "OK: anchored on chain "
              + chainId
              + " at size "
              + ref.anchoredTreeSize()
              + " in tx "
              + found.transactionHash()
              + ", block "
              + found.blockNumber()
              + " ("
              + depth
              + " confirmation(s)); the checkpoint is consistent with the anchored tree");
    } catch (ChainException e) {
      if (e.reason() == ChainException.Reason.ANCHOR_NOT_ON_CHAIN) {
        throw new CliException(bundle + ": anchor refused: " + e.getMessage(), e);
      }
      throw new CliException(e.getMessage(), e);
    }
  }
}

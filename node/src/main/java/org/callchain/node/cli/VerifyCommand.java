package org.callchain.node.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.callchain.identity.DeviceAddress;
import org.callchain.ledger.BundleRejectedException;
import org.callchain.ledger.CallRecord;
import org.callchain.ledger.MalformedDataException;
import org.callchain.ledger.ProofBundle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code callchain verify bundle.json}: checks a proof bundle offline, needing nothing else. */
@Command(
    name = "verify",
    description =
        "Verify a call record proof bundle offline (signature, RFC 9162 inclusion proof).")
final class VerifyCommand implements java.util.concurrent.Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "BUNDLE", description = "Bundle JSON written by 'ledger export-proof'.")
  Path bundle;

  @Option(
      names = "--device",
      paramLabel = "ADDRESS",
      description = "The device that must have written the record (recommended).")
  String device;

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
      if (b.anchor() == null) {
        out.println("note: not anchored on chain yet");
      }
      return 0;
    } catch (MalformedDataException | BundleRejectedException e) {
      throw new CliException(bundle + ": " + e.getMessage(), e);
    }
  }
}

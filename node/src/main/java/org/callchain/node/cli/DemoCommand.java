package org.callchain.node.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.callchain.identity.KeystoreException;
import org.callchain.ledger.AuditProblem;
import org.callchain.ledger.AuditReport;
import org.callchain.ledger.BundleRejectedException;
import org.callchain.ledger.CallRecord;
import org.callchain.ledger.LeafLocation;
import org.callchain.ledger.LedgerException;
import org.callchain.ledger.MalformedDataException;
import org.callchain.ledger.ProofBundle;
import org.callchain.media.AudioSinkSpec;
import org.callchain.media.AudioSourceSpec;
import org.callchain.media.MediaConfig;
import org.callchain.media.MediaEngine;
import org.callchain.media.MediaEngines;
import org.callchain.phone.Call;
import org.callchain.phone.CallDisposition;
import org.callchain.phone.CallEvent;
import org.callchain.phone.CallOptions;
import org.callchain.phone.CallState;
import org.callchain.phone.FinishedCall;
import org.callchain.phone.Phone;
import org.callchain.phone.PhoneConfig;
import org.callchain.phone.spi.FinishedCallSink;
import org.rocksdb.RocksDBException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code callchain demo}: the whole story on one machine, as far as it is built. Today: two
 * headless phones on 127.0.0.1 with their own device keys and ledgers, a real SIP call with real
 * RTP between them, recorded; each side signs its record into its log; one record is exported as a
 * proof bundle and verified offline; then an attacker alters a recording and a stored record, and
 * the audit names both. It ends by naming the steps that are not built yet (chain, p2p).
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run two phones on 127.0.0.1 with their own device ledgers: one calls the other, both",
      "sign a record of the call, a proof bundle is verified offline, and an audit catches",
      "an altered recording and an altered record. Exits 0 only if every step held."
    })
public final class DemoCommand implements Runnable {
  private static final Duration STEP = Duration.ofSeconds(5);
  private static final Duration TALK = Duration.ofSeconds(2);

  @Spec CommandSpec spec;

  private PrintWriter out;

  @Override
  public void run() {
    out = spec.commandLine().getOut();
    say("Callchain demo: two headless phones on this machine (127.0.0.1).");
    Path dir;
    try {
      dir = Files.createTempDirectory("callchain-demo-");
    } catch (IOException e) {
      throw new CliException("demo failed: cannot create a temporary directory: " + e.getMessage());
    }
    try (DemoLedger aliceLedger = new DemoLedger("alice", dir);
        DemoLedger bobLedger = new DemoLedger("bob", dir)) {
      say(
          "[1/8] Device keys created: alice is "
              + aliceLedger.address
              + ", bob is "
              + bobLedger.address
              + " (each with its own ledger in "
              + dir
              + ").");
      placeCall(aliceLedger, bobLedger);
      say("[6/8] Each side signed its record into its own log:");
      for (DemoLedger l : List.of(aliceLedger, bobLedger)) {
        if (l.committed.size() != 1) {
          throw new CliException("demo failed: " + l.name + " did not commit the call's record");
        }
        DemoLedger.Committed c = l.committed.get(0);
        say(
            "      "
                + l.name
                + ": leaf "
                + c.leaf()
                + ", signed checkpoint size "
                + c.treeSize()
                + " root "
                + c.root()
                + (c.record().recording() != null
                    ? ", recording "
                        + c.record().recording().locator()
                        + " sha256 "
                        + c.record().recording().sha256()
                    : ""));
      }
      if (!aliceLedger
          .committed
          .get(0)
          .record()
          .callId()
          .equals(bobLedger.committed.get(0).record().callId())) {
        throw new CliException("demo failed: the two sides computed different call ids");
      }
      say(
          "      Both records carry the same call id "
              + aliceLedger.committed.get(0).record().callId()
              + ", so an audit can set the two views side by side.");
      verifyBundle(aliceLedger, dir);
      tamperAndAudit(aliceLedger, bobLedger);
      say("");
      say("Not in this demo yet (later steps): the on-chain device registry and identity-checked");
      say("admission, anchoring checkpoints on Ethereum, and replicating records to peers over");
      say("libp2p. Each piece exists on its own: 'callchain chain|device|anchor|p2p --help'.");
      say("Demo OK: every step held.");
    } catch (IOException | KeystoreException | LedgerException | RocksDBException e) {
      throw new CliException("demo failed: " + e.getMessage());
    } finally {
      deleteTree(dir);
    }
  }

  /** Steps 2-5: the call itself. */
  private void placeCall(DemoLedger aliceLedger, DemoLedger bobLedger) {
    MediaEngine aliceMedia = engine(440, aliceLedger.recordings);
    MediaEngine bobMedia = engine(660, bobLedger.recordings);
    try (Phone alice = start("alice", aliceMedia, aliceLedger.sink);
        Phone bob = start("bob", bobMedia, bobLedger.sink)) {
      say(
          "[2/8] Phone alice listens at "
              + alice.localUri()
              + "; bob at "
              + bob.localUri()
              + " answers every call. Both record calls.");
      CompletableFuture<CallEvent.Incoming> incoming = new CompletableFuture<>();
      bob.addCallListener(
          e -> {
            if (e instanceof CallEvent.Incoming in) {
              incoming.complete(in);
              in.call().answer();
            }
          });
      long t0 = System.currentTimeMillis();
      Call call = alice.call(bob.localUri(), CallOptions.defaults().withRingTimeout(STEP));
      say("[3/8] alice calls bob: INVITE with an SDP offer (" + call.id() + ").");
      CallEvent.Incoming in = incoming.get(STEP.toMillis(), TimeUnit.MILLISECONDS);
      say(
          "      bob: incoming call from "
              + in.call().remoteUri()
              + ", admission "
              + in.admissionVerdict()
              + "; answering.");
      awaitEstablished(call);
      say(
          "      Call established in "
              + (System.currentTimeMillis() - t0)
              + " ms; codec "
              + call.media().map(m -> m.codec().encodingName()).orElse("?")
              + ", alice sends RTP to "
              + call.media()
                  .map(m -> m.remoteRtp().getHostString() + ":" + m.remoteRtp().getPort())
                  .orElse("?")
              + ".");
      say(
          "[4/8] Talking for "
              + TALK.toSeconds()
              + " s (alice plays a 440 Hz tone, bob 660 Hz)...");
      Thread.sleep(TALK.toMillis());
      call.hangup();
      FinishedCall a = call.finished().get(STEP.toMillis(), TimeUnit.MILLISECONDS);
      FinishedCall b = in.call().finished().get(STEP.toMillis(), TimeUnit.MILLISECONDS);
      say("[5/8] alice hung up (BYE). What each side saw:");
      say("      alice: " + describe(a));
      say("      bob:   " + describe(b));
      boolean worked =
          a.disposition() == CallDisposition.ANSWERED
              && b.disposition() == CallDisposition.ANSWERED
              && a.media().quality().packetsReceived() > 0
              && b.media().quality().packetsReceived() > 0
              && a.media().recording().isPresent()
              && b.media().recording().isPresent();
      if (!worked) {
        throw new CliException(
            "demo failed: the call did not complete with media and recordings both ways");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("demo interrupted");
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new CliException("demo failed: a step did not complete in " + STEP.toSeconds() + " s");
    } catch (org.callchain.phone.PhoneException e) {
      throw new CliException("demo failed: " + e.getMessage());
    } finally {
      aliceMedia.close();
      bobMedia.close();
    }
  }

  /** Step 7: export alice's record as a proof bundle and verify it with nothing else. */
  private void verifyBundle(DemoLedger alice, Path dir) throws IOException, LedgerException {
    CallRecord record = alice.committed.get(0).record();
    List<LeafLocation> where = alice.ledger().locate(record.callId());
    if (where.isEmpty()) {
      throw new CliException("demo failed: alice's ledger cannot find call " + record.callId());
    }
    ProofBundle bundle = alice.ledger().exportProof(where.get(0));
    Path file = Files.writeString(dir.resolve("bundle.json"), bundle.toJson());
    try {
      CallRecord verified = ProofBundle.parse(Files.readString(file)).verify(alice.address);
      say(
          "[7/8] Proof bundle exported ("
              + Files.size(file)
              + " bytes) and verified offline: "
              + "alice's signed checkpoint, the RFC 9162 inclusion proof, record of call "
              + verified.callId()
              + ".");
    } catch (MalformedDataException | BundleRejectedException e) {
      throw new CliException("demo failed: the exported bundle did not verify: " + e.getMessage());
    }
  }

  /** Step 8: an attacker alters bob's recording and alice's stored record; audits catch both. */
  private void tamperAndAudit(DemoLedger alice, DemoLedger bob)
      throws IOException, LedgerException, RocksDBException {
    Path wav = bob.recordingFiles().get(0);
    byte[] bytes = Files.readAllBytes(wav);
    bytes[bytes.length / 2] ^= 0x55;
    Files.write(wav, bytes);
    CallRecord forged = alice.forgeLongerCall(0, 60_000);
    say(
        "[8/8] An attacker with disk access flips a byte of bob's recording "
            + wav.getFileName()
            + " and rewrites alice's stored record to a "
            + forged.durationMillis() / 1000
            + " s call. The audits:");
    boolean caughtRecording = report("bob", bob.audit(), wav.getFileName().toString());
    boolean caughtRecord = report("alice", alice.audit(), "leaf 0");
    if (!caughtRecording || !caughtRecord) {
      throw new CliException("demo failed: the audit did not name both alterations");
    }
  }

  private boolean report(String who, AuditReport report, String expected) {
    boolean named = false;
    for (AuditProblem p : report.problems()) {
      say("      " + who + ": " + p);
      named |= p.toString().contains(expected);
    }
    if (report.clean()) {
      say("      " + who + ": audit clean (" + report.coverageLine() + ")");
    }
    return named;
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temporary directory is harmless; the demo's outcome stands.
    }
  }

  private void awaitEstablished(Call call) throws InterruptedException {
    long deadline = System.currentTimeMillis() + STEP.toMillis();
    while (call.state() != CallState.ESTABLISHED && System.currentTimeMillis() < deadline) {
      if (call.state() == CallState.ENDED) {
        throw new CliException("demo failed: the call ended before it was answered");
      }
      Thread.sleep(20);
    }
    if (call.state() != CallState.ESTABLISHED) {
      throw new CliException("demo failed: no answer within " + STEP.toSeconds() + " s");
    }
  }

  private static String describe(FinishedCall r) {
    return r.direction().name().toLowerCase(java.util.Locale.ROOT)
        + " "
        + r.disposition()
        + " "
        + r.finalSipCode()
        + ", talk "
        + Durations.format(r.talkMillis())
        + ", codec "
        + r.media().codec()
        + ", RTP packets sent "
        + r.media().quality().packetsSent()
        + " / received "
        + r.media().quality().packetsReceived()
        + ", local RTP "
        + r.localRtpAddress().orElse("-")
        + ", remote RTP "
        + r.remoteRtpAddress().orElse("-");
  }

  private static MediaEngine engine(int toneHz, Path recordings) {
    try {
      return MediaEngines.rtp(
          MediaConfig.builder()
              .bindAddress(InetAddress.getByName("127.0.0.1"))
              .source(new AudioSourceSpec.Tone(toneHz))
              .sink(new AudioSinkSpec.Discard())
              .recordDirectory(recordings)
              .recordByDefault(true)
              .build());
    } catch (UnknownHostException e) {
      throw new IllegalStateException("127.0.0.1 always resolves", e);
    }
  }

  private static Phone start(String user, MediaEngine media, FinishedCallSink ledger)
      throws org.callchain.phone.PhoneException {
    return Phone.start(
        PhoneConfig.builder()
            .bindAddress("127.0.0.1")
            .sipPort(0)
            .user(user)
            .mediaEngine(media)
            .finishedCallSink(ledger)
            .build());
  }

  private void say(String line) {
    out.println(line);
    out.flush();
  }
}

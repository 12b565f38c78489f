package org.callchain.node.cli;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code callchain demo}: the whole story on one machine, as far as it is built. Today: two
 * headless phones on 127.0.0.1, a real SIP call with real RTP between them, and the records both
 * sides keep; then it names the steps that are not built yet.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run two phones on 127.0.0.1: one calls the other, they talk for 2 s, hang up,",
      "and each prints what it recorded. Exits 0 only if the call worked."
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
    MediaEngine aliceMedia = engine(440);
    MediaEngine bobMedia = engine(660);
    try (Phone alice = start("alice", aliceMedia);
        Phone bob = start("bob", bobMedia)) {
      say("[1/5] Phone alice listens at " + alice.localUri() + " (UDP and TCP).");
      say("[2/5] Phone bob listens at " + bob.localUri() + "; it answers every call.");
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
      say("[3/5] alice calls bob: INVITE with an SDP offer (" + call.id() + ").");
      CallEvent.Incoming in = incoming.get(STEP.toMillis(), TimeUnit.MILLISECONDS);
      say(
          "      bob: incoming call from "
              + in.call().remoteUri()
              + ", admission "
              + in.admissionVerdict()
              + "; answering.");
      if (!awaitEstablished(call)) {
        return;
      }
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
          "[4/5] Talking for "
              + TALK.toSeconds()
              + " s (alice plays a 440 Hz tone, bob 660 Hz)...");
      Thread.sleep(TALK.toMillis());
      call.hangup();
      FinishedCall a = call.finished().get(STEP.toMillis(), TimeUnit.MILLISECONDS);
      FinishedCall b = in.call().finished().get(STEP.toMillis(), TimeUnit.MILLISECONDS);
      say("[5/5] alice hung up (BYE). What each side recorded for the call detail record:");
      say("      alice: " + describe(a));
      say("      bob:   " + describe(b));
      boolean worked =
          a.disposition() == CallDisposition.ANSWERED
              && b.disposition() == CallDisposition.ANSWERED
              && a.media().quality().packetsReceived() > 0
              && b.media().quality().packetsReceived() > 0;
      say("");
      say("Not in this demo yet (later steps): signing these records into each phone's ledger");
      say("(ledger), anchoring checkpoints and checking the device registry on Ethereum (chain),");
      say("replicating records to peers over libp2p (p2p), and the two-sided audit (audit).");
      if (!worked) {
        throw new CliException("demo failed: the call did not complete with media both ways");
      }
      say("Demo OK: the call worked.");
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

  private boolean awaitEstablished(Call call) throws InterruptedException {
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
    return true;
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

  private static MediaEngine engine(int toneHz) {
    try {
      return MediaEngines.rtp(
          MediaConfig.builder()
              .bindAddress(InetAddress.getByName("127.0.0.1"))
              .source(new AudioSourceSpec.Tone(toneHz))
              .sink(new AudioSinkSpec.Discard())
              .build());
    } catch (UnknownHostException e) {
      throw new IllegalStateException("127.0.0.1 always resolves", e);
    }
  }

  private static Phone start(String user, MediaEngine media)
      throws org.callchain.phone.PhoneException {
    return Phone.start(
        PhoneConfig.builder()
            .bindAddress("127.0.0.1")
            .sipPort(0)
            .user(user)
            .mediaEngine(media)
            .build());
  }

  private void say(String line) {
    out.println(line);
    out.flush();
  }
}

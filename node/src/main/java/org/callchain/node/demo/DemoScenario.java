package org.callchain.node.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.callchain.chain.ChainException;
import org.callchain.chain.DeviceRecord;
import org.callchain.chain.OnChainAnchor;

/**
 * The claims of {@code callchain demo}, one method each, on a {@link DemoNetwork}: each does what
 * it claims, checks it with bounded waits, tells the narrator what it measured, and returns the
 * facts (the acceptance tests assert on them). A claim that does not hold throws {@link
 * StepFailedException} with what was expected and what was seen.
 */
public final class DemoScenario {
  public static final Duration TALK = Duration.ofSeconds(2);
  static final Duration CONVERGE = Duration.ofSeconds(30);
  static final Duration COMMAND = Duration.ofSeconds(60);

  /** A call placed through a node's control API, as the node reported it. */
  public record PlacedCall(
      DemoDevice from,
      DemoDevice to,
      String outcome,
      int sipCode,
      String reason,
      String callId,
      long leaf) {
    public boolean answered() {
      return "ANSWERED".equals(outcome) && sipCode == 200;
    }
  }

  private final DemoNetwork network;
  private final Consumer<String> narrator;
  private final List<DemoDevice> phones = new ArrayList<>();
  private DemoDevice impostor;

  public DemoScenario(DemoNetwork network, Consumer<String> narrator) {
    this.network = network;
    this.narrator = narrator;
  }

  public List<DemoDevice> phones() {
    return List.copyOf(phones);
  }

  public DemoDevice impostor() {
    return impostor;
  }

  /** {@code callchain init} for the named phones (each its own tone) and one impostor. */
  public void createDevices(List<String> names, String impostorName)
      throws IOException, InterruptedException, StepFailedException {
    int tone = 440;
    for (String name : names) {
      phones.add(network.create(name, tone));
      tone += 110;
    }
    impostor = network.create(impostorName, 880);
    for (DemoDevice d : phones) {
      say("      %-7s %s  %s  peer %s", d.name(), d.address(), d.sipUri(), d.peerId());
    }
    say("      %-7s %s  (the impostor: a valid key that is never registered)", "", "");
    say("      %-7s %s  %s", impostor.name(), impostor.address(), impostor.sipUri());
  }

  /** Registers every phone (not the impostor) and checks the registry lists exactly them. */
  public List<DeviceRecord> registerPhones()
      throws ChainException, IOException, InterruptedException, StepFailedException {
    for (DemoDevice d : phones) {
      String tx = network.register(d);
      say("      %-7s registered as %s (tx %s)", d.name(), d.sipUri(), tx);
    }
    List<DeviceRecord> listed = network.chain().devices();
    List<String> addresses =
        listed.stream().map(r -> r.address().hex().toLowerCase(Locale.ROOT)).toList();
    boolean allPhones = phones.stream().allMatch(d -> addresses.contains(d.address()));
    if (!allPhones || addresses.contains(impostor.address()) || listed.size() != phones.size()) {
      throw new StepFailedException(
          "the registry to list the " + phones.size() + " phones and not " + impostor.name(),
          addresses.toString());
    }
    say(
        "      The registry on chain lists %d active devices; %s is not among them.",
        listed.size(), impostor.name());
    return listed;
  }

  /** Starts a node process per phone and waits until each is ready and connected to all others. */
  public void startNodes() throws IOException, InterruptedException, StepFailedException {
    List<ReadyLine> ready = network.startNodes(phones);
    for (int i = 0; i < phones.size(); i++) {
      NodeProcess p = network.node(phones.get(i));
      say(
          "      %-7s pid %d ready in %.1f s: control %s",
          p.name(), p.pid(), p.readyMillis() / 1000.0, ready.get(i).control());
    }
    long t0 = System.nanoTime();
    for (DemoDevice d : phones) {
      ControlClient c = network.control(d);
      Await.until(
          CONVERGE,
          d.name() + " connected to its " + (phones.size() - 1) + " peers",
          () ->
              Optional.of(c.status())
                  .filter(s -> s.connectedPeers() >= phones.size() - 1)
                  .map(s -> s),
          () -> statusOf(c));
    }
    say(
        "      Each node is connected to its %d peers over libp2p (%d ms after the last was ready).",
        phones.size() - 1, (System.nanoTime() - t0) / 1_000_000);
  }

  /** Each phone calls the next one (the last calls the first) through its node, one at a time. */
  public List<PlacedCall> placeCalls()
      throws IOException, InterruptedException, StepFailedException {
    List<PlacedCall> calls = new ArrayList<>();
    for (int i = 0; i < phones.size(); i++) {
      DemoDevice from = phones.get(i);
      DemoDevice to = phones.get((i + 1) % phones.size());
      calls.add(call(from, to));
    }
    for (DemoDevice d : phones) {
      List<Path> wavs = recordings(d);
      long bytes = 0;
      for (Path w : wavs) {
        bytes += Files.size(w);
      }
      if (wavs.isEmpty()) {
        throw new StepFailedException(d.name() + " to have recorded its calls", "no WAV file");
      }
      say(
          "      %-7s recorded %d calls: %d WAV files, %d bytes",
          d.name(), wavs.size(), wavs.size(), bytes);
    }
    return calls;
  }

  /** One call from {@code from}'s node to {@code to}; it must be answered with 200. */
  public PlacedCall call(DemoDevice from, DemoDevice to)
      throws IOException, InterruptedException, StepFailedException {
    long t0 = System.nanoTime();
    PlacedCall c = attemptCall(from, to);
    if (!c.answered()) {
      throw new StepFailedException(
          from.name() + "'s call to " + to.name() + " answered 200",
          c.outcome() + " " + c.sipCode() + " " + c.reason());
    }
    say(
        "      %-5s -> %-5s %s %d in %.1f s; %s's record is leaf %d, call id %s",
        from.name(),
        to.name(),
        c.outcome(),
        c.sipCode(),
        (System.nanoTime() - t0) / 1e9,
        from.name(),
        c.leaf(),
        shortId(c.callId()));
    return c;
  }

  /** One call from {@code from}'s node to {@code to}, whatever its outcome. */
  public PlacedCall attemptCall(DemoDevice from, DemoDevice to)
      throws IOException, InterruptedException {
    JsonNode r = network.control(from).placeCall(to.sipUri(), TALK);
    return new PlacedCall(
        from,
        to,
        r.path("outcome").asText(),
        r.path("sipCode").asInt(),
        r.path("reason").asText(),
        r.path("recordCallId").asText(),
        r.path("leafIndex").asLong(-1));
  }

  /**
   * The impostor calls {@code target} with plain {@code callchain call}: its INVITE carries an
   * Identity header signed by its own, unregistered key, and claims to come from {@code claimed}.
   * The call must be refused with 403 and a reason that says the device is unregistered.
   */
  public CommandResult impostorCalls(DemoDevice target, DemoDevice claimed)
      throws IOException, InterruptedException, StepFailedException {
    CommandResult r =
        CallchainJvm.run(
            COMMAND,
            "call",
            target.sipUri(),
            "--data-dir",
            impostor.dir().toString(),
            "--keystore-password-file",
            impostor.passwordFile().toString(),
            "--from",
            "sip:" + claimed.name() + "@127.0.0.1",
            "--duration",
            "1s");
    List<String> refusal = r.linesWith("403");
    boolean unregistered =
        refusal.stream().anyMatch(l -> l.toLowerCase(Locale.ROOT).contains("unregistered"));
    say(
        "      $ callchain call %s --data-dir %s ... --from sip:%s@127.0.0.1",
        target.sipUri(), impostor.name(), claimed.name());
    for (String line : refusal) {
      say("        %s", line.strip());
    }
    if (r.exitCode() != 3 || !unregistered) {
      throw new StepFailedException(
          "exit 3 (rejected) with a 403 naming an unregistered device",
          "exit " + r.exitCode() + ":\n" + r.output());
    }
    say(
        "      exit status %d: refused before it rang, so it never reached %s's phone.",
        r.exitCode(), target.name());
    return r;
  }

  /**
   * Waits until every node holds every other phone's log exactly as that phone holds it (same size,
   * same root); returns the milliseconds it took from the call.
   */
  public long awaitReplicated() throws IOException, InterruptedException, StepFailedException {
    return awaitReplicated(phones);
  }

  /** As {@link #awaitReplicated()}, among {@code among} only (the others may be down). */
  public long awaitReplicated(List<DemoDevice> among)
      throws IOException, InterruptedException, StepFailedException {
    long t0 = System.nanoTime();
    Map<String, ControlStatus> last = new LinkedHashMap<>();
    Await.until(
        CONVERGE,
        "every node to hold every other phone's log at its own size and root",
        () -> {
          last.clear();
          for (DemoDevice d : among) {
            last.put(d.name(), network.control(d).status());
          }
          return replicated(among, last) ? Optional.of(true) : Optional.empty();
        },
        last::toString);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    for (DemoDevice d : among) {
      ControlStatus own = last.get(d.name());
      List<String> holders = new ArrayList<>();
      for (DemoDevice other : among) {
        if (other != d) {
          holders.add(other.name());
        }
      }
      say(
          "      %-7s log of %d records, root %s: the same on %s",
          d.name(), own.logSize(), shortId(own.logRoot()), String.join(" and ", holders));
    }
    say("      (converged %d ms after this step began)", ms);
    return ms;
  }

  private static boolean replicated(List<DemoDevice> among, Map<String, ControlStatus> statuses) {
    for (DemoDevice owner : among) {
      ControlStatus own = statuses.get(owner.name());
      if (own.logSize() <= 0) {
        continue; // nothing to replicate yet
      }
      for (DemoDevice holder : among) {
        if (holder != owner
            && !statuses.get(holder.name()).holds(owner.address(), own.logSize(), own.logRoot())) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Waits until each phone's latest anchor on chain (read from the contract's events, not from the
   * node) covers its whole log with the same root.
   */
  public Map<String, OnChainAnchor> awaitAnchored()
      throws IOException, InterruptedException, StepFailedException {
    Map<String, OnChainAnchor> anchors = new LinkedHashMap<>();
    for (DemoDevice d : phones) {
      ControlStatus s = network.control(d).status();
      OnChainAnchor a =
          Await.until(
              CONVERGE,
              d.name() + "'s log (size " + s.logSize() + ") anchored on chain",
              () -> {
                List<OnChainAnchor> all = network.chain().anchors(d.address());
                return all.isEmpty()
                    ? Optional.empty()
                    : Optional.of(all.get(all.size() - 1))
                        .filter(x -> x.checkpoint().treeSize() == s.logSize())
                        .filter(x -> sameHex(x.checkpoint().root().hex(), s.logRoot()));
              },
              () -> anchorsOf(d));
      anchors.put(d.name(), a);
      say(
          "      %-7s size %d root %s in block %d (tx %s)",
          d.name(),
          a.checkpoint().treeSize(),
          shortId(a.checkpoint().root().hex()),
          a.blockNumber(),
          shortId(a.transactionHash()));
    }
    return anchors;
  }

  /** The WAV files a device recorded, by name. */
  public static List<Path> recordings(DemoDevice d) throws IOException {
    if (!Files.isDirectory(d.recordings())) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(d.recordings())) {
      return files.filter(p -> p.toString().endsWith(".wav")).sorted().toList();
    }
  }

  private String anchorsOf(DemoDevice d) {
    try {
      return network.chain().anchors(d.address()).toString();
    } catch (ChainException e) {
      return e.getMessage();
    }
  }

  private static String statusOf(ControlClient c) {
    try {
      return c.status().toString();
    } catch (IOException e) {
      return e.toString();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  static boolean sameHex(String a, String b) {
    return strip(a).equalsIgnoreCase(strip(b));
  }

  private static String strip(String hex) {
    return hex.startsWith("0x") ? hex.substring(2) : hex;
  }

  static String shortId(String hex) {
    String h = strip(hex);
    return h.length() > 12 ? h.substring(0, 12) + ".." : h;
  }

  void say(String format, Object... args) {
    narrator.accept(String.format(Locale.ROOT, format, args));
  }
}

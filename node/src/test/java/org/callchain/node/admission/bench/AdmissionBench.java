package org.callchain.node.admission.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.callchain.chain.DeviceAddress;
import org.callchain.chain.DeviceRecord;
import org.callchain.chain.DeviceRegistryClient;
import org.callchain.chain.DeviceStatus;
import org.callchain.chain.RegistryFreshness;
import org.callchain.identity.DeviceKey;
import org.callchain.ledger.testing.TestKeys;
import org.callchain.node.admission.IdentityAdmission;
import org.callchain.node.admission.IdentitySigner;
import org.callchain.node.admission.UnreachablePolicy;
import org.callchain.phone.spi.IncomingInvite;
import org.callchain.phone.spi.OutgoingInvite;

/**
 * CPU cost of admission by identity on one thread: signing an INVITE's Identity header, and
 * admitting it (parse, ES256K verification against the kid, claims, replay cache, registry lookup
 * in memory) for a device seen before (its public key remembered) and for a first-seen device (key
 * recovery). Writes JSON to args[0]. Run by {@code bench/admission}.
 */
public final class AdmissionBench {
  private AdmissionBench() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    DeviceKey alice = TestKeys.named("bench-alice");
    Registry registry = new Registry();
    registry.active(alice, "sip:alice@127.0.0.1");
    IdentitySigner signer = new IdentitySigner(alice, Clock.systemUTC());
    IdentityAdmission admission =
        new IdentityAdmission(
            registry,
            Set.of("sip:bob@127.0.0.1"),
            Clock.systemUTC(),
            UnreachablePolicy.DECIDE_FROM_SNAPSHOT,
            v -> {});
    run(signer, admission, n / 4, "warmup");
    long[][] t = run(signer, admission, n, "run");

    // First-seen devices: a fresh key per call, so every verification recovers the public key.
    int fresh = Math.max(100, n / 20);
    long[] firstSeen = new long[fresh];
    for (int i = 0; i < fresh; i++) {
      DeviceKey k = TestKeys.named("bench-device-" + i);
      registry.active(k, "sip:alice@127.0.0.1");
      IdentitySigner s = new IdentitySigner(k, Clock.systemUTC());
      String callId = "fresh-" + i + "@bench";
      String header = s.headersFor(outgoing(callId)).get(0).value();
      long t0 = System.nanoTime();
      boolean ok = admission.admit(incoming(callId, header)).accepted();
      firstSeen[i] = System.nanoTime() - t0;
      if (!ok) {
        throw new IllegalStateException("a first-seen registered device was refused");
      }
    }
    String json =
        String.format(
            Locale.ROOT,
            "{\"bench\":\"admission\",\"time\":\"%s\",\"calls\":%d,\"threads\":1,"
                + "\"sign_us\":{\"mean\":%.1f,\"p50\":%.1f,\"p99\":%.1f},"
                + "\"admit_known_device_us\":{\"mean\":%.1f,\"p50\":%.1f,\"p99\":%.1f},"
                + "\"admit_first_seen_device_us\":{\"mean\":%.1f,\"p50\":%.1f,\"p99\":%.1f},"
                + "\"identity_header_chars\":%d}%n",
            Instant.now(),
            n,
            mean(t[0]),
            pct(t[0], 50),
            pct(t[0], 99),
            mean(t[1]),
            pct(t[1], 50),
            pct(t[1], 99),
            mean(firstSeen),
            pct(firstSeen, 50),
            pct(firstSeen, 99),
            signer.headersFor(outgoing("size@bench")).get(0).value().length());
    Path out = Path.of(args[0]);
    if (out.getParent() != null) {
      Files.createDirectories(out.getParent());
    }
    Files.writeString(out, json);
    System.out.print(json);
  }

  private static long[][] run(IdentitySigner signer, IdentityAdmission admission, int n, String p) {
    long[] sign = new long[n];
    long[] admit = new long[n];
    for (int i = 0; i < n; i++) {
      String callId = p + "-" + i + "@bench";
      long t0 = System.nanoTime();
      String header = signer.headersFor(outgoing(callId)).get(0).value();
      long t1 = System.nanoTime();
      boolean ok = admission.admit(incoming(callId, header)).accepted();
      long t2 = System.nanoTime();
      if (!ok) {
        throw new IllegalStateException("a valid call was refused");
      }
      sign[i] = t1 - t0;
      admit[i] = t2 - t1;
    }
    return new long[][] {sign, admit};
  }

  private static OutgoingInvite outgoing(String callId) {
    return new OutgoingInvite(
        callId, "sip:alice@127.0.0.1:5071", "sip:bob@127.0.0.1:5072", "sip:bob@127.0.0.1:5072");
  }

  private static IncomingInvite incoming(String callId, String identity) {
    return new IncomingInvite(
        callId,
        "sip:bob@127.0.0.1:5072",
        "sip:alice@127.0.0.1:5071",
        Optional.empty(),
        "sip:bob@127.0.0.1:5072",
        "127.0.0.1:5071",
        "udp",
        Map.of("identity", List.of(identity)));
  }

  private static double mean(long[] ns) {
    return Arrays.stream(ns).average().orElse(0) / 1000.0;
  }

  private static double pct(long[] ns, int p) {
    long[] s = ns.clone();
    Arrays.sort(s);
    return s[Math.min(s.length - 1, (int) Math.ceil(p / 100.0 * s.length) - 1)] / 1000.0;
  }

  /** The registry as a phone sees it between syncs: an in-memory map. */
  private static final class Registry implements DeviceRegistryClient {
    private final Map<DeviceAddress, DeviceRecord> devices =
        new java.util.concurrent.ConcurrentHashMap<>();

    void active(DeviceKey key, String sip) {
      DeviceAddress a = new DeviceAddress(key.address().toBytes());
      devices.put(a, new DeviceRecord(a, DeviceStatus.ACTIVE, sip, 1, 1, Optional.empty()));
    }

    @Override
    public Optional<DeviceRecord> lookup(DeviceAddress device) {
      return Optional.ofNullable(devices.get(device));
    }

    @Override
    public List<DeviceRecord> devices() {
      return List.copyOf(devices.values());
    }

    @Override
    public RegistryFreshness freshness() {
      return new RegistryFreshness(1, Optional.of(Instant.now()), false, Optional.empty());
    }

    @Override
    public void sync() {}

    @Override
    public void addListener(RegistryListener listener) {}

    @Override
    public void close() {}
  }
}

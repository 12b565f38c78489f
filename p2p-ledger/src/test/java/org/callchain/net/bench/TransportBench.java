package org.callchain.net.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.callchain.net.Host;
import org.callchain.net.HostConfig;
import org.callchain.net.NodeKey;
import org.callchain.net.Stream;
import org.callchain.net.StreamReader;
import org.callchain.net.internal.libp2p.Libp2pHost;

/**
 * Loopback figures of the transport between two Java hosts: libp2p ping RTT (p50/p99 over many
 * pings; each ping opens a stream and negotiates it first, the RTT is timed from the write of the
 * 32 bytes to the echo) and one-stream bulk throughput through Noise and yamux flow control. Writes
 * JSON to the path in args[0]. Run by {@code bench/libp2p-transport/run.sh}.
 */
public final class TransportBench {
  private TransportBench() {}

  public static void main(String[] args) throws Exception {
    int pings = 500;
    int megabytes = 64;
    try (Host sender = new Libp2pHost(HostConfig.builder(NodeKey.generateSecp256k1()).build());
        Host receiver = new Libp2pHost(HostConfig.builder(NodeKey.generateSecp256k1()).build())) {
      sender.start().get(5, TimeUnit.SECONDS);
      receiver.start().get(5, TimeUnit.SECONDS);
      AtomicLong received = new AtomicLong();
      CompletableFuture<Void> allReceived = new CompletableFuture<>();
      long total = megabytes * 1024L * 1024L;
      receiver.setStreamHandler(
          "/bench/sink/1",
          stream ->
              stream.setReader(
                  (StreamReader)
                      (s, data) -> {
                        if (received.addAndGet(data.length) >= total) {
                          allReceived.complete(null);
                        }
                      }));
      sender
          .dial(receiver.listenAddresses().get(0).withPeerId(receiver.peerId()))
          .get(5, TimeUnit.SECONDS);

      for (int i = 0; i < 50; i++) {
        sender.ping(receiver.peerId()).get(5, TimeUnit.SECONDS); // warm-up
      }
      List<Double> rtts = new ArrayList<>();
      for (int i = 0; i < pings; i++) {
        Duration rtt = sender.ping(receiver.peerId()).get(5, TimeUnit.SECONDS);
        rtts.add(rtt.toNanos() / 1e6);
      }
      Collections.sort(rtts);

      Stream stream =
          sender.newStream(receiver.peerId(), List.of("/bench/sink/1")).get(5, TimeUnit.SECONDS);
      byte[] chunk = new byte[64 * 1024];
      long start = System.nanoTime();
      CompletableFuture<Void> last = CompletableFuture.completedFuture(null);
      for (long sent = 0; sent < total; sent += chunk.length) {
        last = stream.write(chunk);
        if ((sent / chunk.length) % 32 == 31) {
          last.get(30, TimeUnit.SECONDS); // keep the pending queue under the write bound
        }
      }
      last.get(30, TimeUnit.SECONDS);
      allReceived.get(60, TimeUnit.SECONDS);
      double seconds = (System.nanoTime() - start) / 1e9;

      String json =
          String.format(
              Locale.ROOT,
              "{%n  \"benchmark\": \"libp2p-transport\",%n  \"when\": \"%s\",%n"
                  + "  \"note\": \"loopback, two Java hosts, secp256k1 keys, Noise + yamux; shared"
                  + " 2-core machine while other builds ran (load average %.1f), figures are"
                  + " noisy\",%n"
                  + "  \"ping\": {\"count\": %d, \"p50_ms\": %.3f, \"p99_ms\": %.3f, \"max_ms\":"
                  + " %.3f},%n"
                  + "  \"bulk_stream\": {\"bytes\": %d, \"seconds\": %.3f, \"mib_per_s\": %.1f}%n}%n",
              Instant.now(),
              java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                  .getSystemLoadAverage(),
              pings,
              rtts.get(pings / 2),
              rtts.get((int) Math.ceil(pings * 0.99) - 1),
              rtts.get(pings - 1),
              total,
              seconds,
              total / 1024.0 / 1024.0 / seconds);
      Path out = Path.of(args.length > 0 ? args[0] : "bench/results/libp2p-transport.json");
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, json);
      System.out.print(json);
    }
  }
}

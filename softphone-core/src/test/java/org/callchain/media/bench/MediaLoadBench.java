package org.callchain.media.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.callchain.media.AudioSourceSpec;
import org.callchain.media.MediaConfig;
import org.callchain.media.MediaDescription;
import org.callchain.media.MediaDirection;
import org.callchain.media.MediaEngine;
import org.callchain.media.MediaEngines;
import org.callchain.media.MediaException;
import org.callchain.media.MediaQuality;
import org.callchain.media.MediaSession;
import org.callchain.media.PayloadFormat;
import org.callchain.media.internal.engine.ClockTiming;
import org.callchain.media.internal.engine.RtpMediaEngine;

/**
 * N concurrent call pairs between two media engines on loopback (PCMU, 20 ms, tone both ways,
 * jitter buffer on, recording off), for increasing N. For each step it reports packet loss,
 * jitter-buffer underruns, late clock ticks, CPU and heap per call, as JSON. "sendShortfall" is how
 * many of the packets due (50 per second per direction) were not sent: the clock threads did not
 * get enough CPU. Underruns are reported by cause: jitter-buffer underruns whose awaited packet
 * came late or never came, and frames played more than a frame late by our own clock. On loopback
 * in one JVM only our own scheduling delays a packet, so "schedulingUnderruns" is late-packet
 * underruns plus late playout frames, and "networkUnderruns" is lost-packet underruns
 * (docs/media.md).
 *
 * <p>Usage: {@code MediaLoadBench [--steps 100,500,1000] [--seconds 10] [--warmup 3]
 * [--clock-threads N] [--out FILE]}. Run it through {@code bench/media/run.sh}.
 */
public final class MediaLoadBench {
  private MediaLoadBench() {}

  record Step(
      int calls,
      double seconds,
      long packetsSent,
      double sendShortfallPercent,
      long packetsReceived,
      long packetsRejected,
      double lossPercent,
      long underruns,
      long underrunsPacketLate,
      long underrunsPacketLost,
      long latePlayoutFrames,
      long lateSendFrames,
      long schedulingUnderruns,
      long networkUnderruns,
      long concealed,
      long discarded,
      long lateTicks,
      double cpuPercentOfOneCore,
      double cpuUserPercentOfOneCore,
      double cpuSystemPercentOfOneCore,
      double cpuMicrosPerCallSecond,
      double cpuMicrosPerPacket,
      double heapKibPerCall,
      long gcMillis,
      double meanJitterMillis,
      long[] slotLatenessCounts,
      double maxSlotLatenessMillis,
      double maxOversleepMillis,
      double maxSlotPassMillis,
      String scheduling) {}

  public static void main(String[] args) throws Exception {
    List<Integer> steps = List.of(100, 500, 1000);
    int seconds = 10;
    int warmup = 3;
    // Two engines share this JVM's cores: each gets its share, as each of two phones on machines
    // of their own would have its cores to itself (ADR 0034). More threads than cores only queue.
    int clockThreads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    Path out = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--steps" -> {
          List<Integer> s = new ArrayList<>();
          for (String n : args[++i].split(",")) {
            s.add(Integer.parseInt(n.strip()));
          }
          steps = s;
        }
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--clock-threads" -> clockThreads = Integer.parseInt(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    List<Step> results = new ArrayList<>();
    for (int n : steps) {
      Step r = run(n, seconds, warmup, clockThreads);
      results.add(r);
      System.out.println(r);
    }
    String json = json(results, seconds, clockThreads);
    if (out != null) {
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, json);
      System.out.println("wrote " + out);
    } else {
      System.out.println(json);
    }
  }

  private static MediaEngine engine(int portMin, int portMax, int clockThreads) {
    return MediaEngines.rtp(
        MediaConfig.builder()
            .portRange(portMin, portMax)
            .codecs("PCMU")
            .source(new AudioSourceSpec.Tone(1000))
            .clockThreads(clockThreads)
            .build());
  }

  static Step run(int n, int seconds, int warmup, int clockThreads)
      throws MediaException, InterruptedException {
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    System.gc();
    long heapBefore = mem.getHeapMemoryUsage().getUsed();
    try (MediaEngine a = engine(20000, 32000, clockThreads);
        MediaEngine b = engine(61000, 65535, clockThreads)) {
      List<MediaSession[]> pairs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        MediaSession sa = a.open(a.options("a" + i));
        MediaSession sb = b.open(b.options("b" + i));
        sa.apply(desc(sb));
        sb.apply(desc(sa));
        pairs.add(new MediaSession[] {sa, sb});
      }
      // Heap per call once every stream has buffered, then the warm-up: the full collection
      // stops every clock thread for 10-300 ms, and it also promotes the sessions' objects, which
      // the first young collection would otherwise copy (~50 ms) inside the window. Both stalls
      // are caught up (or skipped) before the window begins.
      Thread.sleep(1000);
      System.gc();
      double heapPerCall = (mem.getHeapMemoryUsage().getUsed() - heapBefore) / 1024.0 / n;
      Thread.sleep(warmup * 1000L);
      Totals start = totals(pairs);
      long lateStart = late(a) + late(b);
      long latePlayStart = latePlayout(a) + latePlayout(b);
      long lateSendStart = lateSend(a) + lateSend(b);
      long cpuStart = processCpuNanos();
      long[] ticksStart = userSystemTicks();
      long gcStart = gcMillis();
      ClockTiming.Snapshot timingStart = timing(a, b); // also restarts the maxima
      SchedulingSample schedStart = SchedulingSample.now();
      long wallStart = System.nanoTime();
      Thread.sleep(seconds * 1000L);
      long wall = System.nanoTime() - wallStart;
      SchedulingSample schedEnd = SchedulingSample.now();
      ClockTiming.Snapshot timingEnd = timing(a, b);
      long cpu = processCpuNanos() - cpuStart;
      long[] ticksEnd = userSystemTicks();
      long gc = gcMillis() - gcStart;
      long userTicks = ticksEnd[0] - ticksStart[0];
      long systemTicks = ticksEnd[1] - ticksStart[1];
      // the kernel's tick counts give the split, the precise CPU time the total
      double userShare =
          userTicks + systemTicks <= 0
              ? Double.NaN
              : userTicks / (double) (userTicks + systemTicks);
      Totals end = totals(pairs);
      long lateTicks = late(a) + late(b) - lateStart;
      long latePlayout = latePlayout(a) + latePlayout(b) - latePlayStart;
      long lateSend = lateSend(a) + lateSend(b) - lateSendStart;
      for (MediaSession[] p : pairs) {
        p[0].finish();
        p[1].finish();
      }
      long sent = end.sent - start.sent;
      long received = end.received - start.received;
      double secs = wall / 1e9;
      long packetLate = end.underrunsPacketLate - start.underrunsPacketLate;
      long packetLost = end.underrunsPacketLost - start.underrunsPacketLost;
      return new Step(
          n,
          secs,
          sent,
          Math.max(0, 100.0 * (1 - sent / (secs * 50.0 * 2 * n))),
          received,
          end.rejected - start.rejected,
          sent == 0 ? 0 : 100.0 * Math.max(0, sent - received) / sent,
          end.underruns - start.underruns,
          packetLate,
          packetLost,
          latePlayout,
          lateSend,
          // on loopback in one JVM nothing but our own clock threads (sending and receiving)
          // delay a packet, and a frame played late is our clock's doing
          packetLate + latePlayout,
          packetLost,
          end.concealed - start.concealed,
          end.discarded - start.discarded,
          lateTicks,
          100.0 * cpu / wall,
          100.0 * cpu / wall * userShare,
          100.0 * cpu / wall * (1 - userShare),
          cpu / 1000.0 / secs / n,
          // each packet is sent once and received once: the CPU of both ends of its trip
          sent == 0 ? 0 : cpu / 1000.0 / sent,
          heapPerCall,
          gc,
          end.jitterSum / Math.max(1, 2 * n),
          minus(timingEnd.latenessCounts(), timingStart.latenessCounts()),
          timingEnd.maxLatenessNanos() / 1e6,
          timingEnd.maxOversleepNanos() / 1e6,
          timingEnd.maxPassNanos() / 1e6,
          schedEnd.jsonSince(schedStart));
    }
  }

  private static ClockTiming.Snapshot timing(MediaEngine a, MediaEngine b) {
    return ClockTiming.combine(
        ((RtpMediaEngine) a).clockTiming(), ((RtpMediaEngine) b).clockTiming());
  }

  private static long[] minus(long[] end, long[] start) {
    long[] d = new long[end.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = end[i] - start[i];
    }
    return d;
  }

  /** The slot lateness histogram as {"<1ms": n, ..., ">=20ms": n}. */
  private static String histogram(long[] counts) {
    StringBuilder sb = new StringBuilder("{");
    long[] limits = ClockTiming.BUCKET_LIMITS_MILLIS;
    for (int i = 0; i < counts.length; i++) {
      String label = i < limits.length ? "<" + limits[i] + "ms" : ">=" + limits[i - 1] + "ms";
      sb.append('"').append(label).append("\": ").append(counts[i]);
      sb.append(i + 1 < counts.length ? ", " : "}");
    }
    return sb.toString();
  }

  private static long late(MediaEngine e) {
    return e instanceof RtpMediaEngine r ? r.lateTicks() : 0;
  }

  private static long latePlayout(MediaEngine e) {
    return e instanceof RtpMediaEngine r ? r.latePlayoutFrames() : 0;
  }

  private static long lateSend(MediaEngine e) {
    return e instanceof RtpMediaEngine r ? r.lateSendFrames() : 0;
  }

  private static MediaDescription desc(MediaSession other) {
    return new MediaDescription(
        other.localRtpAddress(),
        PayloadFormat.PCMU,
        Optional.of(PayloadFormat.TELEPHONE_EVENT),
        20,
        MediaDirection.SENDRECV);
  }

  private record Totals(
      long sent,
      long received,
      long rejected,
      long underruns,
      long underrunsPacketLate,
      long underrunsPacketLost,
      long concealed,
      long discarded,
      double jitterSum) {}

  private static Totals totals(List<MediaSession[]> pairs) {
    long sent = 0;
    long received = 0;
    long underruns = 0;
    long packetLate = 0;
    long packetLost = 0;
    long concealed = 0;
    long discarded = 0;
    double jitter = 0;
    long rejected = 0;
    for (MediaSession[] p : pairs) {
      for (MediaSession s : p) {
        MediaQuality q = s.quality();
        sent += q.packetsSent();
        received += q.packetsReceived();
        underruns += q.jitterBuffer().underruns();
        packetLate += q.jitterBuffer().underrunsPacketLate();
        packetLost += q.jitterBuffer().underrunsPacketLost();
        concealed += q.jitterBuffer().concealed();
        discarded += q.jitterBuffer().discarded();
        jitter += q.jitterMillis();
        rejected += q.packetsRejected();
      }
    }
    return new Totals(
        sent, received, rejected, underruns, packetLate, packetLost, concealed, discarded, jitter);
  }

  /** Time the collectors spent (pauses for ParallelGC), to tell GC stalls from scheduling. */
  private static long gcMillis() {
    long ms = 0;
    for (java.lang.management.GarbageCollectorMXBean gc :
        ManagementFactory.getGarbageCollectorMXBeans()) {
      ms += Math.max(0, gc.getCollectionTime());
    }
    return ms;
  }

  private static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime();
    }
    return -1;
  }

  /**
   * User and system CPU of this process in clock ticks (/proc/self/stat fields 14 and 15, proc(5));
   * {-1, -1} where there is no procfs.
   */
  private static long[] userSystemTicks() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      // the command name (field 2) may hold spaces: count fields after its closing parenthesis
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
    } catch (IOException | RuntimeException e) {
      return new long[] {-1, -1};
    }
  }

  private static String json(List<Step> steps, int seconds, int clock) throws IOException {
    StringBuilder sb = new StringBuilder();
    sb.append("{\n  \"benchmark\": \"media\",\n");
    sb.append("  \"time\": \"").append(Instant.now()).append("\",\n");
    sb.append("  \"codec\": \"PCMU\", \"ptimeMillis\": 20, \"recording\": false,\n");
    sb.append("  \"cores\": ").append(Runtime.getRuntime().availableProcessors()).append(",\n");
    sb.append("  \"clockThreadsPerEngine\": ").append(clock);
    sb.append(",\n  \"secondsPerStep\": ").append(seconds).append(",\n  \"steps\": [\n");
    for (int i = 0; i < steps.size(); i++) {
      Step s = steps.get(i);
      sb.append(
          String.format(
              Locale.ROOT,
              "    {\"calls\": %d, \"seconds\": %.2f, \"packetsSent\": %d, \"sendShortfallPercent\": %.2f,"
                  + " \"packetsReceived\": %d, \"packetsRejected\": %d,"
                  + " \"lossPercent\": %.4f, \"underruns\": %d, \"underrunsPacketLate\": %d,"
                  + " \"underrunsPacketLost\": %d, \"latePlayoutFrames\": %d, \"lateSendFrames\": %d,"
                  + " \"schedulingUnderruns\": %d, \"networkUnderruns\": %d,"
                  + " \"concealed\": %d, \"discarded\": %d,"
                  + " \"lateTicks\": %d,"
                  + " \"cpuPercentOfOneCore\": %.1f, \"cpuUserPercentOfOneCore\": %.1f,"
                  + " \"cpuSystemPercentOfOneCore\": %.1f, \"cpuMicrosPerCallSecond\": %.1f,"
                  + " \"cpuMicrosPerPacket\": %.2f,"
                  + " \"heapKibPerCall\": %.1f, \"gcMillis\": %d, \"meanJitterMillis\": %.3f,"
                  + " \"slotLateness\": %s, \"maxSlotLatenessMillis\": %.2f,"
                  + " \"maxOversleepMillis\": %.2f, \"maxSlotPassMillis\": %.2f,"
                  + " \"scheduling\": %s}%s\n",
              s.calls(),
              s.seconds(),
              s.packetsSent(),
              s.sendShortfallPercent(),
              s.packetsReceived(),
              s.packetsRejected(),
              s.lossPercent(),
              s.underruns(),
              s.underrunsPacketLate(),
              s.underrunsPacketLost(),
              s.latePlayoutFrames(),
              s.lateSendFrames(),
              s.schedulingUnderruns(),
              s.networkUnderruns(),
              s.concealed(),
              s.discarded(),
              s.lateTicks(),
              s.cpuPercentOfOneCore(),
              s.cpuUserPercentOfOneCore(),
              s.cpuSystemPercentOfOneCore(),
              s.cpuMicrosPerCallSecond(),
              s.cpuMicrosPerPacket(),
              s.heapKibPerCall(),
              s.gcMillis(),
              s.meanJitterMillis(),
              histogram(s.slotLatenessCounts()),
              s.maxSlotLatenessMillis(),
              s.maxOversleepMillis(),
              s.maxSlotPassMillis(),
              s.scheduling(),
              i + 1 < steps.size() ? "," : ""));
    }
    sb.append("  ]\n}\n");
    return sb.toString();
  }
}

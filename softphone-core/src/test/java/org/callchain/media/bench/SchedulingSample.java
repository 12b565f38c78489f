package org.callchain.media.bench;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the scheduler did to this JVM's threads, and what the rest of the machine did, between two
 * samples: the figures that tell a late media clock caused by our own work from one caused by
 * waiting for a CPU. Per thread, from Linux procfs (proc(5)): {@code /proc/self/task/TID/schedstat}
 * (time on a CPU, time waiting on a run queue, time slices) and {@code status} (voluntary and
 * involuntary context switches); threads are grouped by role from their names. For the machine,
 * {@code /proc/stat} (all CPUs busy, and steal: time the hypervisor gave our vCPUs to someone
 * else). Safepoints from HotSpot's runtime counters (needs {@code --add-exports
 * java.management/sun.management=ALL-UNNAMED}, as bench/media/run.sh passes; -1 without).
 */
final class SchedulingSample {
  private static final Pattern VOLUNTARY =
      Pattern.compile("^voluntary_ctxt_switches:\\s+(\\d+)", Pattern.MULTILINE);
  private static final Pattern INVOLUNTARY =
      Pattern.compile("^nonvoluntary_ctxt_switches:\\s+(\\d+)", Pattern.MULTILINE);

  private record ThreadTimes(
      String role, long runNs, long waitNs, long slices, long vol, long inv) {}

  private final Map<String, ThreadTimes> threads;
  private final long[] machine;
  private final long[] safepoints;
  private final long nanos = System.nanoTime();

  private SchedulingSample(Map<String, ThreadTimes> threads, long[] machine, long[] safepoints) {
    this.threads = threads;
    this.machine = machine;
    this.safepoints = safepoints;
  }

  static SchedulingSample now() {
    return new SchedulingSample(threads(), machine(), safepoints());
  }

  /** The role of a thread by its name (Linux keeps the first 15 characters). */
  static String role(String name) {
    if (name.matches("media\\d+-clock.*")) {
      return "clock";
    }
    if (name.startsWith("GC Thread") || name.startsWith("VM Periodic")) {
      return "gc";
    }
    if (name.contains("CompilerThre")) {
      return "jit";
    }
    if (name.equals("VM Thread")) {
      return "vm";
    }
    return "other";
  }

  /**
   * The JSON object of what happened between {@code start} and this sample: per role the threads,
   * their CPU and run-queue wait (% of one core), the mean run-queue wait per time slice (the delay
   * from becoming runnable to running), the worst single thread's run-queue wait, and switches per
   * second; the machine's busy share of all cores and its steal; safepoints.
   */
  String jsonSince(SchedulingSample start) {
    double wall = (nanos - start.nanos) / 1e9;
    Map<String, long[]> roles = new LinkedHashMap<>();
    for (String r : new String[] {"clock", "gc", "jit", "vm", "other"}) {
      roles.put(r, new long[7]);
    }
    for (Map.Entry<String, ThreadTimes> e : threads.entrySet()) {
      ThreadTimes b = e.getValue();
      ThreadTimes a = start.threads.get(e.getKey());
      if (a == null) {
        a = new ThreadTimes(b.role(), 0, 0, 0, 0, 0);
      }
      long[] r = roles.get(b.role());
      r[0]++;
      r[1] += b.runNs() - a.runNs();
      r[2] += b.waitNs() - a.waitNs();
      r[3] += b.slices() - a.slices();
      r[4] += b.vol() - a.vol();
      r[5] += b.inv() - a.inv();
      r[6] = Math.max(r[6], b.waitNs() - a.waitNs());
    }
    StringBuilder sb = new StringBuilder("{");
    for (Map.Entry<String, long[]> e : roles.entrySet()) {
      long[] r = e.getValue();
      sb.append(
          String.format(
              Locale.ROOT,
              "\"%s\": {\"threads\": %d, \"cpuPercent\": %.1f, \"runQueueWaitPercent\": %.1f,"
                  + " \"waitMicrosPerSlice\": %.1f, \"maxThreadWaitPercent\": %.1f,"
                  + " \"voluntarySwitchesPerSecond\": %.0f, \"involuntarySwitchesPerSecond\": %.0f}, ",
              e.getKey(),
              r[0],
              100 * r[1] / 1e9 / wall,
              100 * r[2] / 1e9 / wall,
              r[3] == 0 ? 0 : r[2] / 1e3 / r[3],
              100 * r[6] / 1e9 / wall,
              r[4] / wall,
              r[5] / wall));
    }
    long total = 0;
    long[] d = new long[machine.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = machine[i] - start.machine[i];
      total += d[i];
    }
    // /proc/stat cpu line: user nice system idle iowait irq softirq steal ...
    double cores = Runtime.getRuntime().availableProcessors();
    double busy = total <= 0 || d.length < 8 ? -1 : 100.0 * (total - d[3] - d[4]) / total * cores;
    double steal = total <= 0 || d.length < 8 ? -1 : 100.0 * d[7] / total * cores;
    sb.append(
        String.format(
            Locale.ROOT,
            "\"machineBusyPercentOfOneCore\": %.1f, \"stealPercentOfOneCore\": %.1f,"
                + " \"safepoints\": %d, \"safepointMillis\": %d, \"safepointSyncMillis\": %d}",
            busy,
            steal,
            safepoints[0] < 0 ? -1 : safepoints[0] - start.safepoints[0],
            safepoints[1] < 0 ? -1 : safepoints[1] - start.safepoints[1],
            safepoints[2] < 0 ? -1 : safepoints[2] - start.safepoints[2]));
    return sb.toString();
  }

  private static Map<String, ThreadTimes> threads() {
    Map<String, ThreadTimes> m = new HashMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      for (Path t : tasks) {
        try {
          String name = Files.readString(t.resolve("comm")).strip();
          String[] s = Files.readString(t.resolve("schedstat")).strip().split(" ");
          String status = Files.readString(t.resolve("status"));
          m.put(
              t.getFileName().toString(),
              new ThreadTimes(
                  role(name),
                  Long.parseLong(s[0]),
                  Long.parseLong(s[1]),
                  Long.parseLong(s[2]),
                  field(VOLUNTARY, status),
                  field(INVOLUNTARY, status)));
        } catch (IOException | RuntimeException e) {
          // the thread ended between listing and reading
        }
      }
    } catch (IOException e) {
      // no procfs: no per-thread figures
    }
    return m;
  }

  private static long field(Pattern p, String status) {
    Matcher m = p.matcher(status);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  private static long[] machine() {
    try {
      String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0);
      String[] f = cpu.trim().split("\\s+");
      long[] v = new long[f.length - 1];
      for (int i = 1; i < f.length; i++) {
        v[i - 1] = Long.parseLong(f[i]);
      }
      return v;
    } catch (IOException | RuntimeException e) {
      return new long[0];
    }
  }

  /** {count, total ms, synchronisation ms} of HotSpot's safepoints, or -1s. */
  private static long[] safepoints() {
    try {
      Class<?> helper = Class.forName("sun.management.ManagementFactoryHelper");
      Object runtime = helper.getMethod("getHotspotRuntimeMBean").invoke(null);
      Class<?> api = Class.forName("sun.management.HotspotRuntimeMBean");
      Method count = api.getMethod("getSafepointCount");
      Method total = api.getMethod("getTotalSafepointTime");
      Method sync = api.getMethod("getSafepointSyncTime");
      return new long[] {
        (long) count.invoke(runtime), (long) total.invoke(runtime), (long) sync.invoke(runtime)
      };
    } catch (ReflectiveOperationException | RuntimeException e) {
      return new long[] {-1, -1, -1};
    }
  }
}

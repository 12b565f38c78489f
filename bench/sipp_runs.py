"""One bounded SIPp run and what it reports (standard library only), for bench/sip_cps_driver.py.

SIPp's cumulative counters come from -trace_stat, its per-message retransmissions, timeouts and
unexpected messages from -trace_counts; CPU seconds of watched processes from /proc/<pid>/stat.
"""
import os
import resource
import socket
import subprocess
import tempfile
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """utime+stime of a process and its reaped children, or None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        # fields[11..14] = utime stime cutime cstime (stat fields 14-17)
        return sum(int(x) for x in fields[11:15]) / CLK_TCK
    except (OSError, IndexError, ValueError):
        return None


def free_udp_port():
    """An even loopback UDP port whose successor is free too. SIPp's defaults (5060 and up for
    signalling, 6000 for media) would clash with other users of a shared host."""
    for _ in range(100):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port % 2 == 1:
            port += 1
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as a, \
                    socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as b:
                a.bind(("127.0.0.1", port))
                b.bind(("127.0.0.1", port + 1))
            return port
        except OSError:
            continue
    raise RuntimeError("no free even UDP port pair on loopback")


def last_stat_row(path):
    try:
        with open(path, encoding="latin-1") as f:
            lines = [l.rstrip("\n") for l in f if l.strip()]
    except OSError:
        return {}
    if len(lines) < 2:
        return {}
    names = lines[0].split(";")
    values = lines[-1].split(";")
    return dict(zip(names, values))


def counter(row, name):
    try:
        return int(float(row.get(name, "0") or 0))
    except ValueError:
        return 0


# SIPp 3.x stat CSV (-trace_stat, "sipp -h stat"): cumulative counters besides the Failed* ones
# that tell why a call failed or what it cost the peer.
SIPP_CAUSE_COUNTERS = ("Retransmissions(C)", "OutOfCallMsgs(C)", "DeadCallMsgs(C)", "AutoAnswered(C)",
                       "Warnings(C)", "FatalErrors(C)", "WatchdogMajor(C)", "WatchdogMinor(C)")


def failure_breakdown(row, counts_path):
    """Why calls failed: every FailedXxx(C) counter of the stat CSV, the other cumulative counters
    above, and from -trace_counts the scenario messages that were retransmitted, timed out or met
    an unexpected message (e.g. 1_INVITE_Retrans, 4_200_Timeout, 4_200_Unexp)."""
    failures = {k[:-3]: counter(row, k) for k in row if k.startswith("Failed") and k.endswith("(C)")
                and k != "FailedCall(C)"}
    other = {k[:-3]: counter(row, k) for k in SIPP_CAUSE_COUNTERS if k in row}
    per_message = {}
    counts = last_stat_row(counts_path) if counts_path else {}
    for k, v in counts.items():
        if k.endswith(("_Retrans", "_Timeout", "_Unexp")):
            try:
                n = int(float(v or 0))
            except ValueError:
                continue
            if n:
                per_message[k] = n
    return {"failed_by_cause": {k: v for k, v in failures.items() if v},
            "counters": other, "per_message": per_message}


def run_sipp(sipp, target, rate, seconds, limit, service, watch_pids, inject=None):
    """One bounded SIPp run. inject(calls, rate, sipp_port, dir) -> (extra SIPp arguments, info)
    replaces the built-in uac scenario (bench/sip-cps-node: a scenario with a pre-signed Identity
    header per call)."""
    calls = max(1, int(round(rate * seconds)))
    with tempfile.TemporaryDirectory(prefix="callchain-cps-") as d:
        stat = os.path.join(d, "stat.csv")
        sipp_port = free_udp_port() + 1
        scenario, injected = ["-sn", "uac"], None
        if inject is not None:
            scenario, injected = inject(calls, rate, sipp_port, d)
        cmd = [
            sipp, *scenario, target,
            "-i", "127.0.0.1", "-p", str(sipp_port),
            "-mi", "127.0.0.1", "-mp", str(free_udp_port()),
            "-t", "u1", "-s", service,
            "-r", str(rate), "-rp", "1000", "-m", str(calls), "-l", str(limit),
            "-nostdin", "-timeout", f"{int(seconds) + 20}s", "-timeout_error",
            "-trace_stat", "-stf", stat, "-fd", "1", "-trace_counts",
            "-recv_timeout", "8000",
        ]
        before = {name: cpu_seconds(pid) for name, pid in watch_pids.items()}
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.monotonic()
        proc = subprocess.Popen(cmd, cwd=d, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            _, err = proc.communicate(timeout=seconds + 40)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate()
        elapsed = time.monotonic() - start
        # The child is reaped: its CPU time is in our RUSAGE_CHILDREN.
        after = {name: cpu_seconds(pid) for name, pid in watch_pids.items()}
        children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        row = last_stat_row(stat)
        counts = [os.path.join(d, f) for f in os.listdir(d) if f.endswith("_counts.csv")]
        breakdown = failure_breakdown(row, counts[0] if counts else None)
    cpu = {}
    for name in watch_pids:
        if before[name] is not None and after[name] is not None:
            cpu[name] = round((after[name] - before[name]) / elapsed, 3)
    sipp_cpu = (children_after.ru_utime + children_after.ru_stime
                - children_before.ru_utime - children_before.ru_stime)
    cpu["sipp"] = round(sipp_cpu / elapsed, 3) if elapsed > 0 else 0
    ok = counter(row, "SuccessfulCall(C)")
    failed = counter(row, "FailedCall(C)")
    return {
        "rate": rate,
        "seconds": seconds,
        "attempted": calls,
        "created": counter(row, "TotalCallCreated"),
        "successful": ok,
        "failed": failed,
        "retransmissions": counter(row, "Retransmissions(C)"),
        "sipp_breakdown": breakdown,
        "elapsed_s": round(elapsed, 2),
        "achieved_cps": round(ok / elapsed, 1) if elapsed > 0 else 0,
        "sipp_exit": proc.returncode,
        "cpu_cores_used": cpu,
        "sipp_stderr": err.decode("latin-1", "replace")[-400:] if proc.returncode not in (0, 1) else "",
        **({"injection": injected} if injected is not None else {}),
    }

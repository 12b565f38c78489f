#!/usr/bin/env python3
"""Ramp and sustain driver for bench/sip-cps (standard library only).

For each peer (name=host:port) it runs SIPp's built-in uac scenario at rising call rates, each
step for a fixed time, until a step loses calls; then it holds the best passing rate for the
sustained phase. Every SIPp run is bounded (-timeout) and its cumulative counters are read from
-trace_stat. CPU seconds used by each watched process (peer pids, SIPp) are sampled from
/proc/<pid>/stat so the report shows who was saturated. Writes one JSON document.
"""
import argparse
import json
import os
import resource
import socket
import subprocess
import sys
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


def run_sipp(sipp, target, rate, seconds, limit, service, watch_pids):
    calls = max(1, int(round(rate * seconds)))
    with tempfile.TemporaryDirectory(prefix="callchain-cps-") as d:
        stat = os.path.join(d, "stat.csv")
        cmd = [
            sipp, "-sn", "uac", target,
            "-i", "127.0.0.1", "-p", str(free_udp_port() + 1),
            "-mi", "127.0.0.1", "-mp", str(free_udp_port()),
            "-t", "u1", "-s", service,
            "-r", str(rate), "-rp", "1000", "-m", str(calls), "-l", str(limit),
            "-nostdin", "-timeout", f"{int(seconds) + 20}s", "-timeout_error",
            "-trace_stat", "-stf", stat, "-fd", "1",
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
        "elapsed_s": round(elapsed, 2),
        "achieved_cps": round(ok / elapsed, 1) if elapsed > 0 else 0,
        "sipp_exit": proc.returncode,
        "cpu_cores_used": cpu,
        "sipp_stderr": err.decode("latin-1", "replace")[-400:] if proc.returncode not in (0, 1) else "",
    }


MIN_ACHIEVED = 0.8  # of the offered rate: a peer that answers everything, but late, is not keeping up


def passed(step):
    """Every call succeeded, and at (nearly) the offered rate: retransmissions that stretch a
    3 s step to 6 s mean the peer only kept up with half the rate."""
    return (step["failed"] == 0 and step["successful"] == step["attempted"]
            and step["sipp_exit"] == 0 and step["achieved_cps"] >= MIN_ACHIEVED * step["rate"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sipp", default="sipp")
    ap.add_argument("--peer", action="append", required=True, help="name=host:port=service=pid")
    ap.add_argument("--rates", default="50,100,200,400,700,1000,1300,1600,2000,2500,3000")
    ap.add_argument("--step-seconds", type=float, default=5)
    ap.add_argument("--sustain-seconds", type=float, default=60)
    ap.add_argument("--warmup-seconds", type=float, default=5,
                    help="calls at the first rate before the ramp, reported but not judged (JIT, caches)")
    ap.add_argument("--cooldown-seconds", type=float, default=3,
                    help="idle time between steps so that one step's backlog does not fail the next")
    ap.add_argument("--settle-seconds", type=float, default=35,
                    help="idle time before the sustained phase: lets transactions left by a failed "
                         "step expire (RFC 3261 Timer B/H/J: 32 s) so that they do not count against it")
    ap.add_argument("--out", required=True)
    ap.add_argument("--meta", default="{}")
    args = ap.parse_args()

    rates = [float(r) for r in args.rates.split(",")]
    peers = []
    for spec in args.peer:
        name, target, service, pid = spec.split("=")
        peers.append((name, target, service, int(pid)))

    result = {"meta": json.loads(args.meta), "peers": {}}
    result["meta"].update({
        "rates_tried": rates,
        "step_seconds": args.step_seconds,
        "sustain_seconds": args.sustain_seconds,
        "warmup_seconds": args.warmup_seconds,
        "cooldown_seconds": args.cooldown_seconds,
        "settle_seconds": args.settle_seconds,
        "started_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "loadavg_at_start": os.getloadavg(),
    })
    for name, target, service, pid in peers:
        watch = {name: pid}
        steps, best = [], 0
        warmup = None
        if args.warmup_seconds > 0:
            warmup = run_sipp(args.sipp, target, rates[0], args.warmup_seconds, max(50, int(rates[0] * 2)), service, watch)
            print(f"[sip-cps] {name} warm-up {rates[0]:g} cps: {warmup['successful']}/{warmup['attempted']} ok",
                  file=sys.stderr, flush=True)
            time.sleep(args.cooldown_seconds)
        for rate in rates:
            step = run_sipp(args.sipp, target, rate, args.step_seconds, max(50, int(rate * 2)), service, watch)
            steps.append(step)
            print(f"[sip-cps] {name} ramp {rate:g} cps: {step['successful']}/{step['attempted']} ok, "
                  f"{step['failed']} failed, cpu {step['cpu_cores_used']}", file=sys.stderr, flush=True)
            time.sleep(args.cooldown_seconds)
            if not passed(step):
                break
            best = rate
        sustained = None
        if best > 0 and args.sustain_seconds > 0:
            time.sleep(args.settle_seconds if best != rates[-1] else args.cooldown_seconds)
            sustained = run_sipp(args.sipp, target, best, args.sustain_seconds, max(50, int(best * 2)), service, watch)
            print(f"[sip-cps] {name} sustain {best:g} cps for {args.sustain_seconds:g}s: "
                  f"{sustained['successful']}/{sustained['attempted']} ok, {sustained['failed']} failed",
                  file=sys.stderr, flush=True)
        result["peers"][name] = {
            "target": target,
            "warmup": warmup,
            "ramp": steps,
            "best_ramp_rate": best,
            "sustained": sustained,
            "sustained_rate": best if sustained and passed(sustained) else 0,
        }
    names = [p[0] for p in peers]
    if len(names) >= 2:
        a, b = result["peers"][names[0]]["sustained_rate"], result["peers"][names[1]]["sustained_rate"]
        result["ratio"] = {"of": f"{names[0]}/{names[1]}", "value": round(a / b, 2) if b else None}
    result["meta"]["loadavg_at_end"] = os.getloadavg()
    with open(args.out, "w") as f:
        json.dump(result, f, indent=2)
    print(json.dumps({n: result["peers"][n]["sustained_rate"] for n in names}), flush=True)


if __name__ == "__main__":
    main()

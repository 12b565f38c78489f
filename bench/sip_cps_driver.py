#!/usr/bin/env python3
"""Ramp and sustain driver for bench/sip-cps (standard library only).

For each peer (name=host:port) it runs SIPp's built-in uac scenario at rising call rates, each
step for a fixed time, until a step loses calls; then it holds the best passing rate for the
sustained phase. Every SIPp run is bounded (-timeout) and its cumulative counters are read from
-trace_stat. CPU seconds used by each watched process (peer pids, SIPp) are sampled from
/proc/<pid>/stat so the report shows who was saturated. Writes one JSON document.

A sustained attempt after a failed one would otherwise run on whatever the failure left (tens of
thousands of live transactions, CANCELs): a supervised peer is restarted before every sustained
attempt, warmed up and settled (measure's isolate()); a --peer peer can only be left idle.

With --supervisor (bench/sip-cps-node) the peers are started and stopped one after the other by a
supervisor process (SipCpsSupervisor, a line-JSON protocol on its stdin/stdout) that also writes,
right before every SIPp run, the injection file with one pre-signed RFC 8224 Identity header per
call for --scenario. A peer that reports a control URL is a Callchain node: around every run the
driver reads its /metrics and checks that it admitted and recorded exactly the calls SIPp
completed; a run that fails that check does not pass.
"""
import argparse
import json
import os
import shlex
import urllib.request
import subprocess
import sys
import time

from sipp_runs import run_sipp


MIN_ACHIEVED = 0.8  # of the offered rate: a peer that answers everything, but late, is not keeping up


def passed(step):
    """Every call succeeded, and at (nearly) the offered rate: retransmissions that stretch a
    3 s step to 6 s mean the peer only kept up with half the rate."""
    return (step["failed"] == 0 and step["successful"] == step["attempted"]
            and step["sipp_exit"] == 0 and step["achieved_cps"] >= MIN_ACHIEVED * step["rate"]
            and step.get("node", {}).get("check_passed", True))


class Supervisor:
    """The process that starts and stops peers and signs injection files (SipCpsSupervisor)."""

    ANSWER = "cps> "

    def __init__(self, command, log):
        self.log = open(log, "a") if log else None
        self.proc = subprocess.Popen(shlex.split(command), stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self.log, text=True, bufsize=1)

    def request(self, **req):
        self.proc.stdin.write(json.dumps(req) + "\n")
        self.proc.stdin.flush()
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError(f"supervisor ended while asked {req}")
            if line.startswith(self.ANSWER):
                answer = json.loads(line[len(self.ANSWER):])
                if "error" in answer:
                    raise RuntimeError(f"supervisor: {req['op']} {req.get('peer')}: {answer['error']}")
                return answer

    def close(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=90)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.log:
            self.log.close()


def node_metrics(control):
    """The counters of a node's /metrics (Prometheus text format) that the check needs."""
    with urllib.request.urlopen(control + "/metrics", timeout=10) as r:
        text = r.read().decode()
    m = {"accepted": 0, "rejected": 0, "records": 0, "pending": 0, "log_size": 0, "answered_in": 0,
         "record_failures": 0, "anchor_lag_records": 0}
    for line in text.splitlines():
        if line.startswith("#") or " " not in line:
            continue
        key, value = line.rsplit(" ", 1)
        v = int(float(value))
        if key.startswith("callchain_admission_verdicts_total{"):
            m["accepted" if 'outcome="accepted"' in key else "rejected"] += v
        elif key.startswith("callchain_calls_total{") and 'direction="incoming"' in key \
                and 'outcome="answered"' in key:
            m["answered_in"] += v
        else:
            name = {"callchain_records_total": "records", "callchain_log_pending_records": "pending",
                    "callchain_log_size": "log_size", "callchain_record_failures": "record_failures",
                    "callchain_anchor_lag_records": "anchor_lag_records"}.get(key)
            if name:
                m[name] = v
    return m


def node_status(control):
    with urllib.request.urlopen(control + "/status", timeout=10) as r:
        return json.loads(r.read().decode())


def settled_metrics(control, bound=60):
    """/metrics once no record waits for a commit and the counters stopped moving."""
    deadline, last = time.monotonic() + bound, None
    while True:
        m = node_metrics(control)
        if m["pending"] == 0 and m == last:
            return m
        if time.monotonic() > deadline:
            return m
        last = m
        time.sleep(0.5)


def ledger_check(before, after, step):
    """What the node admitted, answered and recorded during one run, against what SIPp completed:
    admitted verdicts == incoming calls answered == records committed == records added to the
    log == SIPp's successful calls, no refusal, no record failure, nothing left pending."""
    d = {k: after[k] - before[k] for k in after}
    ok = step["successful"]
    d["check_passed"] = (d["accepted"] == ok and d["records"] == ok and d["rejected"] == 0
                         and d["answered_in"] == ok
                         and d["log_size"] == ok and after["pending"] == 0
                         and d["record_failures"] == 0)
    d["after"] = after
    return d


def cpu_ms_per_call(step, name):
    cores = step["cpu_cores_used"].get(name)
    return round(cores * 1000 / step["achieved_cps"], 3) if cores and step["achieved_cps"] else None


def measure(args, rates, name, side, inject=None, fresh=None):
    """Warm-up, ramp and sustained phase against one peer. side: where it answers now (target,
    service, pid, control for a node); fresh(): a supervised peer's side replaced by a new process
    (the driver updates side from its answer), None for an unsupervised peer."""

    def run(rate, seconds):
        control = side.get("control")
        before = settled_metrics(control) if control else None
        step = run_sipp(args.sipp, side["target"], rate, seconds, max(50, int(rate * 2)),
                        side["service"], {name: side["pid"]}, inject)
        step["cpu_ms_per_call"] = cpu_ms_per_call(step, name)
        step["pid"] = side["pid"]
        if control:
            step["node"] = ledger_check(before, settled_metrics(control), step)
        step["passed"] = passed(step)
        return step

    def said(phase, step):
        node = step.get("node")
        extra = (f", node: {node['accepted']} admitted, {node['records']} recorded, "
                 f"check {'ok' if node['check_passed'] else 'FAILED'}") if node else ""
        why = step["sipp_breakdown"]["failed_by_cause"]
        print(f"[sip-cps] {name} {phase} {step['rate']:g} cps: {step['successful']}/{step['attempted']} ok, "
              f"{step['failed']} failed{' ' + json.dumps(why) if why else ''}, "
              f"cpu {step['cpu_cores_used']}{extra}", file=sys.stderr, flush=True)

    def isolate(rate):
        """What the sustained attempt at rate starts from. A supervised peer gets a new process,
        warmed the way the ramp warmed the first one (the warm-up at the first ramp rate, then
        steps toward the attempt rate: the JIT compiles the hot paths under a load the peer is
        known to hold), and then idles until the warm-up's transactions are gone (Timer J/H, RFC
        3261 §17.2: 64*T1 = 32 s; settle-seconds). An unsupervised peer cannot be restarted: it
        only idles, and carries what earlier runs left (lingering or half-done transactions)."""
        if fresh is None:
            time.sleep(args.settle_seconds)
            return {"fresh_process": False, "pid": side["pid"], "warmup": [],
                    "settled_s": args.settle_seconds,
                    "note": "unsupervised peer: not restarted, only idled settle-seconds after "
                            "the previous run, so it carries what earlier runs left"}
        fresh()
        warm = []
        if args.warmup_seconds > 0:
            warm.append(run(rates[0], args.warmup_seconds))
            said("attempt warm-up", warm[-1])
        for f in args.attempt_warmup_fractions:
            r = round(rate * f)
            if r > rates[0]:
                time.sleep(args.cooldown_seconds)
                warm.append(run(r, args.step_seconds))
                said(f"attempt warm-up step {f:g}x", warm[-1])
        time.sleep(args.settle_seconds)
        return {"fresh_process": True, "pid": side["pid"], "warmup": warm,
                "warmup_passed": all(passed(w) for w in warm),
                "settled_s": args.settle_seconds,
                "note": f"new process; warm-up at {rates[0]:g}/s for {args.warmup_seconds:g} s, then "
                        f"{args.step_seconds:g} s at each of {args.attempt_warmup_fractions} x the "
                        f"attempt rate; then idle {args.settle_seconds:g} s (Timer J/H: 32 s) so "
                        "that the warm-up's transactions are gone"}

    steps, best = [], 0
    warmup = None
    if args.warmup_seconds > 0:
        warmup = run(rates[0], args.warmup_seconds)
        said("warm-up", warmup)
        time.sleep(args.cooldown_seconds)
    for rate in rates:
        step = run(rate, args.step_seconds)
        steps.append(step)
        said("ramp", step)
        time.sleep(args.cooldown_seconds)
        if not passed(step):
            break
        best = rate
    # The sustained phase at the best ramp rate; if it fails, at the next passing rates below it
    # (a 5 s step can pass a rate that a minute of lingering transactions cannot hold). Each
    # attempt measures the rate tried, not what the attempt before it left behind: see isolate().
    sustained, attempts, sustained_rate = None, [], 0
    candidates = [s["rate"] for s in steps if passed(s)][::-1][:max(1, args.sustain_attempts)]
    if args.sustain_seconds > 0:
        for rate in candidates:
            start = isolate(rate)
            attempt = run(rate, args.sustain_seconds)
            attempt["attempt"] = start
            said(f"sustain {args.sustain_seconds:g}s", attempt)
            attempts.append(attempt)
            if passed(attempt):
                sustained, sustained_rate = attempt, rate
                break
    # The lowest rate the peer failed to hold above its sustained rate: a failed ramp step or a
    # failed sustained attempt. Without one, the sustained rate is only a lower bound.
    failed_above = [s["rate"] for s in steps + attempts
                    if not passed(s) and s["rate"] > sustained_rate]
    return {
        "target": side["target"],
        "warmup": warmup,
        "ramp": steps,
        "best_ramp_rate": best,
        # The best rate is a lower bound only when the peer passed every rate tried.
        "saturated": best != rates[-1],
        "lowest_failed_rate": min(failed_above) if failed_above else None,
        # The attempt that held; None when every attempt failed (all are in the list below).
        "sustained": sustained,
        "sustained_attempts": len(attempts),
        "attempts_on_fresh_process": fresh is not None,
        "failed_sustain_attempts": [a for a in attempts if not passed(a)],
        "sustained_rate": sustained_rate,
    }


def all_runs(peer):
    """Every SIPp run against a peer, attempt warm-ups included."""
    attempts = [*peer["failed_sustain_attempts"], *([peer["sustained"]] if peer["sustained"] else [])]
    runs = [r for r in [peer["warmup"], *peer["ramp"]] if r]
    for a in attempts:
        runs += a.get("attempt", {}).get("warmup", []) + [a]
    return runs


def summary(peer):
    """Rates, failed calls and (for a node) records of one peer's runs, over all its processes."""
    runs = all_runs(peer)
    out = {
        "sustained_rate": peer["sustained_rate"],
        "sustained_achieved_cps": peer["sustained"]["achieved_cps"] if peer["sustained"] else None,
        "sustained_failed_calls": peer["sustained"]["failed"] if peer["sustained"] else None,
        "calls_completed": sum(r["successful"] for r in runs),
        "calls_failed": sum(r["failed"] for r in runs),
        "sustained_cpu_ms_per_call": peer["sustained"]["cpu_ms_per_call"] if peer["sustained"] else None,
        "processes": len(peer.get("processes", [])) or 1,
    }
    procs = [p for p in peer.get("processes", []) if "node_metrics" in p]
    if procs:
        # A new process starts its counters at zero: totals are sums over the processes.
        total = {k: sum(p["node_metrics"][k] for p in procs)
                 for k in ("accepted", "rejected", "log_size", "records", "pending")}
        out.update({
            "admitted": total["accepted"],
            "rejected": total["rejected"],
            "records_written": total["log_size"],
            "records_committed": total["records"],
            "records_pending": total["pending"],
            "records_anchored": sum((p["node_status"].get("lastAnchor") or {}).get("size", 0)
                                    for p in procs),
            "every_run_checked": all("node" in r for r in runs),
            "failed_checks": sum(1 for r in runs if not r["node"]["check_passed"]),
            "records_equal_completed_calls": total["records"] == sum(r["successful"] for r in runs),
        })
    return out


def supervised_injection(sup, peer, scenario):
    """inject() for run_sipp: asks the supervisor for this run's injection file."""
    def inject(calls, rate, sipp_port, d):
        path = os.path.join(d, "identity.csv")
        # A little more than the run's calls: SIPp wraps around a file it reads to its end.
        a = sup.request(op="inject", peer=peer, calls=calls + 10, rate=rate, sippPort=sipp_port, path=path)
        return (["-sf", scenario, "-inf", path, "-cid_str", a["cidStr"]],
                {"lines": a["lines"], "sign_seconds": round(a["signSeconds"], 2),
                 "first_call_planned_after_s": round(a["firstCallPlannedAfterSeconds"], 2)})
    return inject


def measure_supervised(args, rates, sup, name):
    """measure() for a peer the supervisor starts; before every sustained attempt it is stopped
    and started again (a new process; for ON a new chain and node), and every process's final
    /metrics and /status are kept, since a new process counts from zero."""
    processes = []
    side = {}
    jfr = [0]

    def start():
        info = sup.request(op="start", peer=name)
        side.update(target=info["target"], service=info["service"], pid=info["pid"],
                    control=info.get("control"))
        processes.append({"started": info})
        if args.jfr_prefix:
            jfr[0] += 1
            suffix = "" if jfr[0] == 1 else f"-{jfr[0]}"
            subprocess.run(["jcmd", str(info["pid"]), "JFR.start", "name=cps", "settings=profile",
                            f"filename={os.path.abspath(args.jfr_prefix)}{name}{suffix}.jfr"],
                           check=False, stdout=subprocess.DEVNULL)

    def stop():
        last = processes[-1]
        if side.get("control"):
            last["node_metrics"] = settled_metrics(side["control"])
            last["node_status"] = node_status(side["control"])
        if args.jfr_prefix:
            subprocess.run(["jcmd", str(side["pid"]), "JFR.stop", "name=cps"],
                           check=False, stdout=subprocess.DEVNULL)
        last["exit"] = sup.request(op="stop", peer=name)["exit"]

    def fresh():
        stop()
        start()

    start()
    r = measure(args, rates, name, side, supervised_injection(sup, name, args.scenario), fresh)
    stop()
    r["started"] = processes[0]["started"]
    r["processes"] = processes
    r["exit"] = processes[-1]["exit"]
    return r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sipp", default="sipp")
    ap.add_argument("--peer", action="append", default=[], help="name=host:port=service=pid")
    ap.add_argument("--supervisor", help="command of a peer supervisor (bench/sip-cps-node)")
    ap.add_argument("--supervisor-log", help="file for the supervisor's diagnostics")
    ap.add_argument("--supervised", action="append", default=[],
                    help="a peer the supervisor starts (off, on), measured in this order")
    ap.add_argument("--scenario", help="SIPp scenario for supervised peers (needs --supervisor)")
    ap.add_argument("--ratio", help="NUM/DEN: peers whose sustained rates are compared")
    ap.add_argument("--target-ratio", type=float, help="the ratio NUM/DEN should reach")
    ap.add_argument("--jfr-prefix", help="record a JFR profile of each supervised peer (jcmd) "
                                         "into PREFIX<peer>.jfr")
    ap.add_argument("--rates", default="50,100,200,400,700,1000,1300,1600,2000,2500,3000")
    ap.add_argument("--step-seconds", type=float, default=5)
    ap.add_argument("--sustain-seconds", type=float, default=60)
    ap.add_argument("--warmup-seconds", type=float, default=5,
                    help="calls at the first rate before the ramp, reported but not judged (JIT, caches)")
    ap.add_argument("--cooldown-seconds", type=float, default=3,
                    help="idle time between steps so that one step's backlog does not fail the next")
    ap.add_argument("--settle-seconds", type=float, default=35,
                    help="idle time before each sustained attempt (after a supervised peer's restart "
                         "and warm-up): lets the transactions of the runs before it expire (RFC 3261 "
                         "Timer B/H/J: 32 s) so that they do not count against it")
    ap.add_argument("--attempt-warmup-fractions", default="0.5",
                    help="supervised peers: after the restart and warm-up before a sustained attempt, "
                         "one step-seconds step at each of these fractions of the attempt rate")
    ap.add_argument("--sustain-attempts", type=int, default=2,
                    help="passing ramp rates, from the best down, tried for the sustained phase")
    ap.add_argument("--out", required=True)
    ap.add_argument("--meta", default="{}")
    args = ap.parse_args()

    rates = [float(r) for r in args.rates.split(",")]
    args.attempt_warmup_fractions = [float(f) for f in args.attempt_warmup_fractions.split(",") if f]
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
        "attempt_warmup_fractions": args.attempt_warmup_fractions,
        "attempt_isolation": ("supervised peers: every sustained attempt on a new process, warmed "
                              "up and settled first (peers.<name>.sustained.attempt); --peer peers: "
                              "settle-seconds idle only, same process"),
        "started_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "loadavg_at_start": os.getloadavg(),
    })
    for name, target, service, pid in peers:
        result["peers"][name] = measure(args, rates, name,
                                        {"target": target, "service": service, "pid": pid})
    if args.supervised:
        sup = Supervisor(args.supervisor, args.supervisor_log)
        try:
            for name in args.supervised:
                result["peers"][name] = measure_supervised(args, rates, sup, name)
        finally:
            sup.close()
    names = [p[0] for p in peers] + args.supervised
    num, den = args.ratio.split("/") if args.ratio else (names + [None, None])[:2]
    if num and den:
        a, b = result["peers"][num]["sustained_rate"], result["peers"][den]["sustained_rate"]
        result["ratio"] = {"of": f"{num}/{den}", "value": round(a / b, 2) if b else None}
        # Only a found limit of the denominator says anything about the ratio: a rate above its
        # sustained rate that it failed to hold (in the ramp or sustained). If it held every rate
        # tried, both rates are lower bounds. Between its sustained rate and that failed rate its
        # true limit is unknown, so the ratio is only known to be at least a / failed rate.
        failed = result["peers"][den]["lowest_failed_rate"]
        result["ratio"]["conclusive"] = failed is not None and bool(b)
        result["ratio"]["lower_bound"] = round(a / failed, 3) if failed else None
        if args.target_ratio:
            result["ratio"]["target"] = args.target_ratio
            result["ratio"]["met_at_step_resolution"] = (result["ratio"]["conclusive"]
                                                         and a / b >= args.target_ratio)
            result["ratio"]["met"] = (result["ratio"]["conclusive"]
                                      and a / failed >= args.target_ratio)
    nodes = {n: r for n, r in result["peers"].items()
             if any("node_metrics" in p for p in r.get("processes", []))}
    if nodes:
        result["summary"] = {n: summary(result["peers"][n]) for n in names}
    result["meta"]["loadavg_at_end"] = os.getloadavg()
    with open(args.out, "w") as f:
        json.dump(result, f, indent=2)
    print(json.dumps({n: result["peers"][n]["sustained_rate"] for n in names}), flush=True)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Fault-injection campaigns on the host (`make campaign`, `make replay`).

A campaign is a golden run (the workload without faults: the reference output
and the time budget) and then FAULTS experiments, each one fault in a fresh
incarnation of the target. Experiments run back to back inside one boot (the
in-OS half is faultinject/campaign/main.c); a boot ends after PER_BOOT of them,
and after any kernel-level failure, when the next experiment starts in a fresh
boot. JOBS QEMU instances run slices in parallel. Every experiment is
classified (see OUTCOMES) and written to results.csv and results.json, and the
campaign to one self-contained HTML report (faultinject/host/report.py).
`--shard I/N` runs one of N equal parts (on another machine, say), and
`--merge DIR...` joins the parts, refusing any of another build or campaign.
Experiment i has the seed SEED+i, which draws its fault type and its fault, so
`make replay SEED=S` makes it again. Standard library only."""
import argparse
import collections
import concurrent.futures
import hashlib
import json
import os
import re
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests"))
import qemu  # noqa: E402

ALL_TYPES = ["text-flip", "nop", "src", "dst", "pointer", "branch", "loop", "stack-flip",
             "heap-flip", "data-flip", "reg-flip", "crash", "hang", "wild-write",
             "bogus-ipc", "exhaust"]

# Outcome classes, a superset of FAIL*'s and DrSEUs': in the order they are decided.
OUTCOMES = ["kernel failure", "experiment timeout", "failure in another service",
            "not activated", "service lost",
            "recovered with state loss", "hung and recovered", "crashed and recovered",
            "error reported to the client", "silent data corruption", "no effect"]

# Which faults' activation is seen: code faults and those the target makes itself
# act when the target reaches their breakpoint; these act at once where the thread
# stands; the rest (data) act when the data are next read, which is not watched.
TRACKED = {"text-flip", "nop", "src", "dst", "pointer", "branch", "loop", "bogus-ipc", "exhaust"}
AT_ONCE = {"reg-flip", "crash", "hang"}

BEGIN = re.compile(r"ficamp: info: exp (\d+) begin seed=(\d+) type=(\S+)")
END = re.compile(r"ficamp: info: exp (\d+) end made=(.+?) addr=(\S+) ok=(\d+) unknown=(\d+) "
                 r"errors=(\d+) timeouts=(\d+) state=(\S+)(?: corrupt=(\d+))?")
EVENT = re.compile(r"rs: info: event (\{.*\})\r?$", re.M)
KERNEL_FAILURE = re.compile(r"KERNEL PANIC|triple fault|double fault", re.I)
SETUP_FAILURE = re.compile(r"rs: error: service '\w+' not declared.*|rs: error: arguments .*|"
                           r"ficamp: error: .*")
WORKLOAD = re.compile(r"x (\d+) (\d+)")


def workload_lines(log):
    """(experiment, line) of every workload line the driver wrote."""
    return [(int(m.group(1)), int(m.group(2))) for m in qemu.console_lines(log, WORKLOAD)]


def type_mask(types):
    """The types as ficamp takes them: bit i for ALL_TYPES[i] (the injector's
    order, faultinject/mutate.h), or "none" for the golden run."""
    if types == ["none"]:
        return "none"
    return hex(sum(1 << ALL_TYPES.index(t) for t in types))


def nic(model):
    """QEMU's user-mode network (no port of the host forwarded) on a NIC of `model`."""
    return ["-nic", "none", "-netdev", "user,id=n0", "-device", f"{model},netdev=n0"]


Q35_IOMMU = ["-machine", "q35", "-device", "intel-iommu"]


def ide_disk(path):
    """A raw disk image as the primary IDE channel's master (the ATA driver's)."""
    return ["-drive", f"file={path},format=raw,if=ide,index=0,media=disk"]


def virtio_disk(path):
    """A raw disk image as a modern virtio-blk device whose DMA goes through the IOMMU."""
    return ["-drive", f"file={path},if=none,id=vd0,format=raw",
            "-device", "virtio-blk-pci,drive=vd0,disable-legacy=on,iommu_platform=on"]


# What a campaign on each target boots: the services besides ds, fi and ficamp,
# their modules, the QEMU devices, and the workload ficamp runs through it
# (console: numbered lines written and read back from the log; ether: ARP
# exchanges with QEMU's gateway, every answer checked; block: 4 KiB blocks
# written and read back, every byte compared, on a disk of its own per boot,
# made by `disk`). The DMA drivers run with their DMA fenced by the IOMMU, as
# they would be deployed. least_s: the least time an experiment is given (the
# ether and block workloads ask for 2 s of patience).
TARGETS = {
    "uart": {"services": ["uart"], "workload": "console", "qemu": [], "least_s": 2.0},
    "e1000": {"services": ["uart", "pci", "e1000"], "workload": "ether", "least_s": 4.0,
              "qemu": Q35_IOMMU + nic("e1000")},
    "rtl8139": {"services": ["uart", "pci", "rtl8139"], "workload": "ether", "least_s": 4.0,
                "qemu": Q35_IOMMU + nic("rtl8139")},
    "ne2k": {"services": ["uart", "pci", "ne2k"], "workload": "ether", "least_s": 4.0,
             "qemu": nic("ne2k_pci")},
    "ata": {"services": ["uart", "pci", "ata"], "workload": "block", "least_s": 4.0,
            "qemu": [], "disk": ide_disk},
    "virtio_blk": {"services": ["uart", "pci", "virtio_blk"], "workload": "block",
                   "least_s": 4.0, "qemu": Q35_IOMMU, "disk": virtio_disk},
}
DISK_MIB = 4


def modules(args, first, count):
    """The boot modules of one boot that runs experiments first..first+count-1."""
    build, spec = qemu.BUILD, TARGETS[args.target]
    ficamp = (f"target={args.target}+types={type_mask(args.types)}+first={first}+count={count}"
              f"+seed={args.seed}+lines={args.lines}+settle={args.settle}+deadline={args.deadline}"
              f"+workload={spec['workload']}" + ("+cover=1" if getattr(args, "cover", False) else ""))
    # Planting coverage breakpoints holds the target a while: a long heartbeat then.
    beat = "+heartbeat=1000" if getattr(args, "cover", False) else ""
    services = "+".join(["ds"] + spec["services"] + ["fi", "ficamp"])
    rs = (f"services={services} policy.{args.target}=max=32+window=10+base=0+cap=0{beat} "
          f"files.fi={args.target}.sites+ds.sites args.ficamp={ficamp}")
    mods = [(os.path.join(build, "rs.elf"), rs)]
    mods += [(os.path.join(build, m + ".elf"), "") for m in ["ds"] + spec["services"]
             + ["fi", "ficamp"]]
    mods.append((os.path.join(build, "ds.sites"), ""))
    mods.append((getattr(args, "sites", None) or os.path.join(build, f"{args.target}.sites"), ""))
    return mods + [(os.path.join(qemu.ROOT, "lua", "init.lua"), "")]


class Progress:
    """Counts finished experiments across workers; prints one line a second."""

    def __init__(self, total, quiet):
        self.total, self.quiet, self.done, self.start = total, quiet, 0, time.monotonic()
        self.lock, self.last = threading.Lock(), 0.0
        self.outcomes = collections.Counter()

    def tick(self, n):
        """n more experiments finished in a running boot."""
        with self.lock:
            self.done += n
            self.show()

    def record(self, outcomes):
        """Their outcomes, once the boot's log is read."""
        with self.lock:
            self.outcomes.update(outcomes)

    def show(self, force=False):
        now = time.monotonic()
        if self.quiet or (not force and now - self.last < 1.0):
            return
        self.last = now
        rate = self.done / max(now - self.start, 1e-6)
        eta = (self.total - self.done) / rate if rate else 0
        top = ", ".join(f"{n} {o}" for o, n in self.outcomes.most_common(4))
        print(f"campaign: {self.done}/{self.total} done, {rate:.1f}/s, ETA {eta:.0f} s; {top}",
              flush=True)


def run_boot(args, first, count, timeout, seen=None, budget=None):
    """One boot running experiments first..first+count-1: (log, how it ended). It
    ends early when an experiment runs past its budget (the boot is stuck)."""
    spec, disk = TARGETS[args.target], None
    extra = list(spec["qemu"])
    if "disk" in spec:                  # QEMU locks an image: one per boot
        disk = os.path.join(args.out, "disks", f"boot-{first}-{os.getpid()}.img")
        os.makedirs(os.path.dirname(disk), exist_ok=True)
        with open(disk, "wb") as f:
            f.truncate(DISK_MIB << 20)
        extra += spec["disk"](disk)
    boot = qemu.Boot(qemu.command("kernel", "", modules(args, first, count), extra=extra))
    progress = {"marks": 0, "at": time.monotonic()}

    def finished(log):
        if seen:
            seen(log)
        marks = log.count("ficamp: info: exp ")
        if marks != progress["marks"]:
            progress.update(marks=marks, at=time.monotonic())
        limit = budget + (10 if not marks else 0) if budget else None   # booting takes a while
        stuck = limit and time.monotonic() - progress["at"] > limit
        return ("campaign done" in log or KERNEL_FAILURE.search(log) or SETUP_FAILURE.search(log)
                or stuck)
    how = boot.wait(finished, timeout)
    boot.drain(0.3)
    boot.stop()
    if disk:
        os.remove(disk)
    bad = SETUP_FAILURE.search(boot.log)
    if bad:
        kept = os.path.join(args.out, f"setup-failure-{first}.log")
        with open(kept, "w") as f:
            f.write(boot.log)
        raise SystemExit(f"campaign: the system could not be set up: {bad.group(0)} "
                         f"(its log: {kept})")
    return boot.log, how


def split(log):
    """The log's experiments: {index: {"seed", "type", "text"}} (text from its
    begin line to the next begin)."""
    marks = list(BEGIN.finditer(log))
    out = {}
    for m, nxt in zip(marks, marks[1:] + [None]):
        out[int(m.group(1))] = {"seed": int(m.group(2)), "type": m.group(3),
                                "text": log[m.start():nxt.start() if nxt else len(log)]}
    return out


def classify(args, exp, lines_seen):
    """An experiment's row: its outcome, latencies and what the injector did."""
    text, target = exp["text"], args.target
    row = {"experiment": exp["index"], "seed": exp["seed"], "type": exp["type"],
           "outcome": None, "made": None, "activated": None, "address": None, "location": None,
           "activation": None, "spread": None,
           "detect_us": None, "recover_us": None, "lines_ok": None, "lines_lost": None,
           "unknown": None, "errors": None, "corrupt": None}
    events = [json.loads(m.group(1)) for m in EVENT.finditer(text)]
    # The target's events, less the restart the experiment asked for (a fresh
    # incarnation to fault), whose reason is "restart".
    mine = [e for e in events if e.get("service") == target and e.get("reason") != "restart"]
    inject = next((e for e in mine if e["event"] == "inject"), None)
    row["location"] = inject["detail"] if inject else None
    act = next((e for e in mine if e["event"] == "activated"), None)
    row["activation"] = act["detail"] if act else None
    fails = [e for e in mine if e["event"] == "failure"]
    restarts = [e for e in mine if e["event"] == "restart"]
    if fails:
        row["detect_us"] = fails[0]["detect_us"]
    if restarts:
        row["recover_us"] = restarts[0]["recover_us"]
    end = END.search(text)
    if KERNEL_FAILURE.search(text):
        row["outcome"] = "kernel failure"
        return row
    if not end:
        row["outcome"] = "experiment timeout"
        return row
    made, addr, timeouts, state = end.group(2), end.group(3), int(end.group(7)), end.group(8)
    ok, unknown, errors = (int(g) for g in end.group(4, 5, 6))
    corrupt = int(end.group(9) or 0)        # wrong answers the workload itself saw
    row.update(made=made, address=addr, lines_ok=ok, unknown=unknown, errors=errors,
               corrupt=corrupt)
    row["activated"] = activated(exp["type"], made, act)
    seen = lines_seen.get(exp["index"], collections.Counter())
    if TARGETS[target]["workload"] == "console":
        lost = sum(1 for k in range(1, args.lines + 1) if not seen[k])
        acknowledged_lost = lost > unknown + errors    # told "done", never written
        corrupt += sum(1 for k in seen if k > args.lines)   # a line nobody wrote
    else:
        lost = errors                   # an exchange never answered: reported as such
        acknowledged_lost = False
    row["lines_lost"] = lost
    spread = [e for e in events if e["event"] == "failure" and e.get("service") != target]
    if timeouts:
        row["outcome"] = "experiment timeout"       # the workload's deadline passed
    elif spread:
        row["outcome"] = "failure in another service"
        row["spread"] = f'{spread[0]["service"]}: {spread[0].get("reason")}'
    elif corrupt:
        row["outcome"] = "silent data corruption"   # wrong data given out, recovered or not
    elif made not in ("yes", "none") or row["activated"] == "no":
        row["outcome"] = "not activated"
    elif state != "running" or any(e["event"] == "degraded" for e in mine):
        row["outcome"] = "service lost"
    elif fails and acknowledged_lost:
        row["outcome"] = "recovered with state loss"
    elif fails:
        hung = any(e["reason"] in ("hang", "init-hang") for e in fails)
        row["outcome"] = "hung and recovered" if hung else "crashed and recovered"
    elif acknowledged_lost:
        row["outcome"] = "silent data corruption"
    elif unknown or errors:
        row["outcome"] = "error reported to the client"
    else:
        row["outcome"] = "no effect"
    return row


def activated(kind, made, act):
    """yes, no or unknown: whether the fault acted (see TRACKED)."""
    if made != "yes":
        return "no" if made != "none" else None
    if kind in TRACKED:
        return "yes" if act else "no"
    return "yes" if kind in AT_ONCE else "unknown"


def run_slice(args, first, count, budget, progress):
    """Experiments first..first+count-1, in as many boots as kernel failures need."""
    rows, at = [], first
    while at < first + count:
        n = min(first + count - at, args.per_boot)
        done = set()

        def seen(log):
            new = {int(m.group(1)) for m in END.finditer(log)} - done
            done.update(new)
            if new and progress:
                progress.tick(len(new))
        log, how = run_boot(args, at, n, 20 + budget * n, seen, budget)
        plan = re.search(r"ficamp: info: campaign target=\S+ experiments (\d+)\.\.(\d+) "
                         r"seed=(\d+) types=(\S+)", log)
        want = (str(at), str(at + n - 1), str(args.seed), ".".join(t for t in ALL_TYPES + ["none"]
                                                                   if t in args.types))
        if plan and plan.groups() != want:
            raise SystemExit(f"campaign: the system ran {plan.group(0)!r}, not experiments "
                             f"{at}..{at + n - 1} of {want[3]} (its arguments were cut, or "
                             f"the injector's types are not ALL_TYPES)")
        exps = split(log)
        lines = collections.defaultdict(collections.Counter)
        for e, k in workload_lines(log):
            lines[e][k] += 1
        got = []
        for i in range(at, at + n):
            if i not in exps:
                break
            exps[i]["index"] = i
            got.append(classify(args, exps[i], lines))
        if how == "timeout" and got and got[-1]["outcome"] not in ("kernel failure",):
            if got[-1]["lines_ok"] is None:
                got[-1]["outcome"] = "experiment timeout"
        if not got:                     # the boot never reached an experiment
            got.append({"experiment": at, "seed": args.seed + at, "type": None,
                        "outcome": "kernel failure" if KERNEL_FAILURE.search(log)
                        else "experiment timeout"})
        rows += got
        if progress:
            progress.tick(len(got) - len(done & {r["experiment"] for r in got}))
            progress.record([r["outcome"] for r in got])
        at += len(got)
        if args.keep_logs:
            with open(os.path.join(args.out, f"boot-{got[0]['experiment']}.log"), "w") as f:
                f.write(log)
    return rows


def file_id(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()[:16]


def sites_summary(path):
    """Which code sites faults were drawn from: all, or the pruned table's count."""
    if not path:
        return "all"
    with open(path) as f:
        m = re.search(r"# pruned: the (\d+) of (\d+) sites", f.read())
    return f"the {m.group(1)} of {m.group(2)} the workload reaches" if m else path


def build_ids(target, sites=None):
    """What the experiments ran: the target's build id (from its site table) and
    a digest of every boot module, the site table used included, so shards of
    different builds (or coverage) cannot merge."""
    table = os.path.join(qemu.BUILD, f"{target}.sites")
    ids = {f"{target}.sites used": file_id(sites or table)}
    with open(table) as f:
        for line in f:
            if line.startswith("build-id "):
                ids[f"{target}.elf build-id"] = line.split()[1]
                break
    for m in ["kernel", "rs", "ds", "fi", "ficamp"] + TARGETS[target]["services"]:
        ids[m + ".elf"] = file_id(os.path.join(qemu.BUILD, m + ".elf"))
    return ids


REACHED = re.compile(r"fi: info: reached (\w+)((?: [0-9a-f]+)+)")


def pruned_sites(args):
    """The target's site table cut to the sites its workload reaches (measured
    once per build and workload, in a boot of five golden experiments with
    coverage breakpoints), so that code faults are drawn where they can act.
    Kept in build/campaign-sites/; returns its path."""
    full = os.path.join(qemu.BUILD, f"{args.target}.sites")
    with open(full) as f:
        table = f.read()
    key = hashlib.sha256((table + file_id(os.path.join(qemu.BUILD, "ficamp.elf"))
                          + f" lines={args.lines}").encode()).hexdigest()[:16]
    path = os.path.join(qemu.BUILD, "campaign-sites", f"{args.target}.sites")
    if os.path.exists(path):
        with open(path) as f:
            if f"# coverage key {key}\n" in f.read():
                return path
    g = argparse.Namespace(**vars(args))
    g.types, g.cover, g.sites = ["none"], True, None
    log, _ = run_boot(g, 0, 5, 120)
    reached = {int(a, 16) for m in REACHED.finditer(log) if m.group(1) == args.target
               for a in m.group(2).split()}
    lines = table.splitlines(keepends=True)
    sites = [ln for ln in lines if ln.startswith("S ")]
    kept = [ln for ln in sites if int(ln.split()[1], 16) in reached]
    if not kept:
        raise SystemExit(f"campaign: the workload reached none of {args.target}'s sites "
                         f"(coverage failed?)")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.writelines(ln for ln in lines if not ln.startswith("S "))
        f.write(f"# pruned: the {len(kept)} of {len(sites)} sites the workload reaches\n"
                f"# coverage key {key}\n")
        f.writelines(kept)
    return path


def golden(args):
    """The workload without faults: every experiment must have no effect; its
    time per experiment sets the budget of the real ones."""
    g = argparse.Namespace(**vars(args))
    g.types, g.per_boot = ["none"], 5
    t0 = time.monotonic()
    rows = run_slice(g, 0, 5, 30, None)
    per = (time.monotonic() - t0) / 5
    bad = [r for r in rows if r["outcome"] != "no effect"]
    if bad:
        raise SystemExit(f"campaign: the golden run failed: {bad[0]}")
    return max(TARGETS[args.target]["least_s"], 20 * per)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--target", default="uart", help=f"the driver to fault: {', '.join(TARGETS)}")
    ap.add_argument("--types", default="all",
                    help="comma-separated fault types, or all (the default)")
    ap.add_argument("--faults", type=int, default=50)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--lines", type=int, default=8,
                    help="workload requests per experiment (console lines, ARP exchanges or "
                         "blocks written and read)")
    ap.add_argument("--settle", type=int, default=30, help="ms after the workload")
    ap.add_argument("--deadline", type=int, default=500,
                    help="ms a workload write may take before the experiment times out")
    ap.add_argument("--per-boot", type=int, default=100)
    ap.add_argument("--replay", type=int, metavar="SEED", help="one experiment, by its seed")
    ap.add_argument("--shard", default="0/1", metavar="I/N",
                    help="run only the I-th of N equal parts of the campaign (0-based)")
    ap.add_argument("--merge", nargs="+", metavar="DIR",
                    help="join the shards' results in these directories into --out")
    ap.add_argument("--out", default=os.path.join(qemu.BUILD, "campaign"))
    ap.add_argument("--keep-logs", action="store_true")
    ap.add_argument("--all-sites", action="store_true",
                    help="draw code faults from every instruction, not only those the "
                         "workload reaches")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    if args.merge:
        return merge(args.merge, args.out)
    args.types = ALL_TYPES if args.types == "all" else args.types.split(",")
    unknown = [t for t in args.types if t not in ALL_TYPES]
    if unknown:
        raise SystemExit(f"campaign: unknown fault types {unknown}")
    if args.target not in TARGETS:
        raise SystemExit(f"campaign: {args.target!r} is not a target; the targets are "
                         f"{', '.join(TARGETS)}")
    os.makedirs(args.out, exist_ok=True)
    if args.replay is not None:
        args.seed, args.faults, args.jobs = args.replay, 1, 1
    shard = shard_of(args.shard)
    lo, hi = args.faults * shard[0] // shard[1], args.faults * (shard[0] + 1) // shard[1]
    args.sites = None if args.all_sites else pruned_sites(args)
    budget = golden(args)
    progress = Progress(hi - lo, args.quiet)
    jobs = max(1, min(args.jobs, hi - lo))
    bounds = [(lo + (hi - lo) * j // jobs, lo + (hi - lo) * (j + 1) // jobs) for j in range(jobs)]
    t0 = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        parts = pool.map(lambda b: run_slice(args, b[0], b[1] - b[0], budget, progress), bounds)
        rows = sorted((r for part in parts for r in part), key=lambda r: r["experiment"])
    elapsed = time.monotonic() - t0
    progress.show(force=True)
    campaign = {"target": args.target, "types": args.types, "faults": args.faults,
                "seed": args.seed, "lines": args.lines, "jobs": jobs, "elapsed_s": round(elapsed, 1),
                "experiments_per_s": round(len(rows) / elapsed, 2), "build": build_ids(args.target, args.sites),
                "budget_s": round(budget, 1), "shard": list(shard),
                "sites": sites_summary(args.sites)}
    write_results(args.out, campaign, rows)
    counts = collections.Counter(r["outcome"] for r in rows)
    print(f"campaign: {len(rows)} experiments in {elapsed:.0f} s ({campaign['experiments_per_s']}/s): "
          + ", ".join(f"{n} {o}" for o, n in counts.most_common()))
    print(f"campaign: results in {os.path.relpath(args.out, qemu.ROOT)}/ (results.csv, "
          f"results.json, report.html)")
    return rows


def shard_of(text):
    try:
        i, n = map(int, text.split("/"))
    except ValueError:
        raise SystemExit(f"campaign: --shard {text!r}: expected I/N") from None
    if n < 1 or not 0 <= i < n:
        raise SystemExit(f"campaign: --shard {text}: I must be 0..N-1")
    return i, n


# What must be the same in every shard of one campaign.
SAME = ("target", "types", "faults", "seed", "lines", "build")


def merge(dirs, out):
    """Joins shards into one campaign; refuses shards of another build or other
    parameters, a shard twice, or a missing one."""
    parts = []
    for d in dirs:
        with open(os.path.join(d, "results.json")) as f:
            parts.append(json.load(f))
    first = parts[0]["campaign"]
    for d, p in zip(dirs, parts):
        differ = [k for k in SAME if p["campaign"].get(k) != first.get(k)]
        if differ:
            raise SystemExit(f"campaign: {d} is another campaign: its {', '.join(differ)} differ")
    shards = sorted(tuple(p["campaign"]["shard"]) for p in parts)
    n = shards[0][1]
    if shards != [(i, n) for i in range(n)]:
        raise SystemExit(f"campaign: the shards are {shards}, not each of 0..{n - 1} of {n} once")
    rows = sorted((r for p in parts for r in p["experiments"]), key=lambda r: r["experiment"])
    campaign = dict(first, shard=[0, 1], jobs=sum(p["campaign"]["jobs"] for p in parts),
                    elapsed_s=max(p["campaign"]["elapsed_s"] for p in parts))
    campaign["experiments_per_s"] = round(len(rows) / max(campaign["elapsed_s"], 0.1), 2)
    os.makedirs(out, exist_ok=True)
    write_results(out, campaign, rows)
    print(f"campaign: merged {len(parts)} shards, {len(rows)} experiments, into "
          f"{os.path.relpath(out, qemu.ROOT)}/")
    return rows


def write_results(out, campaign, rows):
    import csv
    import report
    keys = ["experiment", "seed", "type", "outcome", "made", "activated", "address", "location",
            "activation", "spread", "detect_us", "recover_us", "lines_ok", "lines_lost", "unknown", "errors",
            "corrupt"]
    with open(os.path.join(out, "results.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=keys, extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow(r)
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump({"campaign": campaign, "experiments": rows}, f, indent=1)
    with open(os.path.join(out, "report.html"), "w") as f:
        f.write(report.html_report(campaign, rows, OUTCOMES, ALL_TYPES))


if __name__ == "__main__":
    main()

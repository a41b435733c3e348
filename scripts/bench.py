#!/usr/bin/env python3
"""Resurgo benchmarks (`make bench`): prints a table and writes build/bench.json.

Each row is measured twice: under plain TCG (guest TSC ticks, host wall-clock ms:
noisy, compare only within one run) and under `-icount shift=0`, where a guest TSC
tick is one executed instruction and repeats exactly run to run."""
import collections
import json
import os
import re
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
import qemu  # noqa: E402
import bench_drivers  # noqa: E402

RUNS = 5
INIT_LUA = (os.path.join(qemu.ROOT, "lua", "init.lua"), "")
READY = re.compile(r"kernel ready \(tsc (\d+), (\d+) since kernel entry\)")
# Under icount the guest TSC counts instructions; sleep=off keeps an idle guest
# from skipping virtual time, so the counts repeat exactly run to run.
ICOUNT = ["-icount", "shift=0,sleep=off"]


def boot_once(boot, icount):
    """One boot to "kernel ready": (guest TSC since reset, since the kernel's entry,
    host ms until the line)."""
    args = qemu.command(boot, "exit=ready", [INIT_LUA], extra=ICOUNT if icount else [])
    b = qemu.Boot(args)
    how = b.wait(lambda log: READY.search(log), timeout=60)
    ms = b.elapsed() * 1000
    b.stop()
    m = READY.search(b.log)
    if how != "match" or not m:
        raise RuntimeError(f"boot ({boot}, icount={icount}) did not reach kernel ready")
    return int(m.group(1)), int(m.group(2)), ms


def summary(values):
    return {"mean": statistics.mean(values), "min": min(values), "max": max(values),
            "stdev": statistics.pstdev(values), "runs": len(values)}


def bench_boot(boot):
    tcg = [boot_once(boot, False) for _ in range(RUNS)]
    icount = [boot_once(boot, True) for _ in range(2)]
    return {
        "what": f"reset to 'kernel ready' via {'GRUB 2 (Multiboot2)' if boot == 'iso' else 'QEMU Multiboot1 loader'}",
        "tsc_ticks": summary([t for t, _, _ in tcg]),
        "wall_ms": summary([ms for _, _, ms in tcg]),
        "icount_instructions": icount[0][0],
        "icount_kernel_instructions": icount[0][1],
        "icount_repeatable": icount[0][:2] == icount[1][:2],
    }


KERNEL_LINE = re.compile(r"bench: (\w+) samples=(\d+) mean=(\d+) min=(\d+) max=(\d+) var=(\d+)")
USER = os.path.join(qemu.BUILD, "user")

# What each kernel benchmark measures (guest TSC ticks per operation).
KERNEL_WHAT = {
    "null_syscall": "RS_SYS_NOP: SYSCALL, dispatch, SYSRET",
    "ipc_call_reply": "call + reply-receive round trip between two address spaces, 1-word "
                      "message, no timeout (the fast path)",
    "ipc_call_bounded": "the same round trip with a 1 s timeout on the call (fast path: "
                        "the reply wait is armed and cancelled)",
    "ipc_call_session": "the same round trip through a capability with a one-page session "
                        "region: mapped into the server on the call, unmapped on the reply",
    "ipc_buffer_80": "round trip carrying 80 bytes (10 words) each way in the buffer",
    "ipc_buffer_4096": "round trip carrying 4 KiB each way in the buffer",
    "ipc_reply_save": "round trip answered through a saved reply: reply-save, send on the "
                      "reply, delete it, receive",
    "notification_latency": "signal to a waiting higher-priority thread until it runs",
    "capfault_delivery": "destroy of a server holding a call until the caller's capability "
                         "fault returns (the caller has the higher priority)",
    "irq_to_user": "COM2 write raising IRQ 3 until the user-mode handler's wait returns",
}
# Kernel path only, as sel4bench reports it: minus the same loop with NOP for SYSCALL.
OVERHEAD_OF = {"null_syscall": "null_syscall_overhead",
               "ipc_call_reply": "ipc_call_reply_overhead",
               "ipc_call_bounded": "ipc_call_reply_overhead",
               "ipc_call_session": "ipc_call_reply_overhead"}


def kernel_run(icount):
    """One boot of the kernel benchmark program; {name: {mean, min, max, stdev}}."""
    extra = ["-serial", "null"] + (ICOUNT if icount else [])
    mods = [(os.path.join(USER, "bench_kernel.elf"), ""), (os.path.join(USER, "bench_srv.elf"), "")]
    b = qemu.Boot(qemu.command("kernel", "root=bench_kernel.elf exit=root", mods, extra=extra))
    how = b.wait(lambda log: "TEST bench" in log, timeout=300)
    b.stop()
    if how != "match" or "TEST bench PASSED" not in b.log:
        raise RuntimeError("kernel benchmark program failed:\n" + b.log[-2000:])
    out = {}
    for m in KERNEL_LINE.finditer(b.log):
        mean, var = int(m.group(3)), int(m.group(6))
        out[m.group(1)] = {"samples": int(m.group(2)), "mean": mean, "min": int(m.group(4)),
                           "max": int(m.group(5)), "stdev": round(var ** 0.5, 1)}
    return out


def bench_kernel():
    tcg, icount = kernel_run(False), kernel_run(True)
    rows = {}
    for name, what in KERNEL_WHAT.items():
        rows[name] = {"what": what, "tsc_ticks": tcg[name],
                      "icount_instructions": icount[name]["mean"],
                      "icount_spread": [icount[name]["min"], icount[name]["max"]]}
        if name in OVERHEAD_OF:
            user = icount[OVERHEAD_OF[name]]["mean"]
            rows[name]["icount_user_loop"] = user
            rows[name]["icount_kernel_path"] = icount[name]["mean"] - user
    return rows


CONSOLE_LINE = re.compile(r"bench: console_throughput bytes=(\d+) us=(\d+) tsc=(\d+) "
                          r"tsc_hz=(\d+) bytes_per_s=(\d+)")


def console_run(icount):
    """Boots the system with the console benchmark client; its numbers."""
    extra = ICOUNT if icount else []
    mods = [(os.path.join(qemu.BUILD, "rs.elf"), "services=ds+uart+conbench"),
            (os.path.join(qemu.BUILD, "ds.elf"), ""),
            (os.path.join(qemu.BUILD, "uart.elf"), ""),
            (os.path.join(USER, "conbench.elf"), "")]
    b = qemu.Boot(qemu.command("kernel", "", mods, extra=extra))
    how = b.wait(lambda log: CONSOLE_LINE.search(log), timeout=300)
    b.stop()
    m = CONSOLE_LINE.search(b.log)
    if how != "match" or not m:
        raise RuntimeError("console benchmark did not finish:\n" + b.log[-2000:])
    return {"bytes": int(m.group(1)), "guest_us": int(m.group(2)), "tsc_ticks": int(m.group(3)),
            "tsc_hz": int(m.group(4)), "bytes_per_s": int(m.group(5))}


def bench_console():
    tcg, icount = console_run(False), console_run(True)
    return {"what": "256 KiB written in 4 KiB calls through the user-mode UART driver to "
                    "the serial port, per second of guest time (timed with the TSC)",
            "tcg": tcg, "icount": icount,
            "icount_instructions_per_byte": round(icount["tsc_ticks"] / icount["bytes"], 1)}


OUTAGES = re.compile(r"outages=(\d+) median_us=(\d+) p99_us=(\d+) max_us=(\d+)")
RESTARTS = 1000


def percentiles(values):
    v = sorted(values)
    return {"count": len(v), "median": v[len(v) // 2], "p99": v[len(v) * 99 // 100],
            "worst": v[-1]}


def crash_boot(name, rs_args, server, client, done=""):
    """Boots ds, `server`, `client` and the crasher under icount with RS's
    arguments rs_args, until the client reports its outages (and `done` is in the
    log); returns the event lines and the client's outage figures."""
    events = os.path.join(qemu.BUILD, f"bench-events-{name}.log")
    mods = [(os.path.join(qemu.BUILD, "rs.elf"), rs_args),
            (os.path.join(qemu.BUILD, "ds.elf"), ""), (os.path.join(qemu.BUILD, server), ""),
            (os.path.join(USER, client), ""), (os.path.join(USER, "crasher.elf"), "")]
    b = qemu.Boot(qemu.command("kernel", "", mods,
                               extra=ICOUNT + ["-debugcon", "file:" + events]))
    how = b.wait(lambda log: OUTAGES.search(log), timeout=900)
    b.stop()
    m = OUTAGES.search(b.log)
    if how != "match" or not m or done not in b.log:
        raise RuntimeError(f"benchmark {name} did not finish:\n" + b.log[-2000:])
    client = dict(zip(("count", "median", "p99", "worst"), map(int, m.groups())))
    return read_events(events), client


def restart_run(kinds, gap):
    """The console driver crashed RESTARTS times (kinds, a pause of 0..gap ms
    between crashes) while a client writes: event lines and client outages."""
    rs_args = ("services=ds+uart+chatter+crasher policy.uart=max=30+window=100+base=0+cap=0 "
               f"args.chatter=until=crash-done args.crasher=count={RESTARTS}+gap={gap}+seed=3"
               f"+kinds={kinds.replace(',', '.')}")
    return crash_boot(kinds.replace(",", "-"), rs_args, "uart.elf", "chatter.elf")


INIT_TIMING = re.compile(r"timing: Lua ready in (\d+) us, the script ran in (\d+) us")
SVC_READY = re.compile(r'"t_us":(\d+),"event":"ready","service":"([a-z]+)"')


def bench_startup():
    """The default system (ds, uart, shell and init running the default init.lua)
    booted under icount: guest time to every service ready, against the bare
    kernel's own boot measured in the same run, and init's Lua start-up."""
    mods = [(os.path.join(qemu.BUILD, m + ".elf"), "") for m in ("rs", "ds", "uart", "shell", "init")]
    mods.append((os.path.join(qemu.ROOT, "lua", "init.lua"), ""))
    b = qemu.Boot(qemu.command("kernel", "", mods, extra=ICOUNT))
    want = {"ds", "uart", "shell", "init"}
    how = b.wait(lambda log: want <= {m.group(2) for m in SVC_READY.finditer(log)}
                 and INIT_TIMING.search(log), timeout=300)
    b.stop()
    k, t = READY.search(b.log), INIT_TIMING.search(b.log)
    if how != "match" or not k or not t:
        raise RuntimeError("start-up benchmark did not finish:\n" + b.log[-2000:])
    ready = {m.group(2): int(m.group(1)) for m in SVC_READY.finditer(b.log)}
    kernel_us = int(k.group(2)) / 1000          # icount shift=0: 1 ns per tick
    entry_us = (int(k.group(1)) - int(k.group(2))) / 1000   # firmware and loader before
    all_up_us = round(max(ready[s] for s in want) - entry_us)   # t_us counts from power-on
    return {"what": "default system under icount, from kernel entry (firmware excluded): "
                    "to kernel ready, to every default service ready; init's Lua start-up",
            "kernel_ready_us": round(kernel_us), "all_services_ready_us": all_up_us,
            "ratio_all_services_to_kernel": round(all_up_us / kernel_us, 1),
            "init_lua_ready_us": int(t.group(1)), "init_script_us": int(t.group(2))}


CHURN = re.compile(r"bench: heap_churn live=(\d+) ops=(\d+) ticks_per_op=(\d+)")
LUA_ALLOC = re.compile(r"bench: lua_alloc calls=(\d+) script_ticks=(\d+) alloc_ticks=(\d+) "
                       r"ticks_per_call=(\d+) peak_kib=(\d+) mapped_kib=(\d+)")


def bench_heap():
    """The heap allocator under icount: a free+malloc pair at three numbers of live
    blocks, and the share of an allocation-heavy Lua script spent in the allocator."""
    mods = [(os.path.join(USER, "luaalloc.elf"), "")]
    b = qemu.Boot(qemu.command("kernel", "root=luaalloc.elf exit=root", mods,
                               extra=["-serial", "null"] + ICOUNT))
    how = b.wait(lambda log: re.search(r"TEST luaalloc (PASSED|FAILED)", log), timeout=600)
    b.stop()
    lua = LUA_ALLOC.search(b.log)
    if how != "match" or "TEST luaalloc PASSED" not in b.log or not lua:
        raise RuntimeError("heap benchmark failed:\n" + b.log[-2000:])
    churn = {int(m.group(1)): int(m.group(3)) for m in CHURN.finditer(b.log)}
    calls, script, alloc, per_call, peak, mapped = map(int, lua.groups())
    return {"what": "free+malloc of 16..512 bytes with N blocks live (instructions per "
                    "pair); tests/lua/alloc.lua through a counting lua_Alloc",
            "churn_instructions_per_pair": churn,
            "churn_ratio_100000_to_100": round(churn[100000] / churn[100], 2),
            "lua_calls": calls, "lua_script_instructions": script,
            "lua_alloc_instructions": alloc, "lua_instructions_per_call": per_call,
            "lua_alloc_share": round(alloc / script, 3),
            "lua_peak_kib": peak, "lua_mapped_kib": mapped}


def print_heap(h):
    c = h["churn_instructions_per_pair"]
    print(f"{'heap churn (instr/pair)':<28} " + ", ".join(f"{n} live: {v}" for n, v in c.items())
          + f" ({h['churn_ratio_100000_to_100']}x from 100 to 100000)")
    print(f"{'heap under Lua':<28} {h['lua_calls']} calls, {h['lua_instructions_per_call']} "
          f"instructions each, {100 * h['lua_alloc_share']:.1f}% of the script's "
          f"{h['lua_script_instructions']}; peak {h['lua_peak_kib']} KiB in use, "
          f"{h['lua_mapped_kib']} KiB mapped")


CAMPAIGN_FAULTS = {"uart": 400, "e1000": 300, "rtl8139": 300, "ne2k": 300, "ata": 300,
                   "virtio_blk": 300}


def bench_campaign():
    """Classified fault-injection experiments per second on this machine (all
    cores), per target driver (the console driver, the three NIC drivers and the
    two block drivers, each with its own workload), and how long DSN'09's 3.4
    million faults would take at the NIC drivers' rate."""
    sys.path.insert(0, os.path.join(qemu.ROOT, "faultinject", "host"))
    import contextlib
    import io
    import campaign
    rows = {}
    for target, faults in CAMPAIGN_FAULTS.items():
        out = os.path.join(qemu.BUILD, f"bench-campaign-{target}")
        with contextlib.redirect_stdout(io.StringIO()):
            campaign.main(["--target", target, "--faults", str(faults), "--seed", "1",
                           "--quiet", "--out", out])
        with open(os.path.join(out, "results.json")) as f:
            c = json.load(f)
        outcomes = collections.Counter(r["outcome"] for r in c["experiments"])
        rows[target] = {"faults": faults, "experiments_per_s": c["campaign"]["experiments_per_s"],
                        "jobs": c["campaign"]["jobs"], "outcomes": dict(outcomes)}
    nic = [rows[t]["experiments_per_s"] for t in ("e1000", "rtl8139", "ne2k")]
    rate = round(len(nic) / sum(1 / r for r in nic), 2)     # one campaign over the three
    return {"what": "faults of every type into each driver, classified, "
                    f"{rows['uart']['jobs']} QEMU instances (wall clock, golden run excluded); "
                    "console: numbered lines; NICs: ARP exchanges through the driver; "
                    "block: 4 KiB blocks written and read back",
            "experiments_per_s": rows["uart"]["experiments_per_s"], "jobs": rows["uart"]["jobs"],
            "per_target": rows, "nic_experiments_per_s": rate,
            "days_for_3_4_million_nic": round(3.4e6 / rate / 86400, 2) if rate else None}


def bench_restart():
    """Recovery after a crash and detection of a hang, in guest microseconds."""
    crashes, client = restart_run("exception,pagefault,exit", 2)
    restarts = [e for e in crashes if e["event"] == "restart" and e["service"] == "uart"]
    hangs, _ = restart_run("hang", 2)
    hung = [e for e in hangs if e["event"] == "failure" and e["reason"] == "hang"]
    return {
        "what": f"{RESTARTS} crashes of the console driver (exception, page fault, exit) "
                f"and {RESTARTS} hangs at a 10 ms heartbeat period, guest time under icount",
        "crash_to_ready_us": percentiles([e["detect_us"] + e["recover_us"] for e in restarts]),
        "detect_to_ready_us": percentiles([e["recover_us"] for e in restarts]),
        "client_outage_us": client,
        "hang_detection_us": percentiles([e["detect_us"] for e in hung]),
    }


def read_events(path):
    """The event lines of a boot (the last may be cut where QEMU was stopped)."""
    out = []
    with open(path) as f:
        for line in f:
            try:
                out.append(json.loads(line))
            except ValueError:
                pass
    return out


def bench_session_recovery():
    """Session recovery after a crash of the key-value server, as its client sees
    it: from a call that met the dead server to the answer of the next
    incarnation, with the session region moved to the new capability and checked
    (guest microseconds under icount)."""
    rs_args = ("services=ds+kv+kvclient+crasher policy.kv=max=32+window=100+base=0+cap=0 "
               f"args.kvclient=until=crash-done+ops=1000000000 args.crasher=target=kv+count={RESTARTS}"
               "+gap=2+seed=3+kinds=exception.pagefault.exit")
    events, outage = crash_boot("kv", rs_args, "kv.elf", "kvclient.elf", "kv sessions intact")
    restarts = [e for e in events if e["event"] == "restart" and e["service"] == "kv"]
    return {"what": f"{RESTARTS} crashes of kv (exception, page fault, exit) while a client "
                    "with two sessions puts, gets and iterates; guest time under icount",
            "client_outage_us": outage,
            "crash_to_ready_us": percentiles([e["detect_us"] + e["recover_us"]
                                              for e in restarts])}


BENCHMARKS = {
    "boot_to_ready_multiboot1": lambda: bench_boot("kernel"),
    "boot_to_ready_grub": lambda: bench_boot("iso"),
}


def bench_driver_rows():
    """The drivers' block, network and recovery benchmarks (bench_drivers.py)."""
    rows = {}
    for drv in ("ata", "virtio_blk"):
        rows[f"block_{drv}"] = bench_drivers.bench_block(drv)
    for drv, model in bench_drivers.NICS:
        rows[f"net_{drv}"] = bench_drivers.bench_net(drv, model)
    rows["recovery"] = {
        "ata": bench_drivers.bench_recovery("ata", read_events, percentiles,
                                            bench_drivers.DISKS["ata"](bench_drivers.disk("rec-ata"))),
        "virtio_blk": bench_drivers.bench_recovery(
            "virtio_blk", read_events, percentiles,
            bench_drivers.DISKS["virtio_blk"](bench_drivers.disk("rec-virtio"))),
    }
    for drv, model in bench_drivers.NICS:
        rows["recovery"][drv] = bench_drivers.bench_recovery(
            drv, read_events, percentiles, ["-nic", "none", "-device", model])
    return rows


def print_driver_rows(rows):
    for drv in ("ata", "virtio_blk"):
        b = rows[f"block_{drv}"]
        for d in ("write_4k", "read_4k"):
            p, r = b["plain"][d], b["restarted"][d]
            print(f"{'block ' + drv + ' ' + d:<28} {p['kib_per_s']} KiB/s, median {p['median_us']} "
                  f"us, p99 {p['p99_us']} us; restarted every {bench_drivers.RESTART_EVERY}: "
                  f"{r['kib_per_s']} KiB/s ({r['kib_per_s'] / max(1, p['kib_per_s']):.2f}x)")
    for drv, _ in bench_drivers.NICS:
        n = rows[f"net_{drv}"]
        print(f"{'net ' + drv + ' (TCG, wall)':<28} UDP {n['plain']['udp']['per_s']} echoes/s, "
              f"TCP {n['plain']['tcp']['kib_per_s']} KiB/s; crashed every 0..{bench_drivers.CRASH_GAP}"
              f" ms ({n['restarted']['restarts']} restarts): {n['ratio_udp']}x UDP, "
              f"{n['ratio_tcp']}x TCP")
    for drv, r in rows["recovery"].items():
        print(f"{drv + ' crash to ready (us)':<28} median {r['median']}, p99 {r['p99']}, "
              f"worst {r['worst']} over {r['count']}")


def qemu_version():
    out = subprocess.run([qemu.BASE_ARGS[0], "--version"], capture_output=True, text=True)
    return out.stdout.splitlines()[0] if out.stdout else "unknown"


def main():
    if sys.argv[1:] == ["heap"]:            # one benchmark alone, for a quick look
        print_heap(bench_heap())
        return
    if sys.argv[1:] == ["campaign"]:
        print(bench_campaign())
        return
    if sys.argv[1:] == ["session"]:
        print(bench_session_recovery())
        return
    if sys.argv[1:] == ["drivers"]:
        print(json.dumps(bench_driver_rows(), indent=1))
        return
    if sys.argv[1:] == ["kernel"]:
        for name, row in bench_kernel().items():
            print(name, row["icount_instructions"], row.get("icount_kernel_path", ""))
        return
    results = {}
    print(f"{'benchmark':<28} {'TSC ticks (mean)':>18} {'wall ms (mean)':>15} "
          f"{'instructions (icount)':>22} {'kernel path':>12}")
    for name, fn in BENCHMARKS.items():
        r = fn()
        results[name] = r
        print(f"{name:<28} {r['tsc_ticks']['mean']:>18.0f} {r['wall_ms']['mean']:>15.1f} "
              f"{r['icount_instructions']:>22} {r['icount_kernel_instructions']:>12}")
    for name, r in bench_kernel().items():
        results[name] = r
        kernel = r.get("icount_kernel_path", "")
        print(f"{name:<28} {r['tsc_ticks']['mean']:>18.0f} {'':>15} "
              f"{r['icount_instructions']:>22} {kernel:>12}")
    con = bench_console()
    results["console_throughput"] = con
    print(f"{'console_throughput':<28} {con['tcg']['bytes_per_s']:>12} B/s guest (TCG), "
          f"{con['icount']['bytes_per_s']} B/s guest under icount "
          f"({con['icount_instructions_per_byte']} instructions per byte)")
    up = bench_startup()
    results["startup"] = up
    print(f"{'startup':<28} kernel ready {up['kernel_ready_us']} us, all services ready "
          f"{up['all_services_ready_us']} us ({up['ratio_all_services_to_kernel']}x); "
          f"init: Lua {up['init_lua_ready_us']} us, init.lua {up['init_script_us']} us")
    heap = bench_heap()
    results["heap"] = heap
    print_heap(heap)
    camp = bench_campaign()
    results["campaign"] = camp
    per = ", ".join(f"{t} {r['experiments_per_s']}" for t, r in camp["per_target"].items())
    print(f"{'fault-injection campaign':<28} classified experiments/s on {camp['jobs']} QEMUs: "
          f"{per}; 3.4 M NIC faults in {camp['days_for_3_4_million_nic']} days")
    rst = bench_restart()
    results["restart"] = rst
    for key, label in (("crash_to_ready_us", "crash to ready (us)"),
                       ("detect_to_ready_us", "detection to ready (us)"),
                       ("client_outage_us", "client outage (us)"),
                       ("hang_detection_us", "hang detection, 10 ms (us)")):
        r = rst[key]
        print(f"{label:<28} median {r['median']}, p99 {r['p99']}, worst {r['worst']} "
              f"over {r['count']}")
    ses = bench_session_recovery()
    results["session_recovery"] = ses
    for key, label in (("client_outage_us", "session recovery (us)"),
                       ("crash_to_ready_us", "kv crash to ready (us)")):
        r = ses[key]
        print(f"{label:<28} median {r['median']}, p99 {r['p99']}, worst {r['worst']} "
              f"over {r['count']}")
    drv = bench_driver_rows()
    results["drivers"] = drv
    print_driver_rows(drv)
    ipc = results["ipc_call_reply"]
    print(f"IPC call+reply round trip: {ipc['icount_kernel_path']} kernel instructions "
          f"({ipc['icount_instructions']} with the user loop) under -icount shift=0; "
          f"seL4's fast path in the same QEMU: 443 (kernel path, sel4bench)")
    bounded = results["ipc_call_bounded"]["icount_instructions"]
    print(f"bounded-timeout call: {bounded} instructions, "
          f"{bounded / ipc['icount_instructions']:.2f}x the unbounded one")
    ses = results["ipc_call_session"]
    print(f"call with a session region mapped and unmapped: {ses['icount_kernel_path']} kernel "
          f"instructions, {ses['icount_kernel_path'] / ipc['icount_kernel_path']:.2f}x the plain "
          f"call's kernel path (goal: 1.3x)")
    out = {"schema": 2, "qemu": qemu_version(), "benchmarks": results,
           "reference": {"sel4_ipc_call_reply_icount": 443}}
    path = os.path.join(qemu.BUILD, "bench.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=2)
    print(f"wrote {os.path.relpath(path, qemu.ROOT)}")


if __name__ == "__main__":
    main()

"""The device drivers' benchmarks (part of `make bench`, scripts/bench.py):

- block: 4 KiB writes and reads through each block driver, guest time under
  icount, and the same workload with the driver crashed (and restarted by RS)
  before every RESTART_EVERY-th request: throughput as a ratio of the two;
- network: UDP echo and a TCP echo stream from the host through lwIP over each
  NIC driver (plain TCG, host wall clock: compare only within one run), and the
  same with the driver crashed every CRASH_GAP ms or so: the ratio;
- recovery: each driver's crash-to-ready time from RS's events, under icount."""
import os
import re
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "system"))
import qemu  # noqa: E402
from net_support import free_port, user_net, READY as NET_READY  # noqa: E402
import netload  # noqa: E402

ICOUNT = ["-icount", "shift=0,sleep=off"]
USER = os.path.join(qemu.BUILD, "user")
DATA = os.path.join(qemu.BUILD, "tests", "data")
BLOCK_OPS = 512
RESTART_EVERY = 64
RECOVERIES = 200
CRASH_GAP = 200
NICS = (("e1000", "e1000"), ("rtl8139", "rtl8139"), ("ne2k", "ne2k_pci"))
BLOCK_LINE = re.compile(r"bench: block_(\w+) requests=(\d+) us=(\d+) kib_per_s=(\d+) "
                        r"median_us=(\d+) p99_us=(\d+)\r?\n")     # whole lines only
DISKS = {
    "ata": lambda p: ["-drive", f"file={p},format=raw,if=ide,index=0,media=disk"],
    "virtio_blk": lambda p: ["-drive", f"file={p},if=none,id=vd0,format=raw", "-device",
                             "virtio-blk-pci,drive=vd0,disable-legacy=on,iommu_platform=on"],
}


def disk(name):
    os.makedirs(DATA, exist_ok=True)
    path = os.path.join(DATA, f"bench-{name}.img")
    with open(path, "wb") as f:
        f.truncate(8 << 20)
    return path


def boot(services, rs_args, components, users, extra, until, timeout=600):
    mods = ([(os.path.join(qemu.BUILD, "rs.elf"), f"services={services} {rs_args}")]
            + [(os.path.join(qemu.BUILD, c + ".elf"), "") for c in components]
            + [(os.path.join(USER, u + ".elf"), "") for u in users])
    b = qemu.Boot(qemu.command("kernel", "", mods, extra=extra))
    how = b.wait(lambda log: re.search(until, log), timeout=timeout)
    b.stop()
    if how != "match":
        raise RuntimeError(f"benchmark boot {services} did not finish:\n" + b.log[-2000:])
    return b.log


def block_run(driver, every):
    args = (f"policy.{driver}=max=32+window=100+base=0+cap=0 "
            f"args.blkbench=ops={BLOCK_OPS}+every={every}+target={driver}")
    log = boot(f"ds+pci+{driver}+blkbench", args, ("ds", "uart", "pci", driver), ("blkbench",),
               ICOUNT + DISKS[driver](disk(driver)), r"bench: block_read_4k [^\n]*\n|blkbench: error")
    rows = {m.group(1): dict(zip(("requests", "us", "kib_per_s", "median_us", "p99_us"),
                                 map(int, m.groups()[1:])))
            for m in BLOCK_LINE.finditer(log)}
    if set(rows) != {"write_4k", "read_4k"}:
        raise RuntimeError(f"blkbench on {driver} did not report:\n" + log[-1500:])
    return rows


def bench_block(driver):
    plain, crashed = block_run(driver, 0), block_run(driver, RESTART_EVERY)
    return {"what": f"{BLOCK_OPS} 4 KiB writes then reads through {driver}, guest time under "
                    f"icount; 'restarted': the driver crashed before every {RESTART_EVERY}th "
                    "request",
            "plain": plain, "restarted": crashed,
            "ratio_write": round(crashed["write_4k"]["kib_per_s"]
                                 / max(1, plain["write_4k"]["kib_per_s"]), 3),
            "ratio_read": round(crashed["read_4k"]["kib_per_s"]
                                / max(1, plain["read_4k"]["kib_per_s"]), 3)}


def net_run(driver, model, crash):
    port = free_port()
    services = f"ds+pci+{driver}+net" + ("+fi+crasher" if crash else "")
    args = (f"policy.{driver}=max=32+window=100+base=0+cap=0 "
            f"args.crasher=target={driver}+count=100000+gap={CRASH_GAP}+seed=3+delay=500"
            "+kinds=exception.pagefault.exit" if crash else "")
    comps = ["ds", "uart", "pci", driver, "net"] + (["fi"] if crash else [])
    mods = ([(os.path.join(qemu.BUILD, "rs.elf"), f"services={services} {args}")]
            + [(os.path.join(qemu.BUILD, c + ".elf"), "") for c in comps]
            + ([(os.path.join(USER, "crasher.elf"), "")] + [(os.path.join(qemu.BUILD, m), "")
                                                          for m in ("uart.sites", "ds.sites")]
               if crash else []))
    b = qemu.Boot(qemu.command("kernel", "", mods, extra=user_net(model, port)))
    if b.wait(lambda log: re.search(NET_READY, log), 30) != "match":
        b.stop()
        raise RuntimeError(f"lwIP over {driver} did not come up:\n" + b.log[-1500:])
    out = {}

    def work():
        time.sleep(1.0 if crash else 0.2)
        t0 = time.monotonic()
        u = netload.udp_echo(port, 300, size=512)
        out["udp"] = dict(u, per_s=round(u["answered"] / (time.monotonic() - t0), 1))
        t0 = time.monotonic()
        t = netload.tcp_stream(port, 2 << 20)
        out["tcp"] = dict(t, kib_per_s=round(t["received"] / 1024 / (time.monotonic() - t0), 1))

    th = threading.Thread(target=work, daemon=True)
    th.start()
    while th.is_alive():
        b.drain(0.5)
    crashes = len(re.findall(rf'"event":"restart","service":"{driver}"', b.log))
    b.stop()
    out["restarts"] = crashes
    return out


def bench_net(driver, model):
    plain, crashed = net_run(driver, model, False), net_run(driver, model, True)
    return {"what": f"host to lwIP over {driver} through QEMU's user network (TCG, wall clock): "
                    "300 UDP echoes of 512 bytes and a 2 MiB TCP echo stream; 'restarted': "
                    f"the driver crashed every 0..{CRASH_GAP} ms",
            "plain": plain, "restarted": crashed,
            "ratio_udp": round(crashed["udp"]["per_s"] / max(0.1, plain["udp"]["per_s"]), 3),
            "ratio_tcp": round(crashed["tcp"]["kib_per_s"] / max(0.1, plain["tcp"]["kib_per_s"]),
                               3)}


def bench_recovery(driver, read_events, percentiles, extra, client=None):
    """RECOVERIES crashes of driver under icount (no client needed: RS restarts it);
    crash to ready from the event channel."""
    events = os.path.join(qemu.BUILD, f"bench-events-recovery-{driver}.log")
    args = (f"policy.{driver}=max=32+window=100+base=0+cap=0 "
            f"args.crasher=target={driver}+count={RECOVERIES}+gap=2+seed=3"
            "+kinds=exception.pagefault.exit")
    boot(f"ds+pci+{driver}+crasher", args, ("ds", "uart", "pci", driver), ("crasher",),
         ICOUNT + extra + ["-debugcon", "file:" + events],
         rf"crasher: info: {RECOVERIES} crashes of {driver}")
    restarts = [e for e in read_events(events) if e["event"] == "restart"
                and e["service"] == driver and e.get("recover_us") is not None]
    return percentiles([e["detect_us"] + e["recover_us"] for e in restarts])

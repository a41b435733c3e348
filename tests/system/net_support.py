"""The network cases' parts: host ports for QEMU's user-mode forwarding, and the
case driver that runs the host-side workload (tests/host/netload.py) against the
guest's echo services while QEMU's log keeps being read."""
import os
import re
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "host"))
import netload  # noqa: E402

READY = r"net: info: lwIP [\d.]+ at 10\.0\.2\.15, UDP and TCP echo on port 7"


def free_port():
    """A loopback port nothing listens on now (UDP and TCP both free)."""
    for _ in range(50):
        t, u = socket.socket(), socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            t.bind(("127.0.0.1", 0))
            port = t.getsockname()[1]
            u.bind(("127.0.0.1", port))
            return port
        except OSError:
            continue
        finally:
            t.close()
            u.close()
    raise RuntimeError("no free loopback port")


def user_net(model, port):
    """QEMU's user-mode network on loopback only, with UDP and TCP port `port` of
    the host forwarded to the guest's echo port, on a NIC of `model`."""
    fwd = f"hostfwd=udp:127.0.0.1:{port}-10.0.2.15:7,hostfwd=tcp:127.0.0.1:{port}-10.0.2.15:7"
    return ["-nic", "none", "-netdev", f"user,id=n0,{fwd}",
            "-device", f"{model},netdev=n0"]


def run_net_load(port_of, udp=200, tcp=1 << 20, until=None, timeout=200.0):
    """A case driver: once the network server is up, UDP echo of `udp` datagrams and
    a TCP stream of `tcp` bytes, repeated until `until` appears in the log (or once);
    None when every datagram and byte came back once and right, else why not."""
    def driver(boot):
        if boot.wait(lambda log: re.search(READY, log), 30) != "match":
            return "the network server did not come up"
        port = port_of()
        totals = dict(rounds=0, udp_answered=0, udp_lost=0, udp_dup=0, udp_corrupt=0,
                      udp_retries=0, tcp_bytes=0, tcp_lost=0, tcp_dup=0, tcp_corrupt=0)
        failed = []

        def work():
            while True:
                u = netload.udp_echo(port, udp, seed=totals["rounds"] + 1)
                t = netload.tcp_stream(port, tcp, seed=totals["rounds"] + 100)
                totals["rounds"] += 1
                for k, v in (("udp_answered", u["answered"]), ("udp_lost", u["lost"]),
                             ("udp_dup", u["duplicated"]), ("udp_corrupt", u["corrupt"]),
                             ("udp_retries", u["retries"]), ("tcp_bytes", t["received"]),
                             ("tcp_lost", t["lost"]), ("tcp_dup", t["duplicated"]),
                             ("tcp_corrupt", t["corrupt"])):
                    totals[k] += v
                if t.get("error"):
                    failed.append(t["error"])
                if t.get("first_bad") is not None:
                    failed.append(f"TCP stream of round {totals['rounds']} wrong {t['where']}")
                if not until or re.search(until, boot.log) or failed:
                    return

        th = threading.Thread(target=work, daemon=True)
        th.start()
        end = time.monotonic() + timeout
        while th.is_alive() and time.monotonic() < end:
            boot.drain(0.5)
        if th.is_alive():
            return "the host workload did not finish in time"
        t = totals
        boot.note(f"host: {t['rounds']} rounds: UDP {t['udp_answered']} echoed "
                  f"({t['udp_retries']} sent again), {t['udp_lost']} lost, {t['udp_dup']} "
                  f"duplicated, {t['udp_corrupt']} corrupt; TCP {t['tcp_bytes']} bytes back, "
                  f"{t['tcp_lost']} lost, {t['tcp_dup']} duplicated, {t['tcp_corrupt']} corrupt")
        bad = [k for k in ("udp_lost", "udp_corrupt", "tcp_lost", "tcp_dup", "tcp_corrupt")
               if t[k]] + failed
        return f"the host workload saw {', '.join(bad)}" if bad else None
    return driver

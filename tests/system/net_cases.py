"""System tests of the network stack: lwIP in the network server (servers/net) over
a NIC driver, with the host-side workload (tests/host/netload.py) talking UDP and
TCP to it through QEMU's user-mode network on loopback, checking every byte."""
import os

from support import BUILD, Case, events_file, system_boot
from net_support import free_port, run_net_load, user_net

Q35_IOMMU = ["-machine", "q35", "-device", "intel-iommu"]
FORBID = [r"KERNEL PANIC", r"net: error", r"\"event\":\"failure\",\"service\":\"net\""]
SITES = [(os.path.join(BUILD, m), "") for m in ("uart.sites", "ds.sites")]


def echo_case(name, what, driver, model, machine=(), udp=200, tcp=1 << 20):
    port = free_port()
    return Case(
        name, what,
        [rf"{driver}: info: .*MAC 52:54:00:12:34:56", r"net: info: lwIP 2\.1\.3 at 10\.0\.2\.15",
         r"host: 1 rounds: UDP \d+ echoed .* 0 lost, \d+ duplicated, 0 corrupt; TCP \d+ bytes "
         r"back, 0 lost, 0 duplicated, 0 corrupt"],
        cmdline="", modules=system_boot(f"ds+uart+pci+{driver}+net",
                                        with_components=("pci", driver, "net")),
        extra=list(machine) + user_net(model, port), exit=None, until=r"host: \d+ rounds",
        driver=run_net_load(lambda: port, udp, tcp),
        forbid=FORBID + [rf"\"event\":\"failure\",\"service\":\"{driver}\""], timeout=90)


def crash_case(name, what, driver, model, machine=(), crashes=300):
    port = free_port()
    return Case(
        name, what,
        [rf"crasher: info: {crashes} crashes of {driver} injected",
         r"host: \d+ rounds: UDP \d+ echoed .* 0 lost, \d+ duplicated, 0 corrupt; TCP \d+ "
         r"bytes back, 0 lost, 0 duplicated, 0 corrupt"],
        cmdline="", modules=system_boot(
            f"ds+uart+pci+{driver}+net+fi+crasher", ["crasher"],
            f"policy.{driver}=max=32+window=100+base=0+cap=0 "
            f"args.crasher=target={driver}+count={crashes}+gap=50+seed=9+delay=300"
            "+kinds=exception.pagefault.exit.hang.anywhere.ficrash.fispin",
            with_components=("pci", driver, "net", "fi")) + SITES,
        extra=list(machine) + user_net(model, port) + ["-debugcon", "file:" + events_file(name)],
        exit=None, until=r"host: \d+ rounds",
        driver=run_net_load(lambda: port, udp=50, tcp=256 << 10,
                            until=rf"crasher: info: {crashes} crashes", timeout=220),
        forbid=FORBID + [r"\"event\":\"degraded\"", r"dma-fault"], timeout=240)


def once_case(driver, model, machine=()):
    """A crash between the device taking a frame and the answer, made on purpose
    (the driver's crash_send=N), after malformed calls."""
    return Case(
        f"{driver}_send_at_most_once",
        f"the {driver} driver fails on purpose right after its card took the 5th frame sent, "
        "before answering: libsys sends the call again, and the new incarnation answers it "
        "from the client's session without sending the frame a second time; before that, "
        "sends of 13 and 1515 bytes and a recv with too little room are refused (RS_E_RANGE)",
        [r"ethping: info: bad input refused: sends of 13 and 1515 bytes, a recv with room "
         r"for 14 \(RS_E_RANGE each\)",
         rf"{driver}: error: failing on purpose: send 5 is the device's, not yet answered",
         rf'"event":"failure","service":"{driver}","incarnation":1',
         rf'"event":"restart","service":"{driver}","incarnation":2',
         rf"{driver}: info: a send cut short by a crash had reached the device: not sent again",
         r"ethping: info: ARP through the driver: 20 asked, 20 answered \(\d+ asked again\), "
         r"0 wrong, 0 errors"],
        cmdline="", modules=system_boot(f"ds+uart+pci+{driver}+ethping", ["ethping"],
                                        f"args.{driver}=crash_send=5 args.ethping=count=20+bad=1",
                                        with_components=("pci", driver)),
        extra=list(machine) + user_net(model, free_port()), exit=None,
        until=r"ethping: (info: ARP through|error)",
        forbid=[r"KERNEL PANIC", r"ETHERNET BROKEN", r"BAD INPUT", r"\"event\":\"degraded\""],
        timeout=60)


NET_CASES = [
    echo_case("net_e1000_udp_tcp_echo",
              "lwIP over the e1000 driver answers the host through QEMU's user network: "
              "200 UDP datagrams echoed, none lost or corrupt, and a 1 MiB TCP stream back "
              "byte for byte",
              "e1000", "e1000"),
    crash_case("net_e1000_crashes_under_traffic",
               "the e1000 driver, its DMA fenced by the IOMMU on q35, is crashed 300 times of "
               "every kind while the host sends UDP datagrams and TCP streams through lwIP: "
               "every datagram is echoed (some sent again), every TCP byte comes back once and "
               "right, lwIP never restarts, and no DMA strays",
               "e1000", "e1000", Q35_IOMMU),
    echo_case("net_ne2k_udp_tcp_echo",
              "lwIP over the NE2000 driver (programmed I/O through the chip's remote DMA "
              "port, no DMA into host memory): 200 UDP datagrams and a 1 MiB TCP stream, all "
              "back once and right",
              "ne2k", "ne2k_pci"),
    crash_case("net_ne2k_crashes_under_traffic",
               "the NE2000 driver is crashed 300 times of every kind while the host sends UDP "
               "datagrams and TCP streams through lwIP: each restart resets the chip, every "
               "datagram is echoed, every TCP byte comes back once and right",
               "ne2k", "ne2k_pci"),
    echo_case("net_rtl8139_udp_tcp_echo",
              "lwIP over the RTL8139 driver (a receive ring the chip writes by DMA, in a frame "
              "granted to it): 200 UDP datagrams and a 1 MiB TCP stream, all back once and "
              "right",
              "rtl8139", "rtl8139"),
    crash_case("net_rtl8139_crashes_under_traffic",
               "the RTL8139 driver, its DMA fenced by the IOMMU on q35, is crashed 300 times of "
               "every kind while the host sends UDP datagrams and TCP streams through lwIP: each "
               "restart resets the chip and grants it a fresh ring, every datagram is echoed, "
               "every TCP byte comes back once and right, and no DMA strays",
               "rtl8139", "rtl8139", Q35_IOMMU),
    *[once_case(d, m, x) for d, m, x in (("e1000", "e1000", Q35_IOMMU),
                                         ("rtl8139", "rtl8139", Q35_IOMMU),
                                         ("ne2k", "ne2k_pci", []))],
    Case("ethping_e1000_crashes",
         "ARP through the e1000 driver alone (no lwIP) while it is crashed 150 times of every "
         "kind: every request answered (some asked again), none wrongly",
         [r"crasher: info: 150 crashes of e1000 injected",
          r"ethping: info: ARP through the driver: \d+ asked, \d+ answered \(\d+ asked again\), "
          r"0 wrong, 0 errors"],
         cmdline="", modules=system_boot(
             "ds+uart+pci+e1000+ethping+fi+crasher", ["ethping", "crasher"],
             "policy.e1000=max=32+window=100+base=0+cap=0 args.ethping=until=crash-done "
             "args.crasher=target=e1000+count=150+gap=20+seed=4+delay=300"
             "+kinds=exception.pagefault.exit.hang.anywhere.ficrash.fispin",
             with_components=("pci", "e1000", "fi")) + SITES,
         extra=user_net("e1000", free_port()), exit=None,
         until=r"ethping: (info: ARP through|error)",
         forbid=[r"KERNEL PANIC", r"ETHERNET BROKEN", r"\"event\":\"degraded\""], timeout=120),
]

"""System tests of the PCI server, the PCI drivers and DMA isolation: each boots
QEMU with the real device models (the default `pc` machine, or `q35` with
intel-iommu for the IOMMU), and reads the serial log and RS's events."""
import os
import subprocess

from support import BUILD, Case, DATA, check_block_run, events_file, system_boot



def virtio_disk(name, fill=b"\xcc"):
    """A case's own disk (QEMU locks an image: parallel cases cannot share one): the
    prepare callable that makes it fresh, and QEMU's arguments for it as a modern
    virtio-blk device (1af4:1042) whose DMA goes through the IOMMU (iommu_platform)."""
    path = os.path.join(DATA, name + ".img")
    return (lambda: make_disk(path, fill=fill),
            ["-drive", f"file={path},if=none,id=vd0,format=raw",
             "-device", "virtio-blk-pci,drive=vd0,disable-legacy=on,iommu_platform=on"])
Q35_IOMMU = ["-machine", "q35", "-device", "intel-iommu"]
KERNEL_VMA = 0xFFFFFFFF80000000


def make_disk(path, mib=8, fill=b"\xcc"):
    """A fresh raw disk: its first 4 KiB `fill` (int3 instructions: should a
    device's DMA land on kernel code, the next pass through it traps), zeros after."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(fill * 4096)
        f.truncate(mib << 20)


def kernel_code_page():
    """The physical page of the kernel's system-call entry: every system call runs it."""
    out = subprocess.run(["nm", os.path.join(BUILD, "kernel.elf")], capture_output=True,
                         text=True, check=True).stdout
    addr = next(int(line.split()[0], 16) for line in out.splitlines()
                if line.endswith(" syscall_entry"))
    return (addr - KERNEL_VMA) & ~0xFFF


def evil_args():
    try:
        return f"args.virtio_blk=evil={kernel_code_page():#x}"
    except (OSError, subprocess.CalledProcessError, StopIteration):
        return "args.virtio_blk=evil=0x110000"      # the build is missing: the case fails


BLOCK_INTACT = (r"blkclient: info: block workload intact: \d+ writes, \d+ reads, [1-9]\d+ bytes "
                r"verified, \d+ rounds, 0 lost, 0 duplicated, 0 corrupt, 0 unknown, 0 errors")
BLOCK_END = r"blkclient: (info: (block workload|BLOCK)|error)"
BLOCK_FORBID = [r"KERNEL PANIC", r"BLOCK DATA BROKEN", r"blkclient: error"]


def virtio_crash_case(name, what, machine, crashes):
    """virtio-blk crashed `crashes` times of every kind under the block workload."""
    return Case(
        name, what,
        [r'"event":"inject","service":"virtio_blk","incarnation":\d+,"reason":"crash"',
         rf"crasher: info: {crashes} crashes of virtio_blk injected", BLOCK_INTACT,
         r"host: \d+ writes"],
        cmdline="", modules=system_boot(
            "ds+pci+virtio_blk+blkclient+fi+crasher", ["blkclient", "crasher"],
            "policy.virtio_blk=max=32+window=100+base=0+cap=0 "
            f"args.crasher=target=virtio_blk+count={crashes}+gap=5+seed=11+delay=50"
            "+kinds=exception.pagefault.exit.hang.anywhere.ficrash.fispin "
            "args.blkclient=until=crash-done+blocks=128+seed=5",
            with_components=("pci", "virtio_blk", "fi"))
        + [(os.path.join(BUILD, m), "") for m in ("uart.sites", "ds.sites")],
        prepare=virtio_disk(name, b"\0")[0],
        extra=machine + virtio_disk(name)[1] + ["-debugcon", "file:" + events_file(name)],
        exit=None, until=BLOCK_END, driver=check_block_run(name, crashes, "virtio_blk"),
        forbid=BLOCK_FORBID + [r"\"event\":\"degraded\"", r"svc_crash virtio_blk failed",
                               r"dma-fault"],
        timeout=240)


DRIVER_CASES = [
    Case("pci_lists_devices",
         "the PCI server enumerates QEMU's bus through the configuration ports, sizes the "
         "BARs (the IDE channel's compatibility ports, memory and I/O BARs), and `pci` at "
         "the shell lists every function with the driver that opened it; the boot says "
         "that without an IOMMU DMA drivers are trusted",
         [r"iommu: none: DMA is not fenced, drivers of DMA devices are trusted",
          r"pci: info: 00:01\.1 8086:7010 class 01\.01\.80 irq 14 bar0 io 0x1f0/0x8 "
          r"bar1 io 0x3f6/0x1 bar4 io 0x[0-9a-f]+/0x10",
          r"virtio_blk: info: virtio-blk 00:0\d\.0: 16384 sectors \(8192 KiB\).*DMA not "
          r"fenced \(no IOMMU\): trusted",
          r"resurgo> pci\r?\n\d+ PCI functions",
          r"00:03\.0 8086:100e class 02\.00\.00 irq 11 bar0 mem 0xfebc0000/0x20000 bar1 io "
          r"0x[0-9a-f]+/0x40 driver -",
          r"00:0\d\.0 1af4:1042 class 01\.00\.00 irq \d+ .*bar4 mem 0x[0-9a-f]+/0x4000 "
          r"driver virtio_blk"],
         cmdline="", modules=system_boot("ds+uart+pci+virtio_blk+shell",
                                         with_components=("pci", "virtio_blk")),
         prepare=virtio_disk("pci_lists_devices")[0], extra=virtio_disk("pci_lists_devices")[1],
         exit=None, until=r"driver virtio_blk",
         steps=[(r"resurgo> ", "pci\r")], timeout=30),
    Case("pci_hostile_driver_refused",
         "a hostile driver declared for the e1000 may open only that device, gets only its "
         "BARs (no port or page outside them), may write only its own configuration fields "
         "(never a BAR, its line, the ROM or device registers), grants its device only DMA "
         "frames, one DMA object at a time; the data store's copy of the PCI server's "
         "endpoint may only list; reading another device's port is a fault of the driver "
         "alone",
         [r"TEST pcievil PASSED \(\d+ checks\)",
          r"pcievil: info: reading port 0x1f0, which is not mine",
          r"fault: task 'pcievil\.elf' \(id \d+\): general protection fault",
          r'"event":"failure","service":"pcievil","incarnation":1,"reason":"exception"'],
         cmdline="", modules=system_boot("ds+uart+pci+pcievil", ["pcievil"],
                                         "args.pcievil=touch=0x1f0", with_components=("pci",)),
         exit=None, until=r'"event":"failure","service":"pcievil"',
         forbid=[r"KERNEL PANIC", r"CHECK FAILED", r"PORT ISOLATION BROKEN"], timeout=30),
    Case("pci_claims_survive_its_restart",
         "the PCI server, crashed and restarted while the e1000's driver holds its device, "
         "takes back who holds what from its keep frame: a second driver declared for the "
         "same device ID, started after the restart, is refused the device (RS_E_BUSY)",
         [r"pci: info: 00:0\d\.0 8086:100e opened by service \d+",
          r'"event":"failure","service":"pci","incarnation":1',
          r"pci: info: 1 devices still held by the drivers that opened them",
          r"pcievil: info: the PCI server has been restarted",
          r'"event":"restart","service":"pcievil","incarnation":2',
          r"TEST pcievil PASSED \(\d+ checks\)"],
         cmdline="", modules=system_boot(
             "ds+uart+pci+e1000+pcievil+crasher", ["pcievil", "crasher"],
             "policy.pcievil=type=permanent+max=3+window=1000 args.pcievil=held=1 "
             "args.crasher=target=pci+count=1+gap=1+seed=1+delay=500+kinds=exception",
             with_components=("pci", "e1000")),
         exit=None, until=r"TEST pcievil (PASSED|FAILED)",
         forbid=[r"KERNEL PANIC", r"CHECK FAILED", r"\"event\":\"degraded\""], timeout=40),
    Case("iommu_grants_on_q35",
         "on q35 with intel-iommu the kernel finds the VT-d unit in the ACPI DMAR table and "
         "turns translation on; the hostile driver's refusals hold there too, and its DMA "
         "object says its grants are enforced",
         [r"iommu: VT-d at 0xfed90000, \d-level tables",
          r"pcievil: info: DMA fenced by the IOMMU", r"TEST pcievil PASSED"],
         cmdline="", modules=system_boot("ds+uart+pci+pcievil", ["pcievil"],
                                         with_components=("pci",)),
         extra=Q35_IOMMU + ["-nic", "none", "-device", "e1000"],
         exit=None, until=r'"event":"stop","service":"pcievil"',
         forbid=[r"KERNEL PANIC", r"CHECK FAILED"], timeout=30),
    Case("iommu_stops_dma_into_the_kernel",
         "a corrupted virtio-blk driver points its device's DMA (a disk read of int3 "
         "bytes) at the kernel's system-call code: the IOMMU refuses the write, the kernel "
         "names the device and the driver, the driver faults (dma-fault) and RS restarts "
         "it, and the kernel runs on untouched (every later system call passes through "
         "that page)",
         [r"iommu: VT-d at 0xfed90000",
          r"virtio_blk: warning: pointing the device's DMA at 0x[0-9a-f]+, which is not mine",
          r"iommu: 00:0\d\.0 tried to write 0x[0-9a-f]+, which its driver 'virtio_blk\.elf' "
          r"never granted",
          r"fault: task 'virtio_blk\.elf' \(id \d+\): its device 00:0\d\.0 made a DMA fault",
          r'"event":"failure","service":"virtio_blk","incarnation":1,"reason":"dma-fault"',
          r'"event":"restart","service":"virtio_blk","incarnation":2,"reason":"dma-fault"',
          r"resurgo> pci\r?\n\d+ PCI functions"],
         cmdline="", modules=system_boot("ds+uart+pci+virtio_blk+shell", rs_args=evil_args(),
                                         with_components=("pci", "virtio_blk")),
         prepare=virtio_disk("iommu_stops_dma_into_the_kernel")[0],
         extra=Q35_IOMMU + virtio_disk("iommu_stops_dma_into_the_kernel")[1], exit=None,
         until=r"driver virtio_blk", steps=[(r'(?s)"incarnation":2,"reason":"dma-fault".*resurgo> ', "pci\r")],
         forbid=[r"KERNEL PANIC", r"DMA ISOLATION NOT ENFORCED", r"error:"], timeout=40),
    Case("virtio_blk_workload",
         "the virtio-blk driver resets its device, negotiates the modern interface, sets "
         "up its queue in a DMA frame it granted the device, and serves the block "
         "protocol: 256 blocks of 4 KiB written, read back and rewritten over four rounds, "
         "every byte as written, each write counted once by its session",
         [r"virtio_blk: info: virtio-blk 00:0\d\.0: 16384 sectors \(8192 KiB\)",
          r"blkclient: info: disk of 16384 sectors", BLOCK_INTACT],
         cmdline="", modules=system_boot("ds+pci+virtio_blk+blkclient", ["blkclient"],
                                         "args.blkclient=blocks=256+rounds=4+seed=7",
                                         with_components=("pci", "virtio_blk")),
         prepare=virtio_disk("virtio_blk_workload", b"\0")[0],
         extra=virtio_disk("virtio_blk_workload")[1], exit=None, until=BLOCK_END,
         forbid=BLOCK_FORBID + [r"\"event\":\"failure\",\"service\":\"virtio_blk\""],
         timeout=60),
    Case("virtio_blk_bad_requests",
         "the same ten malformed block requests as ATA's (past or across the disk's end, "
         "a count of 0 or 9 sectors, a buffer that is not whole sectors) are refused by the "
         "virtio-blk driver with RS_E_RANGE, RS_E_INVAL and RS_E_ALIGN before the device "
         "sees them; the driver does not fail, and a good write and read after them are right",
         [r"blkclient: info: bad requests refused: 10 of 10 bad requests refused with their "
          r"errors; a good write and read after them verified"],
         cmdline="", modules=system_boot("ds+pci+virtio_blk+blkclient", ["blkclient"],
                                         "args.blkclient=mode=bad",
                                         with_components=("pci", "virtio_blk")),
         prepare=virtio_disk("virtio_blk_bad_requests", b"\0")[0],
         extra=virtio_disk("virtio_blk_bad_requests")[1], exit=None,
         until=r"blkclient: (info: (bad|BAD)|error)",
         forbid=[r"KERNEL PANIC", r"BAD REQUESTS NOT REFUSED", r"blkclient: error",
                 r"\"event\":\"failure\",\"service\":\"virtio_blk\""], timeout=60),
    virtio_crash_case(
        "virtio_blk_crashes_under_load",
        "the virtio-blk driver is crashed 200 times, of every kind RS makes and the fault "
        "injector's crash and hang wherever it stands (with a request in the device's "
        "queue too), on q35 with its DMA fenced by the IOMMU, while a client writes, "
        "reads back and rewrites 4 KiB blocks: each restart resets the device and grants "
        "it a fresh DMA frame, every write runs once, nothing is lost or corrupt, no "
        "outcome is unknown, and no DMA ever strays",
        Q35_IOMMU, 200),
]

"""System tests of the PCI server, the PCI drivers and DMA isolation: each boots
QEMU with the real device models (the default `pc` machine, or `q35` with
intel-iommu for the IOMMU), and reads the serial log and RS's events."""
import os
import subprocess

from support import BUILD, Case, DATA, system_boot

VIRTIO_DISK = os.path.join(DATA, "virtio.img")
# virtio-blk, modern only (1af4:1042); iommu_platform: its DMA goes through the IOMMU.
VIRTIO_BLK = ["-drive", f"file={VIRTIO_DISK},if=none,id=vd0,format=raw",
              "-device", "virtio-blk-pci,drive=vd0,disable-legacy=on,iommu_platform=on"]
Q35_IOMMU = ["-machine", "q35", "-device", "intel-iommu"]
KERNEL_VMA = 0xFFFFFFFF80000000


def make_disk(path=VIRTIO_DISK, mib=8, fill=b"\xcc"):
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
         prepare=make_disk, extra=VIRTIO_BLK, exit=None, until=r"driver virtio_blk",
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
         prepare=make_disk, extra=Q35_IOMMU + VIRTIO_BLK, exit=None,
         until=r"driver virtio_blk", steps=[(r'(?s)"incarnation":2,"reason":"dma-fault".*resurgo> ', "pci\r")],
         forbid=[r"KERNEL PANIC", r"DMA ISOLATION NOT ENFORCED", r"error:"], timeout=40),
]

#!/usr/bin/env python3
"""Writes the seed corpus of the boot-input fuzzers (tests/fuzz/fuzz_*.c): a few
well-formed inputs per harness, like those GRUB and QEMU produce, so the fuzzers start
from deep inside each format. Usage: seeds.py OUTDIR (writes OUTDIR/<harness>/*)."""
import os
import struct
import sys


def elf(segments, entry, size=None):
    """A static x86-64 ELF64 executable: segments are (flags, offset, vaddr, filesz, memsz)."""
    phoff, phnum = 64, len(segments)
    hdr = b"\x7fELF" + bytes([2, 1, 1]) + bytes(9)
    hdr += struct.pack("<HHIQQQIHHHHHH", 2, 62, 1, entry, phoff, 0, 0, 64, 56, phnum, 0, 0, 0)
    ph = b"".join(struct.pack("<IIQQQQQQ", 1, f, off, va, va, fs, ms, 0x1000)
                  for f, off, va, fs, ms in segments)
    body = hdr + ph
    end = max([len(body)] + [off + fs for _, off, _, fs, _ in segments])
    body += bytes(end - len(body))
    return body if size is None else body[:size]


def elf_seeds():
    R, W, X = 4, 2, 1
    yield "text_data", elf([(R | X, 0, 0x400000, 0x1000, 0x1000),
                            (R | W, 0x1000, 0x401000, 0x100, 0x2000)], 0x400080)
    yield "musl_like", elf([(R, 0, 0x400000, 0x190, 0x190),
                            (R | X, 0x1000, 0x401000, 0x800, 0x800),
                            (R, 0x2000, 0x402000, 0x100, 0x100),
                            (R | W, 0x2ff8, 0x403ff8, 0x14, 0x2000)], 0x401000)
    yield "max_segments", elf([(R | X, 0, 0x400000 + 0x1000 * i, 0, 0x1000) for i in range(8)],
                              0x400000)
    yield "top_of_space", elf([(R | X, 0, 0xFFFFFFFFFFFFE000, 0x100, 0x1000),
                               (R, 0x1800, 0xFFFFFFFFFFFFF800, 0, 0x7FF)], 0xFFFFFFFFFFFFE000)


def mb2_tag(typ, body):
    t = struct.pack("<II", typ, 8 + len(body)) + body
    return t + bytes(-len(t) % 8)


def mb2(tags):
    body = b"".join(tags) + mb2_tag(0, b"")
    return struct.pack("<II", 8 + len(body), 0) + body


def mb2_seeds():
    mmap = struct.pack("<II", 24, 0) + b"".join(
        struct.pack("<QQII", b, l, t, 0) for b, l, t in
        [(0, 0x9fc00, 1), (0x9fc00, 0x400, 2), (0xf0000, 0x10000, 2),
         (0x100000, 0x7ee0000, 1), (0x7fe0000, 0x20000, 2), (0xfffc0000, 0x40000, 2)])
    mod = lambda s, e, name: mb2_tag(3, struct.pack("<II", s, e) + name + b"\0")
    yield "grub", mb2([mb2_tag(1, b"root=rs ktest=all\0"), mb2_tag(2, b"GRUB 2.12\0"),
                       mod(0x200000, 0x210000, b"/boot/rs.elf"),
                       mod(0x210000, 0x211000, b"/boot/init.lua arg"),
                       mb2_tag(21, struct.pack("<I", 0x100000)), mb2_tag(6, mmap)])
    yield "empty", mb2([])


def mb1_seeds():
    base = 0x10000
    cmd, loader, mods, strs, mmap = 0x100, 0x140, 0x180, 0x1c0, 0x240
    mem = bytearray(0x300)
    entries = [(0, 0x9fc00, 1), (0x9fc00, 0x400, 2), (0x100000, 0x7ee0000, 1)]
    mm = b"".join(struct.pack("<IQQI", 20, b, l, t) for b, l, t in entries)
    info = struct.pack("<IIIIIII", (1 << 2) | (1 << 3) | (1 << 6) | (1 << 9), 639, 130000, 0,
                       base + cmd, 2, base + mods)
    info += bytes(16) + struct.pack("<II", len(mm), base + mmap) + bytes(12)
    info += struct.pack("<I", base + loader)
    mem[0:len(info)] = info
    mem[cmd:cmd + 12] = b"ktest=all x\0"
    mem[loader:loader + 5] = b"qemu\0"
    mem[mods:mods + 32] = struct.pack("<IIII", 0x200000, 0x201000, base + strs, 0) + \
        struct.pack("<IIII", 0x300000, 0x300100, 0, 0)
    mem[strs:strs + 14] = b"/boot/rs.elf\0\0"
    mem[mmap:mmap + len(mm)] = mm
    yield "qemu", bytes(mem)


def cmdline_seeds():
    yield "ktest", bytes([32, 16]) + b"ktest\0quiet ktest=pmm log=2 /boot/x.elf"
    yield "bare", bytes([8, 4]) + b"exit\0root=rs exit"
    yield "absent", bytes([1, 1]) + b"root\0  rootx=1  "


def memmap_seeds():
    e820 = [(0, 0x9fc00, 1), (0x9fc00, 0x400, 2), (0xf0000, 0x10000, 2),
            (0x100000, 0x7ee0000, 1), (0x7fe0000, 0x20000, 2), (0xfffc0000, 0x40000, 2)]
    messy = [(0x100000, 0x100000, 1), (0x180000, 0x1000, 3), (0x0, 0x3000, 2),
             (0x2000, 0x3000, 1), (0x5000, 0, 2), (0xFFFFFFFFFFFF0000, 0x20000, 2),
             (0x1000, 0x1000, 5), (0x1000, 0x1000, 4)]
    pack = lambda es: b"".join(struct.pack("<QQI", b, l, t) for b, l, t in es)
    yield "e820", bytes([64]) + pack(e820)
    yield "messy", bytes([64]) + pack(messy)
    yield "tight", bytes([3]) + pack(messy)


def main():
    out = sys.argv[1]
    for name, gen in [("elf", elf_seeds), ("mb2", mb2_seeds), ("mb1", mb1_seeds),
                      ("cmdline", cmdline_seeds), ("memmap", memmap_seeds)]:
        os.makedirs(os.path.join(out, name), exist_ok=True)
        for seed, data in gen():
            with open(os.path.join(out, name, seed), "wb") as f:
                f.write(data)


if __name__ == "__main__":
    main()

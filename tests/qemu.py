"""Boots Resurgo in QEMU and watches its serial console: the one place that knows
how the tests and benchmarks start QEMU. Standard library only."""
import os
import re
import select
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, "build")
KERNEL = os.path.join(BUILD, "kernel.elf")
ISO = os.path.join(BUILD, "resurgo.iso")

# QEMU exit statuses produced through isa-debug-exit (kernel/arch/x86_64/qemu_exit.h).
EXIT_SUCCESS = 33
EXIT_FAILURE = 35
EXIT_PANIC = 37

BASE_ARGS = ["qemu-system-x86_64", "-display", "none", "-no-reboot", "-serial", "stdio",
             "-monitor", "none", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]


def command(boot="kernel", cmdline="", modules=(), memory="256M", extra=()):
    """The QEMU command line. boot="kernel" uses QEMU's Multiboot1 loader with
    `modules` as (path, args) pairs; boot="iso" boots the GRUB image."""
    args = BASE_ARGS + ["-m", memory] + list(extra)
    if boot == "iso":
        return args + ["-cdrom", ISO]
    args += ["-kernel", KERNEL, "-append", cmdline]
    if modules:
        for path, _ in modules:
            if "," in path or " " in path:
                raise ValueError(f"module path {path!r} may not contain ',' or ' '")
        args += ["-initrd", ",".join(f"{p} {a}".strip() for p, a in modules)]
    return args


class Boot:
    """A running QEMU whose serial output is collected into .log (text)."""

    def __init__(self, args):
        self.args = args
        self.start = time.monotonic()
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, cwd=ROOT)
        self.raw = b""

    @property
    def log(self):
        return self.raw.decode("utf-8", "replace").replace("\r\n", "\n")

    def elapsed(self):
        return time.monotonic() - self.start

    def type(self, text, delay=0.02):
        """Types text into the serial console, one character at a time."""
        for ch in text.encode():
            self.proc.stdin.write(bytes([ch]))
            self.proc.stdin.flush()
            time.sleep(delay)

    def wait(self, until=None, timeout=30.0):
        """Reads output until `until(log)` is true, QEMU exits, or timeout. Returns
        "match", "exit" or "timeout"."""
        fd = self.proc.stdout.fileno()
        deadline = self.start + timeout
        while True:
            if until and until(self.log):
                return "match"
            left = deadline - time.monotonic()
            if left <= 0:
                return "timeout"
            ready, _, _ = select.select([fd], [], [], min(left, 0.2))
            if ready:
                chunk = os.read(fd, 65536)
                if not chunk:
                    self.proc.wait()
                    return "exit"
                self.raw += chunk

    def note(self, line):
        """Adds a line of the host's own to the log (what a driver did)."""
        self.raw += ("\n" + line + "\n").encode()

    def drain(self, seconds=0.3):
        """Keeps reading for `seconds` from now (the rest of a line that matched,
        or output while a driver waits)."""
        end = time.monotonic() + seconds
        fd = self.proc.stdout.fileno()
        while time.monotonic() < end:
            ready, _, _ = select.select([fd], [], [], max(0.0, end - time.monotonic()))
            if not ready:
                break
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            self.raw += chunk

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        rest = self.proc.stdout.read()
        if rest:
            self.raw += rest
        return self.proc.returncode


# Where a kernel log line starts: a task's debug line or a kernel subsystem's.
KERNEL_LOG = re.compile(r"\[[\w.-]+\.elf\] |(?:boot|fault|irq|kernel|mm|modules|task|timer|"
                        r"trap): ")


def driver_lines(log):
    """The lines a driver wrote to the serial port, with the kernel's log lines
    taken out and a driver line cut by one joined up again."""
    out, carry = [], ""
    for line in log.split("\n"):
        line = line.rstrip("\r")
        k = KERNEL_LOG.search(line)
        if k:
            carry += line[:k.start()]
            continue
        out.append(carry + line)
        carry = ""
    return out


def console_lines(log, pattern):
    """The matches of `pattern` (a compiled regex, matched whole) among the lines
    a driver wrote to the serial port, in order. The kernel writes its log lines
    whole to the same port, so one can start in the middle of a driver's line:
    the part before it is joined to the next line that is not the kernel's
    (unless that line matches alone: a write cut by a crash, then sent again)."""
    out, carry = [], ""
    for line in log.split("\n"):
        line = line.rstrip("\r")
        k = KERNEL_LOG.search(line)
        if k:
            carry += line[:k.start()]
            continue
        m = pattern.fullmatch(carry + line) or pattern.fullmatch(line)
        carry = ""
        if m:
            out.append(m)
    return out

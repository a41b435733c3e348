"""The QEMU system tests: each case boots an image and decides pass/fail from
explicit lines on the serial log and QEMU's exit status (tests/qemu.py)."""
import collections
import json
import os
import re
import time
from dataclasses import dataclass, field

from qemu import BUILD, EXIT_FAILURE, EXIT_PANIC, EXIT_SUCCESS, ROOT, console_lines

INIT_LUA = (os.path.join(ROOT, "lua", "init.lua"), "")
SPIN_ELF = (os.path.join(BUILD, "fixtures", "spin.elf"), "")
CRASH_ELF = os.path.join(BUILD, "fixtures", "crash.elf")
DATA = os.path.join(BUILD, "tests", "data")


@dataclass
class Case:
    name: str
    what: str                       # one line: what passing proves
    expect: list                    # regexes that must appear, in this order
    boot: str = "kernel"            # "kernel" (QEMU Multiboot1) or "iso" (GRUB)
    cmdline: str = "exit=ready"
    modules: list = field(default_factory=lambda: [INIT_LUA])
    memory: str = "256M"
    exit: int = EXIT_SUCCESS        # expected QEMU status; None when `until` ends it
    until: str = None               # regex: stop QEMU once it appears
    forbid: list = field(default_factory=lambda: [r"KERNEL PANIC", r"REJECTED", r"error:"])
    extra: list = field(default_factory=list)     # more QEMU arguments
    timeout: float = 30.0
    prepare: object = None          # callable run before booting (makes input files)
    driver: object = None           # callable(boot) run once booted (after the steps);
                                    # returns None, or why the case failed
    steps: list = field(default_factory=list)     # (regex to wait for, keys to type)
    gdb: bool = False               # open QEMU's gdb stub on a free port (boot.gdb_port)


COMPONENTS = {name: (os.path.join(BUILD, name + ".elf"), "") for name in ("ds", "uart", "shell")}


def system_boot(services, extra_modules=(), rs_args=""):
    """Modules for a boot of the real system: the root task with `services`
    (separated by '+': QEMU's -initrd splits on commas) and more of its arguments
    (policy.NAME=..., args.NAME=..., '+' for spaces within one)."""
    return ([(os.path.join(BUILD, "rs.elf"), f"services={services} {rs_args}".strip()),
             COMPONENTS["ds"], COMPONENTS["uart"], COMPONENTS["shell"]]
            + [(os.path.join(USER, m + ".elf"), "") for m in extra_modules] + [INIT_LUA])


FI_TYPES = ["text-flip", "nop", "src", "dst", "pointer", "branch", "loop", "stack-flip",
            "heap-flip", "data-flip", "reg-flip", "crash", "hang", "wild-write"]


def fi_boot(services):
    """A system boot with the fault injector and the site tables it reads."""
    return system_boot(services) + [(os.path.join(BUILD, m), "")
                                    for m in ("fi.elf", "uart.sites", "ds.sites")]


def check_injections(name):
    """Every fault type made once in the console driver: each on the event channel
    with its seed, build id and place; the driver runs at the end."""
    def driver(boot):
        events = [e for e in read_events(name) if e["event"] == "inject"]
        made = {e["reason"] for e in events}
        if "heap-flip: bad user address" in boot.log.replace("fi: uart ", "").replace(" seed 18", ""):
            made.add("heap-flip")       # the driver has no heap there: refused, by name
        missing = [t for t in FI_TYPES if t not in made]
        if missing:
            return f"no inject event for {missing}"
        for e in events:
            if not re.match(r"seed=\d+ ", e["detail"] or ""):
                return f"inject event without its seed: {e}"
            if e["reason"] in FI_TYPES[:7] and not re.search(
                    r"binary=uart\.elf build=[0-9a-f]{12} at=0x[0-9a-f]+ text\+0x[0-9a-f]+ "
                    r"insn='[^']+' bytes=[0-9a-f]+->[0-9a-f]+", e["detail"]):
                return f"code fault without its place: {e}"
        boot.note(f"host: {len(events)} faults on the event channel")
        return None
    return driver


def events_file(name):
    """Where a case's QEMU writes RS's event channel (-debugcon)."""
    return os.path.join(BUILD, "tests", "logs", name + ".events")


def read_events(name):
    """RS's event lines from the debug console, each a dict; raises on a bad line."""
    with open(events_file(name)) as f:
        return [json.loads(line) for line in f if line.strip()]


def numbered_lines(log):
    """The chatter's numbered lines in order of appearance."""
    return [int(m.group(1)) for m in console_lines(log, re.compile(r"chatter: line (\d+)"))]


def check_lines(log, what):
    """Every line 1..N exactly once, except as many repeats as the chatter counted
    "outcome unknown"; returns None or why not."""
    m = re.search(r"done: (\d+) lines, (\d+) outcomes unknown", log)
    if not m:
        return f"{what}: the chatter did not finish"
    total, unknown = int(m.group(1)), int(m.group(2))
    seen = collections.Counter(numbered_lines(log))
    missing = [n for n in range(1, total + 1) if n not in seen]
    repeats = sum(c - 1 for c in seen.values())
    if missing:
        return f"{what}: {len(missing)} lines lost, first {missing[:5]}"
    if repeats > unknown:
        return f"{what}: {repeats} lines doubled, only {unknown} outcomes were unknown"
    return None


ORACLE = os.path.join(ROOT, "tests", "lua", "oracle.lua")


def lua_oracle_matches(boot):
    """The lines Resurgo's Lua printed against the host's lua5.4 on the same file."""
    import subprocess
    host = subprocess.run(["lua5.4", "oracle.lua"], cwd=os.path.dirname(ORACLE),
                          capture_output=True, text=True, timeout=30)
    if host.returncode:
        return f"the host's lua5.4 failed: {host.stderr.strip()}"
    want = host.stdout.split("\n")[:-1]
    got = re.findall(r"^\[luaoracle\.elf\] lua\| (.*?)\r?$", boot.log, re.M)
    for i, (a, b) in enumerate(zip(got, want)):
        if a != b:
            return f"line {i + 1} differs: Resurgo {a!r}, host {b!r}"
    if len(got) != len(want) or len(want) < 200:
        return f"{len(got)} lines from Resurgo, {len(want)} from the host"
    boot.note(f"host: {len(want)} lines identical to the host's lua5.4")
    return None


def restarted(incarnation):
    """A step's pattern: uart's given incarnation is up and the shell prompts again."""
    return (r"(?s)\"event\":\"restart\",\"service\":\"uart\",\"incarnation\":%d.*resurgo> "
            % incarnation)


def check_crash_run(name, crashes):
    """The driver for the 1,000-crash case: lines, events and latencies."""
    def driver(boot):
        if boot.wait(lambda log: "chatter: info: outages=" in log, 280) != "match":
            return "the chatter did not finish"
        boot.drain(1.0)
        why = check_lines(boot.log, "numbered lines")
        if why:
            return why
        events = read_events(name)
        failures = [e for e in events if e["event"] == "failure" and e["service"] == "uart"]
        restarts = [e for e in events if e["event"] == "restart" and e["service"] == "uart"]
        if len(failures) < crashes or len(restarts) < crashes:
            return f"event channel: {len(failures)} failures, {len(restarts)} restarts of uart"
        for e in failures + restarts:
            for key in ("t_us", "service", "incarnation", "reason", "detect_us", "recover_us"):
                if key not in e:
                    return f"event line without {key}: {e}"
        rec = sorted(e["recover_us"] for e in restarts)
        boot.note(f"host: {len(restarts)} restarts on the event channel, recovery median "
                  f"{rec[len(rec) // 2]} us, worst {rec[-1]} us")
        return None
    return driver


def truncated_elf():
    """A real ELF cut short inside its program-header table, and an empty module."""
    os.makedirs(DATA, exist_ok=True)
    with open(SPIN_ELF[0], "rb") as f:
        head = f.read(100)
    with open(os.path.join(DATA, "cut.elf"), "wb") as f:
        f.write(head)
    open(os.path.join(DATA, "empty.elf"), "wb").close()
    with open(os.path.join(DATA, "init.lua"), "wb") as f:
        f.write(b"\x7fELG\x00\x01binary")


USER = os.path.join(BUILD, "user")

INIT_SCRIPTS = {
    # Mistakes of every kind: each is reported with its line, the rest still runs.
    "errors": """service "uart" { binary = "uart.elf", priority = 25, ports = {0x3F8, 8}, irq = 4,
                 owns = {"console"}, heartbeat = 10 }
service "shell" { binary = "shell.elf", heartbeet = 10 }
service "chatter" { binary = "chatter.elf", priority = "high" }
service "counter" { binary = "counter.elf", owns = {"counter"}, heartbeat = 5 }
service "crasher" { binary = "crasher.elf", restart = "sometimes" }
local x = nil + 1
service "never" { binary = "never.elf" }
""",
    # A policy in Lua: one retry in initialisation instead of the catalog's three.
    "policy": """service "crashloop" {
  binary = "crashloop.elf", priority = 20,
  restart = "permanent", init_retries = 1, backoff = {base = 5, cap = 50},
}
""",
    # Failure hooks: one decides (restart later, then stop), one loops past its
    # budget, one errors; the last two fall back to the declared policy.
    "hooks": """service "crashloop" {
  binary = "crashloop.elf", restart = "permanent", init_retries = 10,
  on_failure = function(name, reason, incarnation, count)
    if count >= 3 then return "stop" end
    return "restart", 20
  end,
}
service "spinner" {
  binary = "crashloop.elf", init_retries = 1,
  on_failure = function() while true do end end,
}
service "oops" {
  binary = "crashloop.elf", init_retries = 1,
  on_failure = function() error("oops") end,
}
""",
    # A hook stuck inside one C call (a pattern search that backtracks for
    # seconds), where init's Lua instruction budget cannot reach it.
    "stuck": """service "stuck" {
  binary = "crashloop.elf", init_retries = 1,
  on_failure = function() return ("x"):rep(60000):find(".-y") end,
}
""",
    # os and io in init: the real-time clock, the boot modules init may read, the
    # log; what Resurgo cannot honour fails with a message; `files` declared.
    "libs": """print("libs: year " .. os.date("!%Y") .. ", " .. math.type(os.time()) .. " seconds")
print("libs: clock is a " .. math.type(os.clock()))
local f = assert(io.open("/boot/init.lua"))
print("libs: first line: " .. f:read("l"))
print("libs: " .. f:seek("end") .. " bytes")
f:close()
for line in io.lines("init.lua") do n = (n or 0) + 1 end
print("libs: " .. n .. " lines")
print("libs: " .. select(2, io.open("/boot/uart.elf")))
print("libs: " .. select(2, io.open("/boot/init.lua", "w")))
print("libs: " .. select(2, os.remove("/boot/init.lua")))
print("libs: stdin gives " .. tostring(io.read("l")))
print("libs: " .. select(2, pcall(os.exit, 1)))
io.write("libs: io.write reaches the log\\n")
service "counter" { binary = "counter.elf", owns = {"counter"}, files = {"init.lua", "nothere.txt"} }
service "chatter" { binary = "chatter.elf", files = {"a", "b", "c", "d", "e"} }
""",
    # init declares, then serves hooks; crashed, its next incarnation runs the
    # script and declares again, and the driver's policy holds throughout.
    "busy": """service "uart" { binary = "uart.elf", priority = 25, ports = {0x3F8, 8}, irq = 4,
                 owns = {"console"}, heartbeat = 10, restart = "permanent" }
local n = 0
for i = 1, 100000 do n = n + i end
""",
}


def init_script(name):
    """A boot module named init.lua holding INIT_SCRIPTS[name] (made by prepare)."""
    return (os.path.join(DATA, "init-" + name, "init.lua"), "")


def write_init_scripts():
    for name, text in INIT_SCRIPTS.items():
        os.makedirs(os.path.join(DATA, "init-" + name), exist_ok=True)
        with open(init_script(name)[0], "w") as f:
            f.write(text)


def init_boot(services, script, extra_modules=(), rs_args=""):
    """A system boot with init.elf and the test script as init.lua."""
    mods = system_boot(services, extra_modules, rs_args)[:-1]
    return mods + [(os.path.join(BUILD, "init.elf"), ""), init_script(script)]

# RFLAGS bits the register-flip case sets in a running user task from outside.
FLIP_BITS = [("VM", 1 << 17), ("NT", 1 << 14), ("IOPL", 3 << 12), ("RF", 1 << 16),
             ("AC", 1 << 18), ("VIF", 1 << 19), ("VIP", 1 << 20), ("ID", 1 << 21),
             ("TF", 1 << 8), ("all", (1 << 17) | (1 << 14) | (3 << 12) | (1 << 16))]
BUSY_LOOP = (0x401000, 0x401009)    # spin.elf's pause; jmp and sysloop.elf's loop


def flip_rflags(boot):
    """Through the gdb stub: stop the guest over and over; whenever it is in the
    loop of one of the busy tasks, flip one of FLIP_BITS into its live RFLAGS and
    let it go on."""
    import gdbstub
    if boot.wait(lambda log: "flip: ready" in log, 30) != "match":
        return "the flip test program did not start"
    gdb = gdbstub.Gdb(boot.gdb_port)
    flips = {name: 0 for name, _ in FLIP_BITS}
    end, tries = time.monotonic() + 7.0, 0
    while time.monotonic() < end and boot.proc.poll() is None:
        gdb.stop()
        tries += 1
        rip, eflags, user = gdbstub.user_context(gdb.registers())
        if user and BUSY_LOOP[0] <= rip < BUSY_LOOP[1]:
            name, bits = FLIP_BITS[sum(flips.values()) % len(FLIP_BITS)]
            gdb.set_eflags(eflags | bits)
            flips[name] += 1
        gdb.cont()
        boot.drain(0.02 + (tries % 5) * 0.01)
    gdb.close()
    boot.note("host: %d stops, flips %s" % (tries, " ".join(f"{k}={v}" for k, v in flips.items())))
    if sum(flips.values()) < len(FLIP_BITS):
        return "caught the busy tasks only %d times" % sum(flips.values())
    return None


def user_case(name, what, progs, expect=(), memory="256M", timeout=60.0, args=None,
              extra=("-serial", "null")):
    """A boot whose root task is build/user/t_NAME.elf (it spawns the other
    programs in `progs` from its boot modules) and whose verdict is the line
    "TEST NAME PASSED" followed by QEMU exit status 33. `args` gives per-module
    argument strings."""
    args = args or {}
    mods = [(os.path.join(USER, f"t_{name}.elf"), "")]
    mods += [(p[1], "") if isinstance(p, tuple) else
             (os.path.join(USER, p if p.endswith(".elf") else p + ".elf"), args.get(p, ""))
             for p in progs]
    return Case(f"user_{name}", what, list(expect) + [rf"TEST {name} PASSED"],
                cmdline=f"root=t_{name}.elf exit=root", modules=mods + [INIT_LUA],
                memory=memory, timeout=timeout, extra=list(extra),
                forbid=[r"KERNEL PANIC", r"CHECK FAILED", r"REJECTED"])


CASES = [
    Case("boot_banner_modules",
         "the kernel boots via QEMU's Multiboot1 loader, lists its modules and gets ready",
         [r"Resurgo \S+: fault-tolerant", r"boot: multiboot1", r"memory map",
          r"mm: \d+ KiB free", r"boot modules \(2\):",
          r"\[0\] init\.lua .* text",
          r"\[1\] spin\.elf .* ELF64 executable, entry 0x401000",
          r"kernel ready \(tsc \d+, \d+ since kernel entry\)"],
         modules=[INIT_LUA, SPIN_ELF]),
    Case("grub_iso_boot",
         "the GRUB 2 image (the product path) boots the kernel with its modules and "
         "starts the root task",
         [r"boot: multiboot2 via GRUB", r"boot modules \(6\):",
          r"\[0\] rs\.elf .* ELF64 executable", r"\[1\] ds\.elf .* ELF64 executable",
          r"\[2\] uart\.elf .* ELF64 executable", r"\[3\] shell\.elf .* ELF64 executable",
          r"\[4\] init\.elf .* ELF64 executable", r"\[5\] init\.lua .* text",
          r"kernel ready", r"boot: root task 'rs\.elf' \(id 1\) starts"],
         boot="iso", exit=None, until=r"root task 'rs\.elf'"),
    Case("panic_page_fault",
         "a page fault in the kernel gives a readable panic report and exit status 37",
         [r"\*\*\* KERNEL PANIC: page fault \(vector 14\) in kernel mode",
          r"error code 0x2 \(page not present, write, supervisor\)",
          r"CR2 0x00000000dead0000 \(faulting address\)",
          r"RIP 0xffffffff8[0-9a-f]+ .*mode kernel \(ring 0\)",
          r"RAX [0-9a-f]{16}", r"\*\*\* system halted"],
         cmdline="ktest=pagefault", exit=EXIT_PANIC, forbid=[]),
    Case("panic_invalid_opcode",
         "an invalid opcode in the kernel is reported with its vector and RIP",
         [r"KERNEL PANIC: invalid opcode \(vector 6\) in kernel mode",
          r"RIP 0xffffffff8[0-9a-f]+", r"system halted"],
         cmdline="ktest=opcode", exit=EXIT_PANIC, forbid=[]),
    Case("panic_divide_error",
         "a divide error in the kernel is reported",
         [r"KERNEL PANIC: divide error \(vector 0\) in kernel mode", r"system halted"],
         cmdline="ktest=divide", exit=EXIT_PANIC, forbid=[]),
    Case("timer_ticks",
         "the periodic timer interrupt arrives",
         [r"ktest: 1\d timer ticks in \d+ TSC ticks"],
         cmdline="ktest=timer"),
    Case("frame_exhaustion",
         "every free frame can be allocated, E_NOMEM follows, and all can be freed",
         [r"ktest: allocated \d+ frames until E_NOMEM",
          r"ktest: freed them: (\d+) free before, \1 after"],
         cmdline="ktest=frames"),
    Case("missing_required_module",
         "a boot without init.lua says which module is missing and still comes up",
         [r"boot modules \(0\):",
          r"modules: error: required module 'init\.lua' is missing", r"kernel ready"],
         modules=[], forbid=[r"KERNEL PANIC"]),
    Case("bad_modules_rejected",
         "truncated, empty and binary-as-Lua modules are rejected by name; boot goes on",
         [r"\[0\] cut\.elf .*REJECTED: truncated: program headers end at byte 176 of 100",
          r"\[1\] empty\.elf .*REJECTED: empty \(0 bytes\)",
          r"\[2\] spin\.elf .* ELF64 executable",
          r"\[3\] init\.lua .*REJECTED: a \.lua module must be text",
          r"modules: error: required module 'init\.lua' is missing", r"kernel ready"],
         modules=[(os.path.join(DATA, "cut.elf"), ""), (os.path.join(DATA, "empty.elf"), ""),
                  SPIN_ELF, (os.path.join(DATA, "init.lua"), "")],
         prepare=truncated_elf, forbid=[r"KERNEL PANIC"]),
    Case("memory_4g_with_hole",
         "4 GiB of RAM: the map has a PCI hole and memory above 4 GiB; all is managed",
         [r"0x000100000000-0x000140000000 available", r"mm: 4\d{6} KiB free",
          r"kernel ready"],
         memory="4G"),
    Case("memory_small",
         "a 32 MiB machine boots",
         [r"mm: \d{5} KiB free", r"kernel ready"],
         memory="32M"),
    user_case("ipc", "IPC ping-pong between two address spaces: badges, buffer copy, "
              "capability transfer, timeouts, refused slots",
              ["echo"], [r"1000 calls answered", r"buffer came back reversed",
                         r"capability transferred"]),
    user_case("isolation", "every isolation rule broken by a victim task yields the "
              "expected fault or error, the supervisor recovers all its quota",
              ["victim"], [r"unmapped memory +-> refused",
                           r"kernel memory +-> refused \(reason 2, vector 14",
                           r"I/O port without its capability +-> refused",
                           r"I/O port after its capability is deleted +-> refused",
                           r"invocation without the right +-> refused",
                           r"RFLAGS.NT set, then a system call +-> refused",
                           r"RFLAGS.NT set, then preempted +-> refused",
                           r"int3 \(breakpoint\) +-> refused \(reason 4, vector 3",
                           r"int \$2 \(a fake NMI\) from user mode +-> refused \(reason 1, vector 13",
                           r"RFLAGS.TF set \(single step\) +-> refused \(reason 5, vector 1",
                           r"forged supervisor, self-destroy, rights bits +-> refused",
                           r"writable and executable mappings +-> refused",
                           r"resume starts a never-started thread +-> refused",
                           r"spawn needs an image capability with MANAGE",
                           r"a ninth enabled port range is refused",
                           r"Linux system calls are answered -ENOSYS",
                           r"secret is intact"]),
    user_case("capfault", "the three ways a call goes unanswered are told apart (not "
              "delivered, delivered and the server died, dropped by a live server) and "
              "libsys retries exactly the safe ones",
              ["svc"], [r"queued on the dying endpoint: not delivered \(phase 1, kind 3, "
                        r"id (\d+) = the endpoint's\)",
                        r"server died holding its call: delivered, outcome unknown "
                        r"\(phase 2, kind 2 = thread",
                        r"later caller faults at once \(slot 12, kind 3\), not delivered",
                        r"blocked caller woken with capability fault \(slot 12, kind 4\): "
                        r"delivered",
                        r"drops the reply: error 18 \(dropped\), not a capability fault",
                        r"an empty slot and a missing right are other errors",
                        r"not delivered: recovered \(after one failed attempt",
                        r"delivered, not idempotent: outcome unknown returned, run once",
                        r"delivered, idempotent: retried after recovery"]),
    user_case("fuzz", "100,000 random system calls from a hostile task: the kernel "
              "keeps running, a well-behaved server still works, no memory leaks",
              ["echo", "fuzz", ("spin.elf", SPIN_ELF[0])],
              [r"fuzz: 100000 calls made", r"fuzz: done: ",
                                 r"hostile task finished", r"quota after cleanup",
                                 r"still answers 100 calls"],
              args={"fuzz": "100000"}, timeout=300),
    user_case("lifetime", "memory comes back at death with stale capabilities held (1,000 "
              "cycles), adopted objects outlive their creator, 1,000-deep ownership and "
              "supervisor chains die without recursion, big revokes restart",
              ["svc", "echo", ("spin.elf", SPIN_ELF[0]), ("crash.elf", CRASH_ELF)],
              [r"1000 kill-and-respawn cycles, 100 stale capabilities held, quota used (\d+) "
               r"bytes before and \1 after every cycle \(0 differed\)",
               r"adopted by a quota outlived its server",
               r"destroying the quota killed the endpoint",
               r"a chain of 1000 tasks each owning the next",
               r"a chain of 1000 supervisors with pending fault notices ended",
               r"a revoke of 232 capabilities"],
              memory="512M", timeout=240),
    user_case("timer", "timer notifications at 1 ms (one-shot and periodic, every period "
              "accounted for), one thread serving requests and deadlines at once, 1 ms "
              "sleeps and timeouts, huge sleeps that never wrap, bad arguments refused",
              [], [r"a 1 ms one-shot fired once",
                   r"a 1 ms periodic timer over \d+ ms: \d+ fired",
                   r"one thread served 20 requests and saw \d+ deadlines of 10 ms",
                   r"sleeps of 2\^64-1, 2\^64-2 and 2\^63 ms did not return",
                   r"bad arguments and missing rights refused"]),
    user_case("debug", "the debug capability: confined to its target, stop and resume, "
              "registers checked and masked, memory and read-only text written, "
              "breakpoints and single steps reported to the debugger",
              ["dbgtarget"], [r"a DEBUG capability cannot start, destroy, give or inspect",
                              r"stop held every thread",
                              r"read-only text patched \(check_value returned 7\)",
                              r"int3 planted in read-only text reached the debugger endpoint",
                              r"one step to 0x[0-9a-f]+ reported as a step",
                              r"wild RIP, RSP and FS base refused; RFLAGS of all ones masked "
                              r"to 0x240fd7",
                              r"the thread ran landing\(0x1234\)",
                              r"a never-run thread with all-ones RFLAGS entered user mode"]),
    user_case("irq", "IRQ 3 (COM2) reaches a user task as notifications, acknowledged "
              "through its capability; a released line is masked and notifies nobody",
              [], [r"irq: 100 interrupts on line 3", r"irq: line 3 released, masked",
                   r"released line notifies nobody"]),
    user_case("threads", "threads keep their own SSE state and FS base; sleep, frames "
              "and quotas behave", [],
              [r"kept their SSE registers and FS base", r"slept \d+ ms",
               r"frames map, share", r"a frame grew in place to 1503 pages",
               r"quota held \d+ frames",
               r"the heap grew \d+ KiB for 300 blocks on [01] new slots",
               r"malloc gave a 5 MiB block; clock_gettime and gettimeofday work"]),
    Case("malformed_elf_others_start",
         "a malformed ELF module is refused by name while the root task and its server run",
         [r"\[1\] cut\.elf .*REJECTED: truncated", r"TEST ipc PASSED"],
         cmdline="root=t_ipc.elf exit=root",
         modules=[(os.path.join(USER, "t_ipc.elf"), ""), (os.path.join(DATA, "cut.elf"), ""),
                  (os.path.join(USER, "echo.elf"), ""), INIT_LUA],
         prepare=truncated_elf, forbid=[r"KERNEL PANIC", r"CHECK FAILED"]),
    Case("shell_commands",
         "from the GRUB image the system comes up at the shell prompt; ps lists RS, the "
         "data store and the services; typed commands work, unknown ones are named, "
         "backspace and Ctrl-U edit the line, Ctrl-C drops it, an over-long line is "
         "refused with a message, and halt ends QEMU cleanly",
         [r"event=start service=ds", r"\"event\":\"ready\",\"service\":\"uart\"",
          r"resurgo> ", r"help +list the commands", r"svc +svc list",
          r"rs +running +1 +\d+", r"ds +running +1 +\d+ +0 +0", r"uart +running +1 +\d+ +0 +0",
          r"shell +running +1", r"uart: running, incarnation 1",
          r"policy: permanent, at most 32 restarts in 1000 ms",
          r"heartbeat every 10 ms, hung after 2 missed",
          r"up \d+\.\d\d s", r"system: \d+ KiB of \d+ KiB used",
          r"shell: unknown command 'frobnicate' \(type 'help'\)",
          r"resurgo> h.*elp\r?\n +help +list the commands", r"xyz(?s:.*)up \d+\.\d\d s",
          r"abc\^C", r"shell: line too long \(max 255 characters\), ignored",
          r"kernel: halted by rs\.elf"],
         boot="iso", exit=EXIT_SUCCESS,
         steps=[(r"resurgo> ", "help\r"), (r"mem +memory used", "ps\r"),
                (r"shell +running", "svc status uart\r"), (r"hung after", "uptime\r"),
                (r"up \d+", "mem\r"),
                (r"KiB free", "frobnicate\r"), (r"unknown command", "hx\x7felp\r"),
                (r"(?s)frobnicate.*help +list the commands.*resurgo> ", "xyz\x15uptime\r"),
                (r"(?s)xyz.*up \d+\.\d\d s.*resurgo> ", "abc\x03"),
                (r"\^C", "a" * 300 + "\r"), (r"line too long", "halt\r")],
         timeout=90),
    Case("driver_restart_each_kind",
         "the console driver made to crash, page-fault, exit and hang from the shell comes "
         "back each time; a client printing numbered lines carries on, and the shell "
         "reconnects quietly and shows the counters",
         [r"chatter: line 20\b",
          r"\"event\":\"failure\",\"service\":\"uart\",\"incarnation\":1,\"reason\":\"exception\"",
          r"\"event\":\"restart\",\"service\":\"uart\",\"incarnation\":2",
          r"svc crash: uart asked to fail \(exception\)", r"\"reason\":\"page-fault\"", r"\"event\":\"restart\",\"service\":\"uart\",\"incarnation\":3",
          r"\"incarnation\":3,\"reason\":\"exit\"",
          r"\"event\":\"restart\",\"service\":\"uart\",\"incarnation\":4",
          r"\"incarnation\":4,\"reason\":\"hang\",\"detect_us\":\d+",
          r"\"event\":\"restart\",\"service\":\"uart\",\"incarnation\":5",
          r"failures 4 \(hangs 1\), restarts 4", r"chatter: line \d+"],
         cmdline="", modules=system_boot("ds+uart+shell+chatter", ["chatter"],
                                         "args.chatter=pause=20"),
         exit=None, until=r"failures 4 \(hangs 1\), restarts 4(?s:.*)chatter: line \d+",
         steps=[(r"chatter: line 20\b", "svc crash uart exception\r"),
                (restarted(2), "svc crash uart pagefault\r"),
                (restarted(3), "svc crash uart exit\r"),
                (restarted(4), "svc crash uart hang\r"),
                (restarted(5), "svc status uart\r")],
         forbid=[r"KERNEL PANIC", r"\"event\":\"degraded\""], timeout=90),
    Case("driver_crashes_1000",
         "1,000 crashes of the console driver at random moments, of every kind: it comes "
         "back each time, no numbered line of a busy client is lost, and a line is doubled "
         "only where the kernel said the outcome was unknown; each failure and restart is "
         "one JSON line on the event channel",
         [r"crasher: info: 1000 crashes of uart injected", r"chatter: info: done: \d+ lines",
          r"chatter: info: told of [1-9]\d* changes of console by the data store",
          r"host: \d+ restarts on the event channel"],
         cmdline="", modules=system_boot(
             "ds+uart+chatter+crasher", ["chatter", "crasher"],
             "policy.uart=max=30+window=100+base=0+cap=0 args.chatter=until=crash-done "
             "args.crasher=count=1000+gap=8+seed=11"),
         extra=["-debugcon", "file:" + events_file("driver_crashes_1000")],
         exit=None, until=r"chatter: info: outages=", driver=check_crash_run("driver_crashes_1000", 1000),
         forbid=[r"KERNEL PANIC", r"\"event\":\"degraded\"", r"svc_crash uart failed", r"had no effect"],
         timeout=300),
    Case("datastore_restart_others_recover",
         "the data store crashes and comes back empty; RS declares every service to it "
         "again, and the console driver, restarted after it, publishes through a "
         "recovered data-store capability where the shell finds it",
         [r"\"event\":\"restart\",\"service\":\"ds\",\"incarnation\":2",
          r"svc crash: ds asked to fail", r"\"event\":\"restart\",\"service\":\"uart\",\"incarnation\":2",
          r"svc crash: uart asked to fail", r"ds +running +2 +\d+ +1 +1", r"uart +running +2 +\d+ +1 +1"],
         cmdline="", modules=system_boot("ds+uart+shell"), exit=None,
         until=r"uart +running +2 +\d+ +1 +1",
         steps=[(r"resurgo> ", "svc crash ds exception\r"),
                (r"(?s)ds asked to fail.*resurgo> ", "svc crash uart exception\r"),
                (r"(?s)uart asked to fail.*resurgo> ", "ps\r")],
         forbid=[r"KERNEL PANIC", r"cannot declare"], timeout=60),
    Case("lua_oracle",
         "Lua 5.4 built from Debian's source for Resurgo's user space (musl) prints, for "
         "200+ expressions and short programs (formatting, patterns, integer and float "
         "arithmetic, math, tables, coroutines, utf8, error messages), exactly what the "
         "host's lua5.4 prints",
         [r"lua: the oracle script ran to its end", r"TEST lua_oracle PASSED"],
         cmdline="root=luaoracle.elf exit=root",
         modules=[(os.path.join(USER, "luaoracle.elf"), ""), INIT_LUA],
         driver=lambda boot: (boot.wait(lambda log: re.search(r"root task ended", log), 60),
                              lua_oracle_matches(boot))[1],
         forbid=[r"KERNEL PANIC", r"CHECK FAILED", r"lua: error"], timeout=60),
    Case("init_lua_declares",
         "the default init.lua from the GRUB image declares the console and the shell to "
         "RS, which starts them with its policies",
         [r"init declared uart \(uart\.elf\)", r"init declared shell \(shell\.elf\)",
          r"init\.lua done: 2 services declared, 0 refused", r"resurgo> "],
         boot="iso", exit=None, until=r"(?s)init\.lua done.*resurgo> ", timeout=60),
    Case("init_lua_errors",
         "mistakes in init.lua are reported with file, line, service, key and the type "
         "expected; RS refuses a policy it cannot honour and says which key; a run-time "
         "error stops the script with its line; what was declared correctly still runs, "
         "and the shell's ps shows what init.lua did not declare, and why",
         [r"init declared uart",
          r"init\.lua:3: service 'shell': unknown key 'heartbeet'",
          r"init\.lua:4: service 'chatter': key 'priority' must be an integer",
          r"\"event\":\"refused\",\"service\":\"init\".*\"reason\":\"svc_declare\".*policy: heartbeat period below 10 ms",
          r"init\.lua:5: service 'counter': RS refused the declaration",
          r"init\.lua:6: service 'crasher': key 'restart' must be one of permanent transient temporary",
          r"init\.lua:7: attempt to perform arithmetic on a nil value",
          r"init\.lua stopped by an error: 1 services declared, 4 refused",
          r"(?m)^init\.lua stopped by an error: 1 services declared, 4 refused\r?$",
          r"(?m)^init\.lua:3: service 'shell': unknown key 'heartbeet'\r?$",
          r"(?m)^init\.lua:7: attempt to perform arithmetic on a nil value\r?$"],
         cmdline="", modules=init_boot("ds+uart+shell+init", "errors"), prepare=write_init_scripts,
         exit=None, steps=[(r"init\.lua stopped", "ps\r")],
         until=r"(?s)NAME +STATE.*\ninit\.lua:7: attempt.*resurgo> ",
         forbid=[r"KERNEL PANIC", r"declared never"], timeout=60),
    Case("init_lua_policy",
         "a restart policy written in init.lua changes what RS does: one retry of a service "
         "that fails in initialisation, then it gives up",
         [r"init declared crashloop",
          r"\"event\":\"failure\",\"service\":\"crashloop\",\"incarnation\":1",
          r"\"event\":\"failure\",\"service\":\"crashloop\",\"incarnation\":2",
          r"\"event\":\"degraded\",\"service\":\"crashloop\",\"incarnation\":2,"
          r"\"reason\":\"fails during initialisation\""],
         cmdline="", modules=init_boot("ds+init", "policy", ["crashloop"]),
         prepare=write_init_scripts, exit=None, until=r"\"event\":\"degraded\"",
         driver=lambda boot: boot.drain(1.0),
         forbid=[r"KERNEL PANIC", r"service=crashloop incarnation=3"], timeout=60),
    Case("init_lua_hooks",
         "a Lua failure hook decides what RS does (restart after 20 ms, then stop); a hook "
         "that runs past its budget or errors falls back to the declared policy, and both "
         "are logged",
         [r"\"event\":\"hook\",\"service\":\"crashloop\",\"incarnation\":1,\"reason\":\"hook: restart later\"",
          r"restart in 20 ms",
          r"init: warning: hook of spinner failed: hook ran longer than its 30 ms budget",
          r"\"event\":\"hook\",\"service\":\"spinner\".*the hook left it to the policy",
          r"init: warning: hook of oops failed: init\.lua:14: oops",
          r"\"event\":\"hook\",\"service\":\"crashloop\",\"incarnation\":3,\"reason\":\"hook: stop\"",
          r"\"event\":\"stop\",\"service\":\"crashloop\",\"incarnation\":3"],
         cmdline="", modules=init_boot("ds+init", "hooks", ["crashloop"]),
         prepare=write_init_scripts, exit=None,
         until=r"(?s)(?=.*\"service\":\"spinner\".*degraded)(?=.*\"service\":\"oops\".*degraded)"
               r"(?=.*\"stop\",\"service\":\"crashloop\")",
         driver=lambda boot: (boot.drain(0.5), None)[1],
         forbid=[r"KERNEL PANIC", r"service=crashloop incarnation=4"], timeout=60),
    Case("init_hook_stuck_rs_deadline",
         "a hook stuck inside one C call, out of reach of init's own budget, is cut off by "
         "RS's deadline: RS logs that it had no answer and applies the declared policy",
         [r"\"event\":\"hook\",\"service\":\"stuck\",\"incarnation\":1,\"reason\":\"timeout\""
          r".*no answer within the budget: policy applies",
          r"\"event\":\"degraded\",\"service\":\"stuck\""],
         cmdline="", modules=init_boot("ds+init", "stuck", ["crashloop"]),
         prepare=write_init_scripts, exit=None, until=r"\"event\":\"degraded\"",
         forbid=[r"KERNEL PANIC", r"reason\":\"hook: "], timeout=60),
    Case("init_lua_libs",
         "init.lua has os and io as far as Resurgo can honour them: the real-time clock, "
         "its own script read through io.open and io.lines, the log; writing, removing, "
         "reading a module it was not given and os.exit fail with a clear message; a "
         "file RS has not got is refused by name",
         [r"\[init\.elf\] libs: year 20[2-9]\d, integer seconds\r?\n", r"libs: clock is a float",
          r"libs: first line: print\(\"libs: year", r"libs: \d{3,4} bytes", r"libs: 16 lines",
          r"libs: /boot/uart\.elf: No such file or directory",
          r"libs: /boot/init\.lua: Read-only file system",
          r"libs: /boot/init\.lua: Read-only file system",
          r"libs: stdin gives nil", r"\[init\.elf\] libs: os\.exit is not for init\.lua: init would end and RS restart it\r?\n",
          r"libs: io\.write reaches the log",
          r"svc_declare.*files: no boot module nothere\.txt",
          r"svc_declare.*files: too many files \(at most 4\)",
          r"init\.lua done: 0 services declared, 2 refused"],
         cmdline="", modules=init_boot("ds+init", "libs"), prepare=write_init_scripts,
         exit=None, until=r"init\.lua done", forbid=[r"KERNEL PANIC"], timeout=60),
    Case("init_crash_policies_kept",
         "init crashes after running its script: RS keeps what "
         "it declared, restarts init, which runs the script and declares again",
         [r"init declared uart", r"init: info: init\.lua done: 1 services declared",
          r"\"event\":\"failure\",\"service\":\"init\",\"incarnation\":1",
          r"event=start service=init incarnation=2", r"init declared uart",
          r"init: info: init\.lua done: 1 services declared",
          r"\"event\":\"restart\",\"service\":\"init\",\"incarnation\":2"],
         cmdline="", modules=init_boot("ds+uart+init+crasher", "busy", ["crasher"],
                                      "args.crasher=target=init+count=1+gap=0+kinds=exception"),
         prepare=write_init_scripts, exit=None,
         until=r"\"event\":\"restart\",\"service\":\"init\",\"incarnation\":2",
         forbid=[r"KERNEL PANIC", r"\"event\":\"degraded\"", r"had no effect"], timeout=90),
    Case("shell_lua",
         "lua at the shell: -e runs a chunk; the prompt prints expressions, continues an "
         "unfinished statement, survives errors, reaches the services through svc.*, "
         "os.date tells the real-time clock's year, and a call Resurgo cannot honour "
         "fails with a Lua error",
         [r"2\t0\.333333\trunning\ttrue", r"lua> ", r">> ", r"\n1\r?\n4\r?\n9\r?\n",
          r"\"event\":\"restart\",\"service\":\"uart\",\"incarnation\":2",
          r"stdin:1: attempt to perform arithmetic on a nil value",
          r"lua> svc\.status\('uart'\)\.incarnation\r?\n2\r?\n",
          r"-- Resurgo start-up script", r"nil\t/boot/init\.lua: Read-only file system\t30",
          r"nil\tx: No such file or directory\t2", r"resurgo> $"],
         cmdline="", modules=system_boot("ds+uart+shell"), exit=None,
         until=r"(?s)No such file.*resurgo> $",
         steps=[(r"resurgo> ", "lua -e 'print(1+1, string.format(\"%g\", 1/3), "
                              "svc.status(\"uart\").state, os.date(\"!%Y\") >= \"2024\")'\r"),
                (r"(?s)running.*resurgo> ", "lua\r"), (r"lua> ", "for i = 1, 3 do\r"),
                (r">> ", "print(i * i) end\r"), (r"(?s)9.*lua> ", "svc.restart('uart')\r"),
                (r"(?s)true.*lua> ", "nil + 1\r"),
                (r"(?s)nil value.*lua> ", "svc.status('uart').incarnation\r"),
                (r"(?s)incarnation\r?\n2.*lua> ", "io.lines('/boot/init.lua')()\r"),
                (r"(?s)start-up script.*lua> ", "io.open('/boot/init.lua', 'w')\r"),
                (r"(?s)Read-only.*lua> ", "io.open('x')\r"),
                (r"(?s)No such file.*lua> ", "exit\r")],
         forbid=[r"KERNEL PANIC"], timeout=90),
    Case("shell_lua_data_store",
         "lua at the shell reads and writes through the data store as RS declared it "
         "(a capability it may read, a private name and an unowned name it may not), and "
         "adds to the counter, whose count survives the counter's crash",
         [r"\n5\r?\n5\r?\ntrue\tcapability\r?\n",
          r"nil\tcounter\.count: capability lacks the right",
          r"nil\tx: capability lacks the right",
          r"\"event\":\"restart\",\"service\":\"counter\",\"incarnation\":2",
          r"lua> counter\.get\(\)\r?\n5\r?\n", r"lua> counter\.add\(2\)\r?\n7\r?\n"],
         cmdline="", modules=system_boot("ds+uart+shell+counter", ["counter"]), exit=None,
         until=r"(?s)counter\.add\(2\)\r?\n7.*lua> ",
         steps=[(r"resurgo> ", "lua -e 'print(counter.add(5)); print(counter.get()); "
                              "print(ds.get(\"console\")); print(ds.get(\"counter.count\")); "
                              "print(ds.set(\"x\", 1))'\r"),
                (r"(?s)x: .*resurgo> ", "svc crash counter\r"),
                (r"(?s)counter asked to fail.*resurgo> ", "lua\r"),
                (r"lua> ", "counter.get()\r"), (r"(?s)\n5\r?\nlua> ", "counter.add(2)\r")],
         forbid=[r"KERNEL PANIC"], timeout=90),
    Case("fault_injection_each_type",
         "the fault injector makes one fault of every type in the console driver from the "
         "shell (code faults at instruction boundaries from its site table, data, register "
         "and control faults where its thread stands); each is recorded with its seed and "
         "place, the driver that crashed or hung is restarted, and the system carries on",
         [r"fi: uart (\S+) seed 1\d: made at 0x",
          r"(?s)\"event\":\"inject\",\"service\":\"uart\"[^\n]*\"reason\":\"crash\".*?"
          r"\"event\":\"restart\",\"service\":\"uart\"",
          r"(?s)\"reason\":\"hang\".*?\"event\":\"failure\",\"service\":\"uart\"[^\n]*"
          r"\"reason\":\"hang\"",
          r"fi: uart meteor seed 1: invalid argument",
          r"fi: fi nop seed 1: capability lacks the right",
          r"uart +running +\d+ +\d+"],
         cmdline="", modules=fi_boot("ds+uart+shell+fi"),
         extra=["-debugcon", "file:" + events_file("fault_injection_each_type")],
         exit=None, until=r"(?s)resurgo> fi fi nop.*NAME +STATE.*resurgo> ",
         # The next command goes after the prompt that follows the last one: a line
         # the shell wrote while the driver died is lost (console write is not
         # idempotent, so it is not sent again).
         steps=[(r"resurgo> " if i == 0 else rf"(?s)fi uart {FI_TYPES[i - 1]} .*resurgo> ",
                 f"fi uart {t} 1 {10 + i}\r") for i, t in enumerate(FI_TYPES)]
               + [(r"(?s)fi uart wild-write .*resurgo> ", "fi uart meteor\r"),
                  (r"(?s)fi uart meteor.*resurgo> ", "fi fi nop\r"),
                  (r"(?s)fi fi nop.*resurgo> ", "ps\r")],
         driver=check_injections("fault_injection_each_type"),
         forbid=[r"KERNEL PANIC", r"\"event\":\"degraded\""], timeout=120),
    Case("busy_service_not_killed",
         "a driver kept busy by a client that never pauses still answers its 10 ms "
         "heartbeats between requests: no hang is declared, nothing restarts",
         [r"chatter: info: done: 30000 lines, 0 outcomes unknown"],
         cmdline="", modules=system_boot("ds+uart+chatter", ["chatter"], "args.chatter=lines=30000"),
         exit=None, until=r"chatter: info: done:",
         forbid=[r"KERNEL PANIC", r"\"event\":\"failure\",\"service\":\"uart\""], timeout=120),
    Case("counter_keeps_count",
         "a counter server that stashes its count in the data store keeps it across 100 "
         "crashes of every kind while a client adds to it",
         [r"crasher: info: 100 crashes of counter injected",
          r"crasher: info: counter kept its count: final \d+, confirmed adds \d+"],
         cmdline="", modules=system_boot(
             "ds+counter+crasher", ["counter", "crasher"],
             "policy.counter=max=30+window=100+base=0+cap=0 "
             "args.crasher=target=counter+count=100+adds=20+gap=3+seed=5"),
         exit=None, until=r"counter (kept|LOST)", forbid=[r"KERNEL PANIC", r"LOST ITS COUNT"],
         timeout=120),
    Case("crash_loop_escalates",
         "a service that crashes in its own initialisation is retried with growing back-off "
         "a bounded number of times, then its policy gives up and says so (no loop)",
         [r"\"event\":\"failure\",\"service\":\"crashloop\",\"incarnation\":1",
          r"\"event\":\"failure\",\"service\":\"crashloop\",\"incarnation\":2",
          r"\"event\":\"backoff\",\"service\":\"crashloop\".*restart in 20 ms",
          r"\"event\":\"failure\",\"service\":\"crashloop\",\"incarnation\":3",
          r"restart in 40 ms",
          r"\"event\":\"failure\",\"service\":\"crashloop\",\"incarnation\":4",
          r"\"event\":\"degraded\",\"service\":\"crashloop\",\"incarnation\":4,"
          r"\"reason\":\"fails during initialisation\""],
         cmdline="", modules=system_boot("ds+crashloop", ["crashloop"]),
         exit=None, until=r"\"event\":\"degraded\"", driver=lambda boot: boot.drain(1.5),
         forbid=[r"KERNEL PANIC", r"service=crashloop incarnation=5"], timeout=60),
    Case("hostile_service_refused",
         "a service that forges a notice, reports ready twice, controls another service, "
         "asks to debug one or forges an injection record, squats 'console', reads a private name or publishes an unbadged endpoint is "
         "refused each time, and RS and DS log the refusals",
         [r"forged fault notice to RS: refused", r"second ready: refused",
          r"\"event\":\"refused\",\"service\":\"forger\",\"incarnation\":1,\"reason\":\"svc_stop\"",
          r"svc stop uart without the control right: refused", r"halt without the control right: refused",
          r"debugging uart without the inject right: refused",
          r"an inject event without the inject right: refused",
          r"ds: warning: refused: forger may not publish_cap 'console' \(owned by uart\)",
          r"squatting 'console': refused", r"reading 'counter.count': refused",
          r"publishing a name nobody owns: refused",
          r"publishing its own name with an unbadged endpoint: refused",
          r"10 of 10 attempts refused"],
         cmdline="", modules=system_boot("ds+uart+forger", ["forger"]),
         exit=None, until=r"attempts refused", forbid=[r"KERNEL PANIC", r"NOT REFUSED"],
         timeout=60),
    Case("user_server", "the libsys server framework: dispatch, unknown labels, heartbeats, "
         "deferred replies, crash requests only from badge 0, fresh and restart init",
         [r"dispatch, unknown labels and heartbeats behave", r"deferred reply was answered",
          r"fresh start and restart run their own init",
          r"fwsrv: warning: failing on request", r"fault: task 'fwsrv\.elf' .* invalid opcode",
          r"crash request from badge 0 crashed the server", r"TEST server PASSED"],
         cmdline="root=t_server.elf exit=root",
         modules=[(os.path.join(USER, "t_server.elf"), ""), (os.path.join(USER, "fwsrv.elf"), ""),
                  INIT_LUA],
         forbid=[r"KERNEL PANIC", r"CHECK FAILED"]),
    Case("user_selfsup", "a task that is its own supervisor exits or faults; its parent "
         "destroys it; no panic, no hang, no leak",
         [r"that exits with itself as supervisor was destroyed",
          r"that faults with itself as supervisor was destroyed", r"TEST selfsup PASSED"],
         cmdline="root=t_selfsup.elf exit=root",
         modules=[(os.path.join(USER, "t_selfsup.elf"), ""),
                  (os.path.join(USER, "selfsup.elf"), ""), INIT_LUA],
         forbid=[r"KERNEL PANIC", r"CHECK FAILED"]),
    Case("kernel_stack_overflow",
         "a kernel stack overflow hits the guard page and is named in a clean panic",
         [r"ktest: recursing on the kernel stack",
          r"KERNEL PANIC: kernel stack overflow: the kernel stack ran into its guard page",
          r"RIP 0xffffffff8[0-9a-f]+ .*mode kernel", r"system halted"],
         cmdline="ktest=stackoverflow", exit=EXIT_PANIC, forbid=[r"while panicking"]),
    Case("nmi_not_blamed",
         "an NMI is taken on its own stack, reported as not caused by any task, and "
         "execution goes on",
         [r"non-maskable interrupt .*not caused by the running task",
          r"ktest: execution continues after the NMI"],
         cmdline="ktest=nmi"),
    Case("user_flip_rflags",
         "bits of a running task's live RFLAGS flipped from outside (QEMU's gdb stub: VM, "
         "NT, IOPL, RF, AC, VIF, VIP, ID, TF) never take the kernel down",
         [r"flip: ready", r"host: \d+ stops, flips VM=[1-9]\d* NT=[1-9]",
          r"flip: the kernel survived \d+ ms of flipped RFLAGS bits", r"TEST flip PASSED"],
         cmdline="root=t_flip.elf exit=root",
         modules=[(os.path.join(USER, "t_flip.elf"), ""), SPIN_ELF,
                  (os.path.join(BUILD, "fixtures", "sysloop.elf"), ""), INIT_LUA],
         extra=["-serial", "null"], gdb=True, driver=flip_rflags, timeout=60,
         forbid=[r"KERNEL PANIC", r"CHECK FAILED", r"double fault"]),
    Case("unknown_ktest",
         "an unknown self-test name is reported, not ignored",
         [r"ktest: unknown test 'nonsense'"],
         cmdline="ktest=nonsense", exit=EXIT_FAILURE),
    # The platform's halt operation (tests/user/t_halt.c).
    Case("halt_exits_qemu",
         "a root task holding the platform with MANAGE halts the system: the kernel names "
         "it and QEMU exits with the success status (not through the root task ending)",
         [r"halt: a platform capability without MANAGE is refused",
          r"halt: asking the kernel to end the system", r"kernel: halted by t_halt\.elf"],
         cmdline="root=t_halt.elf exit=root",
         modules=[(os.path.join(USER, "t_halt.elf"), ""), INIT_LUA],
         forbid=[r"KERNEL PANIC", r"CHECK FAILED", r"TEST halt", r"root task ended"]),
    Case("halt_refused_without_manage",
         "a platform capability minted without MANAGE cannot halt (RS_E_RIGHTS)",
         [r"halt: a platform capability without MANAGE is refused",
          r"TEST halt_rights PASSED", r"root task ended \(status 0\)"],
         cmdline="root=t_halt.elf exit=root",
         modules=[(os.path.join(USER, "t_halt.elf"), "halt=no"), INIT_LUA],
         forbid=[r"KERNEL PANIC", r"CHECK FAILED", r"halted by"]),
]

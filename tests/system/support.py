"""What the QEMU system tests are made of (the cases themselves are in
kernel_cases.py and service_cases.py): the Case record, the boots of the real
system, the init.lua scripts the tests use, and the drivers and checks that
read a boot's log and events."""
import collections
import json
import os
import re
import time
from dataclasses import dataclass, field

from qemu import BUILD, EXIT_SUCCESS, ROOT, console_lines, driver_lines

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


def system_boot(services, extra_modules=(), rs_args="", with_components=()):
    """Modules for a boot of the real system: the root task with `services`
    (separated by '+': QEMU's -initrd splits on commas) and more of its arguments
    (policy.NAME=..., args.NAME=..., '+' for spaces within one); extra_modules
    from build/user/, with_components from build/."""
    return ([(os.path.join(BUILD, "rs.elf"), f"services={services} {rs_args}".strip()),
             COMPONENTS["ds"], COMPONENTS["uart"], COMPONENTS["shell"]]
            + [(os.path.join(BUILD, m + ".elf"), "") for m in with_components]
            + [(os.path.join(USER, m + ".elf"), "") for m in extra_modules] + [INIT_LUA])


FI_TYPES = ["text-flip", "nop", "src", "dst", "pointer", "branch", "loop", "stack-flip",
            "heap-flip", "data-flip", "reg-flip", "crash", "hang", "wild-write",
            "bogus-ipc", "exhaust"]


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
        acted = {re.search(r"type=(\S+)", e["detail"] or "").group(1)
                 for e in read_events(name) if e["event"] == "activated"}
        if not {"bogus-ipc", "exhaust"} <= acted:
            return f"bogus-ipc and exhaust did not act when the driver ran: {sorted(acted)}"
        boot.note(f"host: {len(events)} faults on the event channel, {len(acted)} types acted "
                  f"when reached")
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


def check_exactly_once(log, total):
    """The chatter's output is exactly "chatter: line 1" .. "chatter: line N", each
    once and whole: no line lost, doubled, cut or with a byte lost or repeated."""
    lines = driver_lines(log)
    ready = next((i for i, l in enumerate(lines) if l.startswith("kernel ready")), -1)
    got = [l for l in lines[ready + 1:] if l]      # after the kernel's own boot lines
    want = [f"chatter: line {n}" for n in range(1, total + 1)]
    if got == want:
        return None
    bad = next(i for i, (a, b) in enumerate(zip(got + [None], want + [None])) if a != b)
    return (f"not exactly once: {len(got)} lines for {total}; line {bad + 1} is "
            f"{got[bad] if bad < len(got) else None!r}, not "
            f"{want[bad] if bad < len(want) else None!r}")


def check_lines(log, what, exact=False):
    """Every line 1..N exactly once, except as many repeats as the chatter counted
    "outcome unknown" (exact: none unknown, and the stream of lines exactly right,
    check_exactly_once); returns None or why not."""
    m = re.search(r"done: (\d+) lines, (\d+) outcomes unknown", log)
    if not m:
        return f"{what}: the chatter did not finish"
    total, unknown = int(m.group(1)), int(m.group(2))
    if exact and unknown:
        return f"{what}: {unknown} outcomes unknown, where every write is answered once"
    if exact:
        return check_exactly_once(log, total)
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


def check_rs_run(boot):
    """RS's 1000 restarts: each one the kernel's, and the chatter's lines exact."""
    if boot.wait(lambda log: "chatter: info: told of" in log, 280) != "match":
        return "the chatter did not finish"
    boot.drain(1.0)
    restarts = len(re.findall(r"boot: root task restarted", boot.log))
    if restarts < 1000:
        return f"{restarts} restarts of RS by the kernel, not 1000"
    why = check_lines(boot.log, "numbered lines", exact=True)
    if why:
        return why
    boot.note(f"host: {restarts} restarts of RS")
    return None


def check_crash_run(name, crashes):
    """The driver for the 1,000-crash case: lines, events and latencies."""
    def driver(boot):
        if boot.wait(lambda log: "chatter: info: outages=" in log, 280) != "match":
            return "the chatter did not finish"
        boot.drain(1.0)
        why = check_lines(boot.log, "numbered lines", exact=True)
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
    # The PCI server and the ATA driver declared in Lua: the bus (pci_bus) and the
    # one device the driver may open (pci) reach RS.
    "ata": """service "pci" { binary = "pci.elf", priority = 24, ports = {0xCF8, 8},
                pci_bus = true, owns = {"pci"}, heartbeat = 50 }
service "ata" { binary = "ata.elf", priority = 23, pci = "8086:7010", depends = {"pci"},
                owns = {"block"}, heartbeat = 50, restart = "transient" }
service "blkclient" { binary = "blkclient.elf", reads = {"block"}, depends = {"ata"},
                      args = "blocks=16 rounds=1", restart = "temporary" }
""",
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


def blank_disk(name, mib=8):
    """A fresh disk image of mib MiB of zeros under build/tests/data for a case
    (made by prepare, each run), and QEMU's arguments for it as the primary IDE
    channel's master."""
    path = os.path.join(DATA, name + ".img")

    def prepare():
        os.makedirs(DATA, exist_ok=True)
        if os.path.exists(path):
            os.remove(path)
        with open(path, "wb") as f:
            f.truncate(mib << 20)
    return prepare, ["-drive", f"file={path},format=raw,if=ide,index=0,media=disk"]


BLOCK_DONE = re.compile(
    r"blkclient: info: block workload intact: (\d+) writes, (\d+) reads, (\d+) bytes verified, "
    r"(\d+) rounds, 0 lost, 0 duplicated, 0 corrupt, 0 unknown, 0 errors; session writes (\d+), "
    r"(\d+) resumed after a crash")


def check_block_run(name, crashes, service="ata"):
    """The driver of a block driver's crash case: the workload ended intact, the
    session's count of writes equals the writes the client confirmed (each ran
    once), and the event channel shows a failure and a restart of the driver for
    every crash."""
    def driver(boot):
        if boot.wait(lambda log: re.search(r"blkclient: (info: (block workload|BLOCK)|error)",
                                           log), 200) != "match":
            return "the block workload did not finish"
        boot.drain(1.0)
        m = BLOCK_DONE.search(boot.log)
        if not m:
            return "the block workload did not end intact"
        writes, reads, verified, rounds, session, resumed = map(int, m.groups())
        if session != writes:
            return f"the session counted {session} writes, the client confirmed {writes}"
        events = read_events(name)
        failures = [e for e in events if e["event"] == "failure" and e["service"] == service]
        restarts = [e for e in events if e["event"] == "restart" and e["service"] == service]
        if len(failures) < crashes or len(restarts) < crashes:
            return (f"event channel: {len(failures)} failures, {len(restarts)} restarts "
                    f"of {service}")
        kinds = collections.Counter(e["reason"] for e in failures)
        boot.note(f"host: {writes} writes (each once: session count {session}), {reads} reads, "
                  f"{verified} bytes verified in {rounds} rounds across {len(restarts)} "
                  f"restarts of {service} "
                  f"({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))}); "
                  f"{resumed} writes went on from their progress after a crash; "
                  f"{boot.log.count('in the middle of a command: reset')} starts found the "
                  f"device mid-command and reset it")
        return None
    return driver

"""System tests of the services: the shell, restarts of the console driver and the
data store, Lua (oracle, init.lua, hooks, the shell's prompt), fault injection,
heartbeats, the counter, crash loops and hostile services."""
import os
import re

from qemu import BUILD, EXIT_SUCCESS
from support import (Case, check_rs_run, FI_TYPES, INIT_LUA, USER, blank_disk, check_block_run,
                     check_crash_run, check_injections, events_file, fi_boot, init_boot,
                     lua_oracle_matches, restarted, system_boot, write_init_scripts)

BLOCK_DISK = {name: blank_disk(name) for name in
              ("ata_block_workload", "ata_crashes_under_load", "ata_bad_requests",
               "ata_declared_by_init_lua")}

SERVICE_CASES = [
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
         "the console driver made to crash, page-fault, exit, hang and spin in its loop "
         "(still beating: RS counts no beat from a task that does not receive) from the shell "
         "comes back each time; a client printing numbered lines carries on, and the shell "
         "reconnects quietly and shows the counters",
         [r"chatter: line 20\b",
          r"\"event\":\"failure\",\"service\":\"uart\",\"incarnation\":1,\"reason\":\"exception\"",
          r"\"event\":\"restart\",\"service\":\"uart\",\"incarnation\":2",
          r"svc crash: uart asked to fail \(exception\)", r"\"reason\":\"page-fault\"", r"\"event\":\"restart\",\"service\":\"uart\",\"incarnation\":3",
          r"\"incarnation\":3,\"reason\":\"exit\"",
          r"\"event\":\"restart\",\"service\":\"uart\",\"incarnation\":4",
          r"\"incarnation\":4,\"reason\":\"hang\",\"detect_us\":\d+",
          r"\"event\":\"restart\",\"service\":\"uart\",\"incarnation\":5",
          r"rs: warning: uart beats but has waited for no request in \d+ ms: its beats do "
          r"not count", r"\"incarnation\":5,\"reason\":\"hang\"",
          r"\"event\":\"restart\",\"service\":\"uart\",\"incarnation\":6",
          r"failures 5 \(hangs 2\), restarts 5", r"chatter: line \d+"],
         cmdline="", modules=system_boot("ds+uart+shell+chatter", ["chatter"],
                                         "args.chatter=pause=20"),
         exit=None, until=r"failures 5 \(hangs 2\), restarts 5(?s:.*)chatter: line \d+",
         steps=[(r"chatter: line 20\b", "svc crash uart exception\r"),
                (restarted(2), "svc crash uart pagefault\r"),
                (restarted(3), "svc crash uart exit\r"),
                (restarted(4), "svc crash uart hang\r"),
                (restarted(5), "svc crash uart busy\r"),
                (restarted(6), "svc status uart\r")],
         forbid=[r"KERNEL PANIC", r"\"event\":\"degraded\""], timeout=90),
    Case("driver_crashes_1000",
         "1,000 crashes of the console driver at random moments, of every kind (in the "
         "middle of a write too): it comes back each time, and a busy client's numbered "
         "lines come out exactly once each, whole, none lost, doubled or cut (its session "
         "region's record and progress); each failure and restart is one JSON line on "
         "the event channel",
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
         "the default init.lua from the GRUB image declares the console, the PCI server, "
         "the e1000 driver, the network server and the shell to RS, which starts them with "
         "their policies; lwIP comes up on the e1000",
         [r"init declared uart \(uart\.elf\)", r"init declared pci \(pci\.elf\)",
          r"init declared e1000 \(e1000\.elf\)", r"init declared net \(net\.elf\)",
          r"init declared shell \(shell\.elf\)",
          r"init\.lua done: 5 services declared, 0 refused",
          r"resurgo> "],
         boot="iso", exit=None,
         until=r"(?s)^(?=.*init\.lua done.*resurgo> )(?=.*net: info: lwIP)",
         timeout=60),
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
         [r"fi: uart (\S+) seed 1\d: (made|armed) at 0x",
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
               + [(rf"(?s)fi uart {FI_TYPES[-1]} .*resurgo> ", "fi uart meteor\r"),
                  (r"(?s)fi uart meteor.*resurgo> ", "fi fi nop\r"),
                  (r"(?s)fi fi nop.*resurgo> ", "ps\r")],
         driver=check_injections("fault_injection_each_type"),
         forbid=[r"KERNEL PANIC", r"\"event\":\"degraded\""], timeout=120),
    Case("too_long_boot_line_said",
         "a boot module line longer than the kernel keeps (1023 bytes) is cut with a warning "
         "that names the module, in the boot log's module list; the system runs",
         [r"\[0\] rs\.elf .*\n  \[0\] WARNING: its line is longer than 1023 bytes: it was "
          r"cut there", r"uart +running"],
         cmdline="", modules=system_boot("ds+uart+shell", rs_args="args.chatter=" + "x=1+" * 260),
         exit=None, until=r"(?s)NAME +STATE.*resurgo> ", steps=[(r"resurgo> ", "ps\r")],
         forbid=[r"KERNEL PANIC"], timeout=60),
    Case("busy_service_not_killed",
         "a driver kept busy by a client that never pauses still answers its 10 ms "
         "heartbeats between requests: no hang is declared, nothing restarts",
         [r"chatter: info: done: 30000 lines, 0 outcomes unknown"],
         cmdline="", modules=system_boot("ds+uart+chatter", ["chatter"], "args.chatter=lines=30000"),
         exit=None, until=r"chatter: info: done:",
         forbid=[r"KERNEL PANIC", r"\"event\":\"failure\",\"service\":\"uart\""], timeout=120),
    Case("kv_sessions_survive_1000_crashes",
         "the key-value server, whose clients' keys and cursors live in their session "
         "regions, is crashed 1000 times (every kind RS makes, and the fault injector's "
         "crash and hang wherever kv stands, in the middle of requests too) "
         "while a client with two sessions puts, gets and iterates: every put runs "
         "exactly once, no value is lost or wrong, each cursor stands where it was "
         "left, and both sessions' checksums match the client's; the client then exits "
         "with both sessions open (their regions freed with it)",
         [r'"event":"inject","service":"kv","incarnation":\d+,"reason":"crash"',
          r"crasher: info: 1000 crashes of kv injected",
          r"kvclient: info: kv sessions intact: \d+ operations, puts confirmed A \d+ B \d+"
          r", \d+ gets, \d+ iterations, 0 unknown outcomes, 0 errors"],
         cmdline="", modules=system_boot(
             "ds+kv+kvclient+fi+crasher", ["kvclient", "crasher"],
             "policy.kv=max=32+window=100+base=0+cap=0 "
             "args.crasher=target=kv+count=1000+gap=3+seed=5+delay=50"
             "+kinds=exception.pagefault.exit.hang.anywhere.ficrash.fispin "
             "args.kvclient=until=crash-done+seed=3", with_components=("kv", "fi"))
             + [(os.path.join(BUILD, m), "") for m in ("uart.sites", "ds.sites")],
         exit=None, until=r'"event":"stop","service":"kvclient"',   # it exited with two
                                                                    # sessions open
         forbid=[r"KERNEL PANIC", r"KV SESSIONS BROKEN", r"kvclient: error"], timeout=240),
    Case("ata_block_workload",
         "the ATA driver finds the 8 MiB disk on the primary IDE channel, resets it and "
         "serves the block protocol: 256 blocks of 4 KiB written, read back and rewritten "
         "over four rounds, every byte read back as written, each write counted once by "
         "its session",
         [r"ata: info: disk 'QEMU HARDDISK': 16384 sectors \(8192 KiB\), LBA28 PIO, polled",
          r"blkclient: info: disk of 16384 sectors",
          r"blkclient: info: block workload intact: \d+ writes, \d+ reads, [1-9]\d+ bytes "
          r"verified, 5 rounds, 0 lost, 0 duplicated, 0 corrupt, 0 unknown, 0 errors"],
         cmdline="", modules=system_boot("ds+pci+ata+blkclient", ["blkclient"],
                                         "args.blkclient=blocks=256+rounds=4+seed=7",
                                         with_components=("pci", "ata")),
         prepare=BLOCK_DISK["ata_block_workload"][0], extra=BLOCK_DISK["ata_block_workload"][1],
         exit=None, until=r"blkclient: (info: (block workload|BLOCK)|error)",
         forbid=[r"KERNEL PANIC", r"BLOCK DATA BROKEN", r"blkclient: error",
                 r"\"event\":\"failure\",\"service\":\"ata\""], timeout=60),
    Case("ata_crashes_under_load",
         "the ATA driver is crashed 300 times, of every kind RS makes and the fault "
         "injector's crash and hang wherever it stands (in the middle of a transfer too), "
         "while a client writes, reads back and rewrites 4 KiB blocks: each restart resets "
         "the device, every write runs exactly once (the session's count equals the writes "
         "confirmed), no block is lost or corrupt and no outcome is unknown",
         [r'"event":"inject","service":"ata","incarnation":\d+,"reason":"crash"',
          r"crasher: info: 300 crashes of ata injected",
          r"blkclient: info: block workload intact: \d+ writes, \d+ reads, [1-9]\d+ bytes "
          r"verified, \d+ rounds, 0 lost, 0 duplicated, 0 corrupt, 0 unknown, 0 errors",
          r"host: \d+ writes"],
         cmdline="", modules=system_boot(
             "ds+pci+ata+blkclient+fi+crasher", ["blkclient", "crasher"],
             "policy.ata=max=32+window=100+base=0+cap=0 "
             "args.crasher=target=ata+count=300+gap=5+seed=5+delay=50"
             "+kinds=exception.pagefault.exit.hang.anywhere.ficrash.fispin "
             "args.blkclient=until=crash-done+blocks=128+seed=3", with_components=("pci", "ata", "fi"))
             + [(os.path.join(BUILD, m), "") for m in ("uart.sites", "ds.sites")],
         prepare=BLOCK_DISK["ata_crashes_under_load"][0],
         extra=BLOCK_DISK["ata_crashes_under_load"][1]
               + ["-debugcon", "file:" + events_file("ata_crashes_under_load")],
         exit=None, until=r"blkclient: (info: (block workload|BLOCK)|error)",
         driver=check_block_run("ata_crashes_under_load", 300),
         forbid=[r"KERNEL PANIC", r"BLOCK DATA BROKEN", r"blkclient: error",
                 r"\"event\":\"degraded\"", r"svc_crash ata failed", r"had no effect"],
         timeout=240),
    Case("ata_bad_requests",
         "malformed block requests (a read or write past the disk's end or beyond LBA28, "
         "a count of 0 or 9 sectors, a buffer that is not whole sectors) are refused with "
         "RS_E_RANGE, RS_E_INVAL and RS_E_ALIGN; the driver does not fail, and a good write "
         "and read after them are right",
         [r"blkclient: info: bad requests refused: 10 of 10 bad requests refused with their "
          r"errors; a good write and read after them verified"],
         cmdline="", modules=system_boot("ds+pci+ata+blkclient", ["blkclient"],
                                         "args.blkclient=mode=bad", with_components=("pci", "ata")),
         prepare=BLOCK_DISK["ata_bad_requests"][0], extra=BLOCK_DISK["ata_bad_requests"][1],
         exit=None, until=r"blkclient: (info: (bad|BAD)|error)",
         forbid=[r"KERNEL PANIC", r"BAD REQUESTS NOT REFUSED", r"blkclient: error",
                 r"\"event\":\"failure\",\"service\":\"ata\""], timeout=60),
    Case("ata_no_disk_exits_cleanly",
         "with no disk attached (the default `make run`), the ATA driver says so and exits "
         "0, and its transient policy leaves it stopped: no failure, no restart loop",
         [r"ata: info: no disk on the primary IDE channel \(master\): nothing to serve",
          r"\"event\":\"stop\",\"service\":\"ata\""],
         cmdline="", modules=system_boot("ds+pci+ata", with_components=("pci", "ata")),
         exit=None, until=r"\"event\":\"stop\",\"service\":\"ata\"",
         driver=lambda boot: (boot.drain(1.0), None)[1],
         forbid=[r"KERNEL PANIC", r"service=ata incarnation=2", r"\"event\":\"degraded\""],
         timeout=60),
    Case("ata_declared_by_init_lua",
         "init.lua declares the PCI server (the bus), the ATA driver (the one PCI device "
         "it may open) and a client of it; RS starts them, the PCI server gives the driver "
         "its channel's ports, and the workload ends intact",
         [r"init declared pci \(pci\.elf\)", r"init declared ata \(ata\.elf\)",
          r"pci: info: 00:01\.1 8086:7010 opened by service \d+",
          r"ata: info: disk 'QEMU HARDDISK'",
          r"blkclient: info: block workload intact: 20 writes, \d+ reads, [1-9]\d+ bytes"],
         cmdline="", modules=init_boot("ds+init", "ata", ["blkclient"])
             + [(os.path.join(BUILD, m), "") for m in ("pci.elf", "ata.elf")],
         prepare=lambda: (write_init_scripts(), BLOCK_DISK["ata_declared_by_init_lua"][0]()),
         extra=BLOCK_DISK["ata_declared_by_init_lua"][1],
         exit=None, until=r"blkclient: (info: (block workload|BLOCK)|error)",
         forbid=[r"KERNEL PANIC", r"BLOCK DATA BROKEN", r"blkclient: error", r"[1-9]\d* refused",
                 r"\"event\":\"refused\""],
         timeout=60),
    Case("datastore_keeps_its_contents_1000_crashes",
         "the data store crashed 1000 times of every kind while a client publishes and "
         "reads back: every value read is the last published, the capability stored "
         "before the first crash is still the same object, and every publish is noticed "
         "through the subscription made before it (contents, capabilities and "
         "subscriptions kept outside DS, in RS's keep frame and capability store)",
         [r"ds: info: restarted with the kept store: \d+ entries, 1 subscriptions",
          r"crasher: info: 1000 crashes of ds injected",
          r"dsclient: info: ds kept everything: \d+ publishes, \d+ noticed, \d+ read back, "
          r"\d+ capability checks, 0 errors"],
         cmdline="", modules=system_boot(
             "ds+dsclient+crasher", ["dsclient", "crasher"],
             "policy.ds=max=32+window=100+base=0+cap=0 "
             "args.crasher=target=ds+count=1000+gap=3+seed=9 args.dsclient=until=crash-done"),
         exit=None, until=r"dsclient: info: (ds kept|DS LOST)",
         forbid=[r"KERNEL PANIC", r"DS LOST SOMETHING", r"kept store is corrupt"], timeout=240),
    Case("rs_restarts_and_supervises_on",
         "RS, the root task, fails itself 1000 times (exception, page fault, exit); the "
         "kernel starts the next RS each time, which takes back the kept service table "
         "and capabilities and supervises on: the console driver, crashed through it "
         "every tenth time, is restarted, and a client's numbered lines all come out "
         "exactly once",
         [r"rs: info: restarted: \d+ services supervised again",
          r"crasher: info: 1000 crashes of rs injected", r"chatter: info: done: \d+ lines"],
         cmdline="", modules=system_boot(
             "ds+uart+chatter+crasher", ["chatter", "crasher"],
             "policy.uart=max=30+window=100+base=0+cap=0 args.chatter=until=crash-done "
             "args.crasher=target=rs+count=1000+gap=2+seed=4+kinds=exception.pagefault.exit"),
         exit=None, until=r"chatter: info: outages=|chatter: info: told of",
         driver=check_rs_run,
         forbid=[r"KERNEL PANIC", r"RS did not fail", r"not restarted", r"starting afresh",
                 r"cannot restart the root"], timeout=300),
    Case("damaged_session_region_reported",
         "a server damages a client's session region and crashes: its next incarnation "
         "finds the region inconsistent and answers that client's calls with a clean "
         "session error (RS_E_SESSION, never a wrong value), another client's session is "
         "intact, and the first, resetting its session (a new capability), starts anew",
         [r"tally: warning: session of badge 0x1 is corrupt: refused",
          r"tallyclient: info: damaged session reported"],
         cmdline="", modules=system_boot("ds+tally+tallyclient", ["tally", "tallyclient"]),
         exit=None, until=r"tallyclient: (info|error)",
         forbid=[r"KERNEL PANIC", r"DAMAGED SESSION NOT HANDLED"], timeout=60),
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
]

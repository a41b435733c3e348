#!/usr/bin/env python3
"""Runs every Resurgo test: the Check unit tests (host) and the QEMU system tests.
Prints one line per test and ends with `N passed, M failed`; exits non-zero on any
failure. Usage: tests/run.py [--system-only] [--unit-only] [-k SUBSTRING] [-j N]"""
import argparse
import concurrent.futures
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "system"))

import gdbstub  # noqa: E402
import qemu  # noqa: E402
from cases import CASES  # noqa: E402

UNIT_BIN = os.path.join(qemu.BUILD, "tests", "unit_tests")
LOGS = os.path.join(qemu.BUILD, "tests", "logs")
# Check's verbose lines: file:line:P|F|E:tcase:test:iteration: message; S marks a
# failure in a checked fixture (set-up or teardown, e.g. a leak report).
CHECK_LINE = re.compile(r"^[^:]+:-?\d+:([PFES]):([^:]+):([^:]+):-?\d+:? ?(.*)$")


def run_unit():
    """Runs the Check binary; returns [(name, ok, detail)]."""
    env = dict(os.environ, CK_VERBOSITY="verbose", CK_FORK="yes")
    proc = subprocess.run([UNIT_BIN], capture_output=True, text=True, env=env)
    results = []
    for line in proc.stdout.splitlines():
        m = CHECK_LINE.match(line)
        if m:
            results.append((f"unit/{m.group(2)}/{m.group(3)}", m.group(1) == "P",
                            m.group(4)))
    if proc.returncode != 0 and all(ok for _, ok, _ in results):
        tail = (proc.stdout + proc.stderr).strip().splitlines()[-5:]
        results.append(("unit/runner", False, "exit status %d: %s"
                        % (proc.returncode, " | ".join(tail))))
    if not results:
        results.append(("unit/runner", False, "no test results found"))
    return results


def check_log(case, log):
    """None when the log satisfies the case, else the reason it does not."""
    pos = 0
    for pattern in case.expect:
        m = re.compile(pattern, re.M).search(log, pos)
        if not m:
            return f"missing /{pattern}/"
        pos = m.end()
    for pattern in case.forbid:
        m = re.search(pattern, log, re.M)
        if m:
            return f"forbidden /{pattern}/ matched {m.group(0)!r}"
    return None


def play_steps(boot, case):
    """Types each step's keys once its pattern appears (after the previous step's
    match). Returns None when all were played, else how waiting ended."""
    pos = 0
    for pattern, keys in case.steps:
        found = []

        def seen(log, pattern=pattern):
            m = re.compile(pattern).search(log, pos)
            if m:
                found.append(m.end())
            return m

        how = boot.wait(seen, case.timeout)
        if how != "match":
            return how
        pos = found[-1]
        boot.type(keys)
    return None


def run_case(case):
    """Boots one case; returns (name, ok, detail, seconds)."""
    if case.prepare:
        case.prepare()
    extra, port = list(case.extra), None
    if case.gdb:
        port = gdbstub.free_port()
        extra += ["-gdb", f"tcp:127.0.0.1:{port}"]
    args = qemu.command(case.boot, case.cmdline, case.modules, case.memory, extra)
    boot = qemu.Boot(args)
    boot.gdb_port = port
    how = play_steps(boot, case)
    driver_failed = None
    if how is None and case.driver:
        driver_failed = case.driver(boot)
    until = (lambda log: re.search(case.until, log)) if case.until else None
    if how is None:
        how = boot.wait(until, case.timeout)
    if how == "match":
        boot.drain()
    status = boot.stop()
    log = boot.log
    with open(os.path.join(LOGS, case.name + ".log"), "w") as f:
        f.write("$ " + " ".join(args) + "\n" + log)
    why = None
    if how == "timeout":
        why = f"timed out after {case.timeout:.0f}s"
    elif how == "exit" and case.exit is not None and status != case.exit:
        why = f"QEMU exit status {status}, expected {case.exit}"
    elif how == "exit" and case.exit is None:
        why = f"QEMU exited ({status}) before /{case.until}/"
    why = why or driver_failed or check_log(case, log)
    return (f"system/{case.name}", why is None, why or case.what, boot.elapsed())


def run_system(pattern, jobs):
    os.makedirs(LOGS, exist_ok=True)
    cases = [c for c in CASES if pattern in c.name]
    results = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        for name, ok, detail, secs in pool.map(run_case, cases):
            report(name, ok, f"{detail} ({secs:.1f}s)")
            results.append((name, ok, detail))
    return results


def report(name, ok, detail):
    print(f"{'PASS' if ok else 'FAIL'} {name}" + ("" if ok else f": {detail}"), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--system-only", action="store_true")
    ap.add_argument("--unit-only", action="store_true")
    ap.add_argument("-k", default="", help="only system tests whose name contains this")
    ap.add_argument("-j", type=int, default=2, help="system tests run in parallel")
    opts = ap.parse_args()
    start = time.monotonic()
    results = []
    if not opts.system_only:
        unit = run_unit()
        for name, ok, detail in unit:
            if not ok:
                report(name, ok, detail)
        print(f"unit tests: {sum(ok for _, ok, _ in unit)} of {len(unit)} passed", flush=True)
        results += unit
    if not opts.unit_only:
        results += run_system(opts.k, opts.j)
    if not opts.unit_only and opts.k in "campaign":     # after the rest: it uses every core
        import campaign_test
        for name, ok, detail in campaign_test.run():
            report(name, ok, detail)
            results.append((name, ok, detail))
    passed = sum(ok for _, ok, _ in results)
    failed = len(results) - passed
    print(f"tests took {time.monotonic() - start:.1f}s; logs in build/tests/logs/")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or not results else 0


if __name__ == "__main__":
    sys.exit(main())

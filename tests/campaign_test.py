"""The fault-injection campaign as `make test` runs it: a small campaign on the
console driver (50 faults of every type, fixed seed) must have no kernel failure
and no silent data corruption, classify every experiment, write its CSV, JSON
and HTML (opened in headless Chromium); replaying one experiment by its seed must give the same fault and the
same outcome; code faults and the faults the target makes itself are seen to act
(or not) when reached, and code faults are drawn from the sites the workload
reaches (coverage); a bad fault type is refused by name; two shards merged
are the same campaign, and a shard of another build is refused; the Slurm recipe
run on a one-node Slurm (slurm_test.py) gives the same campaign. A small campaign on
each NIC driver (e1000, RTL8139, NE2000: 30 faults, ARP through the driver) and
each block driver (ATA, virtio-blk: 30 faults, checksummed blocks written and read
back) must have no kernel failure and no wrong answer, and the Ethernet workload's
results are classified as they must be. Each check is one result (name, ok, detail), like
run.py's."""
import collections
import csv
import io
import contextlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "faultinject", "host"))
import campaign  # noqa: E402

OUT = os.path.join(HERE, "..", "build", "tests", "campaign")


def quiet(argv):
    with contextlib.redirect_stdout(io.StringIO()) as out:
        rows = campaign.main(argv)
    return rows, out.getvalue()


def small_campaign():
    rows, _ = quiet(["--faults", "50", "--seed", "7", "--jobs", "2", "--quiet", "--out", OUT])
    bad = [r for r in rows if r["outcome"] in ("kernel failure", "silent data corruption")]
    if len(rows) != 50 or any(r["outcome"] not in campaign.OUTCOMES for r in rows):
        return rows, f"{len(rows)} experiments, or one without a known outcome"
    if bad:
        return rows, f"{len(bad)} kernel failures or silent data corruptions, first {bad[0]}"
    with open(os.path.join(OUT, "results.csv")) as f:
        if len(list(csv.DictReader(f))) != 50:
            return rows, "results.csv does not have 50 rows"
    with open(os.path.join(OUT, "results.json")) as f:
        if json.load(f)["campaign"]["build"].get("uart.elf build-id") is None:
            return rows, "results.json does not name the build"
    with open(os.path.join(OUT, "report.html")) as f:
        page = f.read()
    missing = [i for i in ("outcomes", "latency", "timeline") if f'id="{i}"' not in page]
    return rows, f"the report lacks the plots {missing}" if missing else None


NICS = ("e1000", "rtl8139", "ne2k")
DISKS = ("ata", "virtio_blk")


def driver_campaign(target):
    """A small campaign on a NIC or block driver (30 faults of every type, fixed
    seed): no kernel failure, no wrong answer given out; the workload ran (a third
    of the experiments at least answered all 8 requests: ARP exchanges, or blocks
    written and read back) and some faults made the driver fail and come back, so
    the check could have failed."""
    out = f"{OUT}-{target}"
    rows, _ = quiet(["--target", target, "--faults", "30", "--seed", "5", "--jobs", "2",
                     "--quiet", "--out", out])
    counts = collections.Counter(r["outcome"] for r in rows)
    summary = ", ".join(f"{n} {o}" for o, n in sorted(counts.items()))
    bad = [r for r in rows if r["outcome"] in ("kernel failure", "silent data corruption")]
    if len(rows) != 30 or any(r["outcome"] not in campaign.OUTCOMES for r in rows):
        return f"{len(rows)} experiments, or one without a known outcome: {summary}"
    if bad:
        return f"{len(bad)} kernel failures or silent data corruptions, first {bad[0]}"
    whole = sum(1 for r in rows if r["outcome"] == "no effect" and r["lines_ok"] == 8)
    back = counts["crashed and recovered"] + counts["hung and recovered"]
    if whole * 3 < len(rows) or not back:
        return f"the workload did not run as it should: {summary}"
    with open(os.path.join(out, "results.json")) as f:
        if json.load(f)["campaign"]["build"].get(f"{target}.elf build-id") is None:
            return "results.json does not name the target's build"
    return None, summary


def ether_classes():
    """What the Ethernet workload reports is classified as it must be: a wrong ARP
    answer given to the client is silent data corruption even when the driver was
    restarted; exchanges never answered are errors reported; an unknown target is
    refused by name."""
    args = campaign.argparse.Namespace(target="e1000", lines=8)
    begin = "ficamp: info: exp 3 begin seed=9 type=nop\n"
    fail = ('rs: info: event {"event":"failure","service":"e1000","reason":"exception",'
            '"detect_us":5}\nrs: info: event {"event":"restart","service":"e1000",'
            '"reason":"exception","recover_us":9}\n')

    def outcome(end, events=""):
        exp = {"index": 3, "seed": 9, "type": "crash", "text": begin + events + end}
        return campaign.classify(args, exp, {})["outcome"]
    end = ("ficamp: info: exp 3 end made=yes addr=0x1 ok={} unknown=0 errors={} timeouts=0 "
           "state=running corrupt={}\n")
    want = [(end.format(7, 0, 1), fail, "silent data corruption"),
            (end.format(8, 0, 0), fail, "crashed and recovered"),
            (end.format(5, 3, 0), "", "error reported to the client"),
            (end.format(8, 0, 0), "", "no effect")]
    for text, events, expected in want:
        got = outcome(text, events)
        if got != expected:
            return f"{text.strip()!r} with {'a' if events else 'no'} failure: {got}, not {expected}"
    try:
        quiet(["--target", "floppy", "--faults", "1", "--out", OUT + "-bad"])
    except SystemExit as e:
        return None if "'floppy' is not a target" in str(e) else f"said {e}"
    return "an unknown target was accepted"


def activation(rows):
    """Code faults act when reached: one not reached changed nothing; the faults
    the target makes itself (bogus calls, exhaustion) act at once where it
    stands, and no other service fails for them."""
    for r in rows:
        if r["type"] in campaign.TRACKED and r["made"] == "yes":
            if (r["activated"] == "yes") != bool(r["activation"]):
                return f"seed {r['seed']}: activated={r['activated']}, record {r['activation']}"
            if r["activated"] == "no" and (r["detect_us"] is not None or r["lines_lost"]):
                return f"seed {r['seed']}: never reached, yet {r['outcome']}"
    own, _ = quiet(["--types", "bogus-ipc,exhaust", "--faults", "12", "--seed", "3", "--quiet",
                    "--out", OUT + "-own"])
    missed = [r for r in own if r["activated"] != "yes" or r["outcome"] == "failure in another service"]
    if missed:
        return f"seed {missed[0]['seed']}: {missed[0]['type']} {missed[0]['outcome']}, " \
               f"activated {missed[0]['activated']}"
    reached = sum(1 for r in rows if r["activated"] == "yes" and r["type"] in campaign.TRACKED)
    return None, f"{reached} tracked faults reached in the campaign, 12 of 12 bogus-ipc/exhaust"


def coverage(rows):
    """Code faults are drawn from the sites the workload reaches (a pruned table
    measured with coverage breakpoints): the table is the full one's header and
    a subset of its sites, and most code faults in the campaign act."""
    full_path = os.path.join(campaign.qemu.BUILD, "uart.sites")
    pruned_path = os.path.join(campaign.qemu.BUILD, "campaign-sites", "uart.sites")
    with open(full_path) as f, open(pruned_path) as g:
        full, pruned = f.read().splitlines(), g.read().splitlines()
    sites = [ln for ln in pruned if ln.startswith("S ")]
    if not sites or not set(sites) < set(full):
        return f"the pruned table's {len(sites)} sites are not a proper subset of the full table's"
    if [ln for ln in full if ln.startswith(("binary", "build-id"))] != \
            [ln for ln in pruned if ln.startswith(("binary", "build-id"))]:
        return "the pruned table names another binary or build"
    code = [r for r in rows if r["type"] in CODE and r["made"] == "yes"]
    acted = sum(r["activated"] == "yes" for r in code)
    if not code or acted * 2 < len(code):
        return f"only {acted} of {len(code)} code faults acted"
    return None, f"{len(sites)} of {sum(ln.startswith('S ') for ln in full)} sites reached; " \
                 f"{acted} of {len(code)} code faults acted"


def replay(rows):
    made = [r for r in rows if r.get("location") and r["outcome"] != "experiment timeout"]
    if not made:
        return "no experiment made a fault to replay"
    want = next((r for r in made if r["outcome"] != "no effect"), made[0])
    again, _ = quiet(["--replay", str(want["seed"]), "--quiet", "--out", OUT + "-replay"])
    got = again[0]
    same = (got["type"], got["location"], got["outcome"]) == (want["type"], want["location"],
                                                              want["outcome"])
    return None if same else f"seed {want['seed']}: {want['outcome']} at {want['location']}, " \
                             f"replayed: {got['outcome']} at {got['location']}"


def bad_type():
    try:
        quiet(["--types", "meteor", "--faults", "1", "--out", OUT + "-bad"])
    except SystemExit as e:
        return None if "unknown fault types ['meteor']" in str(e) else f"said {e}"
    return "an unknown fault type was accepted"


def png_pixels(path):
    """The RGB(A) pixels of an 8-bit, non-interlaced PNG (what Chromium writes)."""
    import struct
    import zlib
    with open(path, "rb") as f:
        data = f.read()
    pos, idat, width, height, kind = 8, b"", 0, 0, 0
    while pos < len(data):
        n, tag = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if tag == b"IHDR":
            width, height, depth, kind = struct.unpack(">IIBB", body[:10])
        elif tag == b"IDAT":
            idat += body
        pos += 12 + n
    bpp = {2: 3, 6: 4}[kind]
    raw, stride, rows, prev = zlib.decompress(idat), width * bpp, [], bytearray(width * bpp)
    for y in range(height):
        ftype, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b, c = prev[x], prev[x - bpp] if x >= bpp else 0
            if ftype == 1:
                line[x] = (line[x] + a) & 255
            elif ftype == 2:
                line[x] = (line[x] + b) & 255
            elif ftype == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return [tuple(r[x:x + 3]) for r in rows for x in range(0, stride, bpp)]


def report_in_chromium():
    """The report opened in headless Chromium: the browser's DOM has the three
    plots with their marks, nothing is logged as an error by the page, and the
    screenshot shows the plots' colours."""
    import shutil
    import subprocess
    browser = shutil.which("chromium")
    if not browser:
        return "chromium is not installed (make deps installs it)"
    page = "file://" + os.path.abspath(os.path.join(OUT, "report.html"))
    flags = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr"]
    dom = subprocess.run(flags + ["--dump-dom", page], capture_output=True, text=True, timeout=60)
    for plot in ("outcomes", "latency", "timeline"):
        if f'<svg id="{plot}"' not in dom.stdout:
            return f"the browser's DOM has no {plot} plot"
    if dom.stdout.count("<rect") < 20 or "CONSOLE" in dom.stderr or "Uncaught" in dom.stderr:
        return "the plots have no marks, or the page logged an error"
    shot = os.path.abspath(os.path.join(OUT, "report.png"))
    subprocess.run(flags + ["--window-size=1000,1200", f"--screenshot={shot}", page],
                   capture_output=True, timeout=60)
    pixels = set(png_pixels(shot))
    green = (0x2e, 0x7d, 0x32)          # crashed and recovered, and the latency bars
    return None if green in pixels else "the screenshot shows none of the plots' colours"


SHARDED = ["--faults", "20", "--seed", "11"]      # the campaign run whole, in shards, in Slurm
CODE = {"text-flip", "nop", "src", "dst", "pointer", "branch", "loop"}


def shards_merge():
    """Two shards of a campaign merged are the campaign: the same experiments,
    seeds, types and code-fault places as one run; a shard of another build is
    refused."""
    base = SHARDED + ["--jobs", "1", "--quiet"]
    whole, _ = quiet(base + ["--out", OUT + "-whole"])
    for i in (0, 1):
        quiet(base + ["--shard", f"{i}/2", "--out", f"{OUT}-shard{i}"])
    merged, _ = quiet(["--merge", OUT + "-shard0", OUT + "-shard1", "--out", OUT + "-merged"])

    def key(r):
        return (r["experiment"], r["seed"], r["type"], r["location"] if r["type"] in CODE else "")
    if [key(r) for r in merged] != [key(r) for r in whole]:
        return "the merged shards differ from the whole campaign"
    path = os.path.join(OUT + "-shard1", "results.json")
    with open(path) as f:
        data = json.load(f)
    data["campaign"]["build"]["uart.elf"] = "another build"
    with open(path, "w") as f:
        json.dump(data, f)
    try:
        quiet(["--merge", OUT + "-shard0", OUT + "-shard1", "--out", OUT + "-merged"])
    except SystemExit as e:
        return None if "its build differ" in str(e) else f"said {e}"
    return "a shard of another build was merged"


def run():
    rows, why = small_campaign()
    counts = {}
    for r in rows:
        counts[r["outcome"]] = counts.get(r["outcome"], 0) + 1
    results = [("campaign/uart_50_faults", why is None,
                why or ", ".join(f"{n} {o}" for o, n in sorted(counts.items())))]
    why = activation(rows) if rows else "no campaign"
    ok = isinstance(why, tuple)
    results.append(("campaign/activation_tracked", ok, why[1] if ok else why))
    why = coverage(rows) if rows else "no campaign"
    ok = isinstance(why, tuple)
    results.append(("campaign/code_faults_where_the_workload_runs", ok, why[1] if ok else why))
    why = replay(rows) if rows else "no campaign to replay"
    results.append(("campaign/replay_same_outcome", why is None, why or ""))
    why = bad_type()
    results.append(("campaign/unknown_type_refused", why is None, why or ""))
    why = report_in_chromium()
    results.append(("campaign/report_renders_in_chromium", why is None, why or ""))
    why = shards_merge()
    results.append(("campaign/shards_merge_to_the_campaign", why is None, why or ""))
    for target in NICS + DISKS:
        why = driver_campaign(target)
        ok = isinstance(why, tuple)
        results.append((f"campaign/{target}_30_faults", ok, why[1] if ok else why))
    why = ether_classes()
    results.append(("campaign/ether_outcomes_classified", why is None, why or ""))
    import slurm_test
    why = slurm_test.slurm_shards_merge(SHARDED, OUT + "-whole", OUT + "-slurm")
    results.append(("campaign/slurm_array_is_the_campaign", why is None, why or ""))
    return results

"""The fault-injection campaign as `make test` runs it: a small campaign on the
console driver (50 faults of every type, fixed seed) must have no kernel failure
and no silent data corruption, classify every experiment, write its CSV, JSON
and HTML; replaying one experiment by its seed must give the same fault and the
same outcome; a bad fault type is refused by name; two shards merged are the
same campaign, and a shard of another build is refused. Each check is one result
(name, ok, detail), like run.py's."""
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


CODE = {"text-flip", "nop", "src", "dst", "pointer", "branch", "loop"}


def shards_merge():
    """Two shards of a campaign merged are the campaign: the same experiments,
    seeds, types and code-fault places as one run; a shard of another build is
    refused."""
    base = ["--faults", "20", "--seed", "11", "--jobs", "1", "--quiet"]
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
    why = replay(rows) if rows else "no campaign to replay"
    results.append(("campaign/replay_same_outcome", why is None, why or ""))
    why = bad_type()
    results.append(("campaign/unknown_type_refused", why is None, why or ""))
    why = shards_merge()
    results.append(("campaign/shards_merge_to_the_campaign", why is None, why or ""))
    return results

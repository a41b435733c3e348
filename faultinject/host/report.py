"""The campaign's HTML report: one self-contained page (no script, no external
file) with SVG plots: outcomes per fault type, the distribution of recovery
latencies, a restart timeline, and the kernel failures and silent data
corruptions with the command that replays each. Standard library only."""
import collections
import html

COLOURS = {"kernel failure": "#b00020", "experiment timeout": "#7b1fa2",
           "failure in another service": "#4e342e",
           "not activated": "#9e9e9e", "service lost": "#e65100",
           "recovered with state loss": "#f9a825", "hung and recovered": "#0277bd",
           "crashed and recovered": "#2e7d32", "error reported to the client": "#00897b",
           "silent data corruption": "#d81b60", "no effect": "#cfd8dc"}


def bars(rows, outcomes):
    """Stacked horizontal bars: per fault type, the share of each outcome."""
    by_type = collections.defaultdict(collections.Counter)
    for r in rows:
        by_type[r["type"] or "?"][r["outcome"]] += 1
    width, row_h, left = 640, 22, 110
    svg = [f'<svg id="outcomes" xmlns="http://www.w3.org/2000/svg" width="{width + left + 20}" '
           f'height="{row_h * len(by_type) + 30}" role="img" aria-label="outcomes per fault type">']
    for i, (t, counts) in enumerate(sorted(by_type.items())):
        y, x, total = 10 + i * row_h, left, sum(counts.values())
        svg.append(f'<text x="{left - 6}" y="{y + 15}" text-anchor="end" font-size="12">'
                   f'{html.escape(t)}</text>')
        for o in outcomes:
            if counts[o]:
                w = width * counts[o] / total
                svg.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row_h - 4}" '
                           f'fill="{COLOURS[o]}"><title>{html.escape(o)}: {counts[o]}</title></rect>')
                x += w
    svg.append("</svg>")
    return "".join(svg)


def histogram(values, label):
    """Recovery latencies in 12 bins."""
    if not values:
        return f"<p>No {html.escape(label)} in this campaign.</p>"
    lo, hi = min(values), max(values)
    step = max(1, (hi - lo) / 12)
    bins = collections.Counter(min(11, int((v - lo) / step)) for v in values)
    top = max(bins.values())
    svg = ['<svg id="latency" xmlns="http://www.w3.org/2000/svg" width="680" height="200" '
           'role="img" aria-label="recovery latency">']
    for b in range(12):
        h = 150 * bins[b] / top
        svg.append(f'<rect x="{40 + b * 50}" y="{160 - h:.1f}" width="44" height="{h:.1f}" '
                   f'fill="#2e7d32"><title>{lo + b * step:.0f}-{lo + (b + 1) * step:.0f} us: '
                   f'{bins[b]}</title></rect>')
    svg.append(f'<text x="40" y="185" font-size="12">{lo:.0f} us</text>'
               f'<text x="640" y="185" font-size="12" text-anchor="end">{hi:.0f} us</text></svg>')
    return "".join(svg)


def timeline(rows):
    """One mark per experiment, at its index, coloured by outcome."""
    n = max(1, len(rows))
    svg = ['<svg id="timeline" xmlns="http://www.w3.org/2000/svg" width="680" height="60" '
           'role="img" aria-label="restart timeline">']
    for r in rows:
        x = 10 + 660 * r["experiment"] / n
        svg.append(f'<rect x="{x:.1f}" y="10" width="{max(1.0, 660 / n):.1f}" height="40" '
                   f'fill="{COLOURS.get(r["outcome"], "#000")}"><title>experiment '
                   f'{r["experiment"]}: {html.escape(r["outcome"] or "")}</title></rect>')
    svg.append("</svg>")
    return "".join(svg)


def html_report(campaign, rows, outcomes, all_types=()):
    counts = collections.Counter(r["outcome"] for r in rows)
    legend = "".join(f'<li><span style="background:{COLOURS[o]}">&nbsp;&nbsp;&nbsp;</span> '
                     f'{html.escape(o)}: {counts[o]}</li>' for o in outcomes)
    worst = [r for r in rows if r["outcome"] in ("kernel failure", "silent data corruption",
                                                "experiment timeout",
                                                "failure in another service")]
    types = ",".join(campaign["types"])
    if campaign["types"] == list(all_types):
        types = "all"
    listed = "".join(
        f'<tr><td>{r["experiment"]}</td><td>{html.escape(r["outcome"])}</td>'
        f'<td>{html.escape(str(r["type"]))}</td><td>{html.escape(str(r.get("location")))}</td>'
        f'<td><code>make replay SEED={r["seed"]} TYPES={types}</code></td></tr>'
        for r in worst) or '<tr><td colspan="5">none</td></tr>'
    build = "".join(f"<li>{html.escape(k)}: <code>{html.escape(v)}</code></li>"
                    for k, v in campaign["build"].items())
    recoveries = [r["recover_us"] for r in rows if r.get("recover_us") is not None]
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Resurgo fault-injection campaign</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto}}td,th{{padding:2px 8px}}
li span{{display:inline-block;width:1.5em}}</style></head><body>
<h1>Fault-injection campaign: {html.escape(campaign["target"])}</h1>
<p>{len(rows)} experiments, seed {campaign["seed"]}, types {html.escape(types)};
{campaign["jobs"]} QEMU instances, {campaign["elapsed_s"]} s,
{campaign["experiments_per_s"]} experiments per second; code faults drawn from
{html.escape(str(campaign.get("sites", "all")))} sites.</p>
<h2>Outcomes per fault type</h2>{bars(rows, outcomes)}<ul>{legend}</ul>
<h2>Recovery latency (RS noticing to the new incarnation ready)</h2>
{histogram(recoveries, "recoveries")}
<h2>Timeline</h2>{timeline(rows)}
<h2>Kernel failures, timeouts, faults that spread and silent data corruptions</h2>
<table><tr><th>experiment</th><th>outcome</th><th>type</th><th>fault</th><th>replay</th></tr>
{listed}</table>
<h2>Build</h2><ul>{build}</ul>
</body></html>
"""

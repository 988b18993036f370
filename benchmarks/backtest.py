"""Benchmark: back-test a 1,000,000-row, 12-column CRM export (about 100 MB).

    python benchmarks/backtest.py [--rows N]

Generates the file once under benchmarks/data/ (gitignored), then runs, each in
a fresh subprocess so peak memory (ru_maxrss) is that run's own:

- floor: a bare ``polars.read_csv`` of the file;
- back-test: read_leads (encoding, delimiter, line numbers, bad rows) + automatic
  mapping + normalise + score + summary (stages, distribution, segments, conversion);
- export: the same plus writing the scored CSV.

Target on a 2-core machine: back-test ≤ 3 s and ≤ 1 GB peak.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"

FIRST = ["Anna", "Ben", "Chloé", "David", "Eva", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kate", "Luis",
         "Maya", "Noah", "Olga", "Priya", "Quinn", "Rosa", "Sven", "Tara"]
LAST = ["Smith", "Müller", "Garcia", "Chen", "Okafor", "Rossi", "Novak", "Kim", "Dubois", "Silva", "Berg", "Khan"]
LEVELS = ["", "Sr ", "Head of ", "VP ", "Dir. ", "Chief ", "Jr ", "Lead ", "SVP ", "Manager, "]
FUNCS = ["Marketing", "Sales", "IT", "Engineering", "Finance", "Operations", "HR", "Product", "Demand Generation",
         "Growth", "Customer Success", "Procurement", "Data", "Revenue Operations", "Brand", "Security"]
EXTRA_TITLES = ["CMO", "CEO", "Founder", "CTO", "CFO", "Student", "Intern", "Owner", "Consultant", "Analyst",
                "Marketing Manager", "Account Executive", "Software Engineer", "Office Manager", "vp mktg"]
INDUSTRIES = ["Software", "SaaS", "Computer Software", "Information Technology and Services", "Financial Services",
              "Banking", "Fintech", "Insurance", "Healthcare", "Hospital & Health Care", "Retail", "E-commerce",
              "Manufacturing", "Education", "Higher Education", "Government", "Non-profit", "Telecommunications",
              "Logistics", "Consulting", "Marketing and Advertising", "Real Estate", "Media", "Energy", "Other"]
COUNTRIES = ["United States", "USA", "Germany", "United Kingdom", "France", "Canada", "Netherlands", "Spain",
             "Italy", "Austria", "Switzerland", "Sweden", "India", "Australia", "Brazil", "Japan", "Singapore",
             "Ireland", "Mexico", "Poland", "US", "DE", "UK", ""]
SOURCES = ["Demo Request", "Pricing Page", "Contact Sales", "Free Trial", "Webinar", "Content Download",
           "Event", "Referral", "Purchased List", "Organic Search", "Paid Social", "Direct Traffic", "Email Marketing",
           "Offline Sources", "Trade Show"]
LIFECYCLE = ["Lead", "MQL", "SQL", "Opportunity", "Customer", "Subscriber"]
OPEN_STATUS = ["New", "Open", "Working"]
FREE = ["gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "gmx.de", "web.de"]
HEADER = ["First Name", "Last Name", "Email", "Job Title", "Company Name", "Industry", "Number of Employees",
          "Annual Revenue", "Country/Region", "Lead Source", "Lifecycle Stage", "Lead Status"]


def generate(path: Path, rows: int) -> None:
    rng = random.Random(7)
    companies = [f"{rng.choice(['Acme', 'Globex', 'Initech', 'Hooli', 'Stark', 'Wayne', 'Tyrell'])} {i}"
                 for i in range(20000)]
    domains = [f"{c.split()[0].lower()}{i}.io" for i, c in enumerate(companies)]
    titles = [level + func for level in LEVELS for func in FUNCS] + EXTRA_TITLES
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_suffix(".tmp")
    with temp.open("w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(HEADER) + "\n")
        out = []
        for index in range(rows):
            company = rng.randrange(len(companies))
            first, last = rng.choice(FIRST), rng.choice(LAST)
            domain = rng.choice(FREE) if rng.random() < 0.15 else domains[company]
            industry, source = rng.choice(INDUSTRIES), rng.choice(SOURCES)
            employees = rng.choice([str(rng.randint(1, 50000)), str(rng.randint(1, 500)),
                                    rng.choice(["51-200", "201-500", '"1,001-5,000"', '"10,000+"', "11-50"])])
            revenue = rng.choice([str(rng.randint(1, 900) * 100000), f"${rng.randint(1, 500)}M", "", ""])
            # outcomes lean towards good-fit, high-intent leads, so the back-test has something to find
            chance = 0.1 + 0.25 * (industry in INDUSTRIES[:7]) + 0.3 * (source in SOURCES[:3])
            status = rng.choice(OPEN_STATUS) if rng.random() < 0.3 else (
                "Converted" if rng.random() < chance else rng.choice(["Unqualified", "Disqualified"]))
            row = [first, last, f"{first[0].lower()}{last[:4].lower()}@{domain}", f"\"{rng.choice(titles)}\"",
                   companies[company], industry, employees, revenue, rng.choice(COUNTRIES),
                   source, rng.choice(LIFECYCLE), status]
            out.append(",".join(row))
            if len(out) == 10000:
                handle.write("\n".join(out) + "\n")
                out = []
        if out:
            handle.write("\n".join(out) + "\n")
    temp.replace(path)


FLOOR = """
import resource, sys, time
import polars as pl
start = time.perf_counter()
frame = pl.read_csv(sys.argv[1], infer_schema=False)
seconds = time.perf_counter() - start
print(__import__("json").dumps({"seconds": seconds, "rows": frame.height,
      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

BACKTEST = """
import json, resource, sys, time
import numpy, polars  # imported before the clock starts, as in the floor
sys.path.insert(0, sys.argv[2])
from alignwork.backtest.run import run_backtest
from alignwork.backtest.history import export_scored
from alignwork.definition.criteria import Criterion, Definition
from alignwork.backtest.leads import read_leads
from alignwork.backtest.mapping import auto_mapping
definition = Definition(mql_threshold=40, sql_threshold=70, criteria=[
    Criterion(id="i", section="ideal_company", label="Software or financial services", attribute="industry",
              operator="in", value=["Software/SaaS", "Financial services"], points=25),
    Criterion(id="e", section="ideal_company", label="200-5,000 employees", attribute="employees",
              operator="between", value={"min": 200, "max": 5000}, points=20),
    Criterion(id="r", section="ideal_company", label="North America or DACH", attribute="region",
              operator="in", value=["North America", "DACH"], points=10),
    Criterion(id="f", section="persona", label="Marketing", attribute="function", operator="in",
              value=["Marketing"], points=15),
    Criterion(id="s", section="persona", label="Director or above", attribute="seniority", operator="in",
              value=["C-level", "VP/Head", "Director"], points=10),
    Criterion(id="d", section="sql", label="Asked for a demo or pricing", attribute="lead_source", operator="in",
              value=["demo_request", "pricing_page", "contact_sales"], points=30, axis="intent"),
    Criterion(id="w", section="mql", label="Attended a webinar", attribute="lead_source", operator="in",
              value=["webinar"], points=10, axis="intent"),
    Criterion(id="p", section="disqualifiers", label="Personal e-mail", attribute="email_type", operator="equals",
              value="personal", points=-20),
    Criterion(id="x", section="disqualifiers", label="Student", attribute="email_type", operator="equals",
              value="student", knockout=True),
    Criterion(id="c", section="disqualifiers", label="Existing customer", attribute="lifecycle_stage",
              operator="in", value=["customer"], knockout=True),
])
start = time.perf_counter()
table = read_leads(sys.argv[1])
read_seconds = time.perf_counter() - start
sample = {c: table.frame[c].head(200).to_list() for c in table.columns}
from alignwork.progress import Progress
steps = [("read", time.perf_counter())]
progress = Progress(lambda done, total, message: steps.append((message, time.perf_counter())))
result = run_backtest(table, definition, auto_mapping(table.columns, sample), progress=progress)
summary = result.summary()
seconds = time.perf_counter() - start
steps = {name: round(later - at, 2) for (name, at), (_, later) in zip(steps, steps[1:])}
if len(sys.argv) > 3:
    export_scored(result, sys.argv[3])
total = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "read_seconds": read_seconds, "with_export_seconds": total, "steps": steps,
                  "rows": summary["rows"], "scored": summary["scored"], "bad_lines": len(summary["bad_lines"]),
                  "stages": summary["stages"], "pass_rate": summary["pass_rate"], "lift": summary.get("lift"),
                  "cpu_seconds": resource.getrusage(resource.RUSAGE_SELF).ru_utime
                                 + resource.getrusage(resource.RUSAGE_SELF).ru_stime,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(code: str, *args: str) -> dict:
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def median(runs: list[dict]) -> float:
    return sorted(r["seconds"] for r in runs)[len(runs) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each measurement; best and median are printed (shared machines are noisy)")
    args = parser.parse_args()
    path = DATA / f"crm_leads_{args.rows}.csv"
    if not path.exists():
        print(f"generating {path} …", flush=True)
        generate(path, args.rows)
    print(f"file: {path.name}, {path.stat().st_size / 1e6:.0f} MB, {args.rows:,} rows × {len(HEADER)} columns")
    floors = sorted((run(FLOOR, str(path)) for _ in range(args.repeat)), key=lambda r: r["seconds"])
    floor = floors[0]
    print(f"floor  polars.read_csv:   best {floor['seconds']:.2f} s, median {median(floors):.2f} s, "
          f"peak {floor['peak_mb']:.0f} MB")
    runs = sorted((run(BACKTEST, str(path), str(ROOT)) for _ in range(args.repeat)), key=lambda r: r["seconds"])
    backtest = runs[0]
    print(f"back-test (read+map+score+summary): best {backtest['seconds']:.2f} s, median {median(runs):.2f} s "
          f"(reading {backtest['read_seconds']:.2f} s), peak {max(r['peak_mb'] for r in runs):.0f} MB   "
          f"[target ≤ 3 s, ≤ 1024 MB]")
    print(f"  steps: {backtest['steps']}; process CPU time {backtest['cpu_seconds']:.2f} s (incl. imports)")
    print(f"  rows {backtest['rows']:,}, scored {backtest['scored']:,}, bad lines {backtest['bad_lines']:,}, "
          f"stages {backtest['stages']}, pass rate {backtest['pass_rate']:.1%}, lift {backtest['lift']}")
    out = DATA / "scored.csv"
    exported = run(BACKTEST, str(path), str(ROOT), str(out))
    print(f"back-test + scored CSV export: {exported['with_export_seconds']:.2f} s, peak {exported['peak_mb']:.0f} MB")
    out.unlink(missing_ok=True)


if __name__ == "__main__":
    main()

"""Benchmark: review one period of 1,000,000 leads against back-testing the same file.

    python benchmarks/review.py [--rows N] [--repeat 3]

Generates a month's CRM export once under benchmarks/data/ (gitignored): the lead
attributes plus lead status, rejection reason, owner, created and first-contact times.
Then, each in a fresh subprocess, alternately:

- back-test: read_leads + automatic mapping + ``run_backtest`` + ``summary()``;
- review: read_leads + the same mapping + review columns + ``review_table`` (the back-test's
  scoring, then status steps, reason codes, SLA hours, key metrics) + ``find_findings``
  (against five earlier periods like this one: a steady month, every check made, no reason grew).

Target: review ≤ back-test × 1.2 (the ratio is printed; best and median of the runs).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"
sys.path.insert(0, str(ROOT))
from tests.review_data import COUNTRIES, GOOD_TITLES, INDUSTRIES, OTHER_TITLES, OWNERS, SOURCES  # noqa: E402

HEADER = ["Email", "Job Title", "Industry", "Number of Employees", "Country", "Lead Source", "Lead Status",
          "Rejection Reason", "Lead Owner", "Create Date", "First Contacted"]
REASONS = ("Student", "No budget", "Wrong contact", "duplicate", "Studnet", "Already a customer")


def _rows(rows: int):
    rng = random.Random(11)
    start = datetime(2027, 1, 1, 8)
    stamps = [(start + timedelta(minutes=37 * i)).strftime("%Y-%m-%d %H:%M") for i in range(1100)]
    for index in range(rows):
        student = rng.random() < 0.08
        domain = f"{rng.choice(('state', 'tech'))}.edu" if student else \
            ("gmail.com" if rng.random() < 0.1 else f"co{rng.randrange(20000)}.io")
        status = rng.choice(("New", "Nurture", "MQL", "SQL", "Working", "Closed Won", "Closed Lost", "Rejected"))
        created = rng.randrange(1000)
        yield (f"p{index}@{domain}", "Student" if student else rng.choice(GOOD_TITLES + OTHER_TITLES),
               rng.choice(INDUSTRIES), rng.choice((20, 120, 400, 1500, 4000, 9000)), rng.choice(COUNTRIES),
               rng.choice(SOURCES), status, rng.choice(REASONS) if status == "Rejected" else "", rng.choice(OWNERS),
               stamps[created], stamps[created + rng.choice((0, 1, 2, 40, 80))] if status != "New" else "")


def generate(path: Path, rows: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_suffix(".tmp")
    with temp.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(_rows(rows))
    temp.replace(path)


COMMON = """
import json, resource, sys, time
import numpy, polars  # imported before the clock starts
sys.path.insert(0, sys.argv[2])
from alignwork.backtest.leads import read_leads
from alignwork.backtest.mapping import auto_mapping
from alignwork.backtest.run import run_backtest
from alignwork.review import columns as review_columns
from alignwork.review.findings import find_findings
from alignwork.review.metrics import against_baseline
from alignwork.review.periods import Prepared, review_table
from tests.review_data import DEFINITION
start = time.perf_counter()
table = read_leads(sys.argv[1])
sample = {c: table.frame[c].head(200).to_list() for c in table.columns}
mapping = auto_mapping(table.columns, sample)
"""
BACKTEST = COMMON + """
result = run_backtest(table, DEFINITION, mapping)
summary = result.summary()
report = {"scored": summary["scored"], "pass_rate": summary["pass_rate"]}
"""
REVIEW = COMMON + """
found = review_columns.find_columns(table.columns, set(mapping.columns) | {mapping.outcome_column})
if mapping.outcome_column == found.get("status"):
    mapping.outcome_column = None
period = review_table(table, DEFINITION, Prepared(mapping, found), sla_hours=24)
earlier = [period.metrics] * 5  # a steady month: returns as before (growth is checked, nothing grew)
period.metrics["goal"] = against_baseline(period.metrics, {"source": "back-test", "volume_share": 1.0,
                                                           "quality": 0.1})
findings = find_findings(period, earlier, period_label="2027-01")
report = {"scored": period.metrics["leads"], "sent": period.metrics["sent"], "findings": [f["id"] for f in findings],
          "sla": period.metrics["sla"]["share"]}
"""
TAIL = """
seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"seconds": seconds, **report, "cpu": usage.ru_utime + usage.ru_stime,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(code: str, path: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", code + TAIL, str(path), str(ROOT)], capture_output=True, text=True,
                          cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    path = DATA / f"review_period_{args.rows}.csv"
    if not path.exists():
        print(f"generating {path} …", flush=True)
        generate(path, args.rows)
    print(f"file: {path.name}, {path.stat().st_size / 1e6:.0f} MB, {args.rows:,} rows × {len(HEADER)} columns")
    backtests, reviews, pairs = [], [], []
    for _ in range(args.repeat):  # alternated: a busy moment of the machine hits both alike
        backtests.append(run(BACKTEST, path))
        reviews.append(run(REVIEW, path))
        pairs.append(reviews[-1]["seconds"] / backtests[-1]["seconds"])
    for runs in (backtests, reviews):
        runs.sort(key=lambda item: item["seconds"])
    back, review = backtests[0], reviews[0]
    middle = len(backtests) // 2
    print(f"back-test: best {back['seconds']:.2f} s, median {backtests[middle]['seconds']:.2f} s, "
          f"peak {max(r['peak_mb'] for r in backtests):.0f} MB")
    print(f"review:    best {review['seconds']:.2f} s, median {reviews[middle]['seconds']:.2f} s, "
          f"peak {max(r['peak_mb'] for r in reviews):.0f} MB; sent {review['sent']:,}, "
          f"SLA share {review['sla']:.0%}, findings {review['findings']}")
    ratio = review["seconds"] / back["seconds"]
    median_ratio = reviews[middle]["seconds"] / backtests[middle]["seconds"]
    pair_ratio = sorted(pairs)[len(pairs) // 2]
    cpu_ratio = min(r["cpu"] for r in reviews) / min(r["cpu"] for r in backtests)
    print(f"ratio review / back-test: best {ratio:.2f}, median {median_ratio:.2f}, median of back-to-back pairs "
          f"{pair_ratio:.2f}, process CPU {cpu_ratio:.2f}   [target ≤ 1.20]")


if __name__ == "__main__":
    main()

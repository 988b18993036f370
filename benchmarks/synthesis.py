"""Time synthesis of 10, 100, 1,000 and 10,000 generated interviews (target: ≤ 1 s for 1,000,
growth no worse than linear). Each size runs in a fresh process, so no warm cache flatters it.

    python benchmarks/synthesis.py
"""

from __future__ import annotations

import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZES = (10, 100, 1_000, 10_000)
TITLES = ["VP Marketing", "vp mktg", "CMO", "Head of Demand Gen", "Marketing Director", "CIO", "Head of IT",
          "Founder", "Owner", "RevOps lead", "Director of Growth", "Marketing Ops Manager", "CFO", "SVP Sales"]
INDUSTRIES = ["SaaS", "fintech", "Banking", "Fin services", "Retail", "e-commerce", "Manufacturing", "Insurance",
              "healthcare", "Pharma", "logistics", "agencies", "Telco", "govt"]
SIZES_SAID = ["200-2000", "mid-market", "5k+", "under 50", "1k-2k", "250 to 1,500 people", "1000+", "50-500"]
REVENUE = ["$10M-$50M", "over 100 million", "$100M-$1B", "under $10M", "$1B+"]
REGIONS = ["DACH", "Germany", "UK", "North America", "USA", "Nordics", "EMEA", "APAC", "Benelux", "France"]
SIGNALS = ["asked for pricing", "pricing page 2x", "requested a demo", "demo request", "started a trial",
           "came back to the site twice", "webinar attendee", "multiple people from same company", "asked for a DPA"]
REJECTIONS = ["students", "student email", "gmail", "personal e-mail", "competitor", "Competitors", "too small",
              "job seekers", "fake names", "no budget", "agencies pitching us"]
PUNTS = ["no reply after 3 calls", "ghosted", "no budget this year", "went with a competitor", "just browsing"]
CONTENT = ["case studies", "customer stories", "ROI calculator", "battle cards", "one-pager", "demo videos"]
TEAMS = ["SMB", "Mid-Market", "Enterprise", "EMEA"]


def interviews(count: int, seed: int = 7):
    from alignwork.synthesis.engine import InterviewData, NoteData

    rng = random.Random(seed)
    result = []
    for index in range(count):
        # a rep's own wording: a typo or an odd answer now and then, as in real notes
        def some(pool, low=1, high=3):
            picked = rng.sample(pool, rng.randint(low, high))
            return [p if rng.random() > 0.05 else p + f" ({rng.randint(1, 99)})" for p in picked]

        result.append(InterviewData(
            participant=f"Rep {index + 1}", team=rng.choice(TEAMS), profile=rng.choice(["rock_star", "engaged", "other"]),
            interview_id=index + 1,
            answers={"titles": some(TITLES), "industries": some(INDUSTRIES), "company_size": rng.choice(SIZES_SAID),
                     "annual_revenue": rng.choice(REVENUE), "regions": some(REGIONS, 1, 2),
                     "readiness": {"need": rng.random() < 0.9, "budget": rng.random() < 0.5,
                                   "authority": rng.random() < 0.6, "timeline_months": rng.choice([1, 3, 6, 12])},
                     "buying_signals": some(SIGNALS), "rejection_triggers": some(REJECTIONS), "punt_signals": some(PUNTS),
                     "lead_quality_rating": rng.randint(1, 5), "junk_share_percent": rng.randint(5, 80),
                     "volume_vs_quality": rng.choice(["fewer_better", "more_volume", "unsure"]),
                     "helpful_content": some(CONTENT)},
            notes=[NoteData("quote", f"Quote {index}", "buying_signals")] if index % 5 == 0 else []))
    return result


def unique_answers(data, seed: int = 11) -> None:
    """The worst case for grouping: every buying signal worded like no other."""
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    for interview in data:
        interview.answers["buying_signals"] = [
            " ".join("".join(rng.choice(letters) for _ in range(rng.randint(3, 8))) for _ in range(3))
            for _ in range(3)]


def corpus_interviews(count: int):
    """The corpus workshops' finished interviews, repeated to ``count`` (each rep's own wording)."""
    import json

    from alignwork.synthesis.engine import interviews_from_bundle

    pool = []
    for path in sorted((ROOT / "tests" / "synthesis" / "corpus").glob("*.expected.json")):
        bundle = json.loads(path.with_name(path.name.replace(".expected", "")).read_text(encoding="utf-8"))
        pool.extend(i for i in interviews_from_bundle(bundle) if i.status == "done")
    result = []
    for index in range(count):
        interview = pool[index % len(pool)]
        result.append(type(interview)(**{**interview.__dict__, "participant": f"{interview.participant} {index}",
                                         "interview_id": index + 1}))
    return result


def measure(count: int, unique: bool = False, corpus: bool = False) -> float:
    from alignwork.synthesis.engine import synthesize

    data = corpus_interviews(count) if corpus else interviews(count)
    if unique:
        unique_answers(data)
    start = time.perf_counter()
    result = synthesize(data)
    elapsed = time.perf_counter() - start
    assert result.count == count and result.definition.criteria
    return elapsed


def main() -> None:
    if len(sys.argv) > 1:
        print(f"{measure(int(sys.argv[1]), unique='--unique' in sys.argv, corpus='--corpus' in sys.argv):.4f}")
        return
    print(f"{'interviews':>10}  {'seconds':>8}  {'ms per interview':>16}")
    previous = None
    thousand = None
    for count in SIZES:
        output = subprocess.run([sys.executable, __file__, str(count)], capture_output=True, text=True, check=True)
        seconds = float(output.stdout.strip())
        growth = f"  ×{seconds / previous:.1f} for ×10 interviews" if previous else ""
        print(f"{count:>10,}  {seconds:>8.3f}  {seconds / count * 1000:>16.3f}{growth}")
        previous = seconds
        thousand = seconds if count == 1_000 else thousand
    print("target: ≤ 1 s for 1,000 interviews; growth no worse than linear (×10 or less per ×10)")
    print(f"1,000 interviews: {thousand:.3f} s against the 1 s floor → ratio {thousand / 1.0:.2f} (≤ 1 passes)")
    output = subprocess.run([sys.executable, __file__, "1000", "--corpus"], capture_output=True, text=True, check=True)
    corpus = float(output.stdout.strip())
    print(f"1,000 interviews drawn from tests/synthesis/corpus (English and German, shorthand, typos): "
          f"{corpus:.3f} s → ratio {corpus / 1.0:.2f}")
    output = subprocess.run([sys.executable, __file__, "10000", "--unique"], capture_output=True, text=True,
                            check=True)
    print(f"worst case, 10,000 interviews whose 30,000 buying signals are all worded differently: "
          f"{float(output.stdout.strip()):.3f} s")


if __name__ == "__main__":
    main()

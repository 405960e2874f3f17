"""Speaker merging quality: porteparole.people.same_person on the labelled alias pairs.

Reads ``tests/data/alias_pairs.jsonl`` (338 pairs, see ``tests/data/alias_pairs.md``),
decides each pair and prints merge precision, recall of "same", F1, accuracy per
category and on hard negatives, for all pairs and for the even and odd ids apart (two
halves: how much the figures move between them says how far they can be trusted; the
rules were written with the whole file in view, so neither half is a held-out set).
Goal of issue 6: precision ≥ 0.98, recall ≥ 0.90.

    .venv/bin/python bench/aliases.py
    .venv/bin/python bench/aliases.py --errors          # list every wrong decision
    .venv/bin/python bench/aliases.py --aliases extra.json
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from porteparole.people import AliasTable, Decision, Mention, decide, guess_type  # noqa: E402

PAIRS = ROOT / "tests" / "data" / "alias_pairs.jsonl"


@dataclass(frozen=True)
class Scored:
    """One labelled pair and the decision taken on it."""

    pair: dict
    decision: Decision

    @property
    def correct(self) -> bool:
        return self.decision.same == self.pair["same"]


@dataclass(frozen=True)
class Scores:
    """Precision, recall and F1 of merging ("same") over a set of pairs."""

    n: int
    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def accuracy(self) -> float:
        return (self.tp + self.tn) / self.n if self.n else 1.0

    def line(self, label: str) -> str:
        return (f"{label:<18} n={self.n:<4} precision={self.precision:.3f} recall={self.recall:.3f} "
                f"F1={self.f1:.3f} accuracy={self.accuracy:.3f} (tp={self.tp} fp={self.fp} fn={self.fn} tn={self.tn})")


def mention(side: dict, aliases: AliasTable) -> Mention:
    """A Mention from one side of a pair (the file has no type: it is guessed from the name)."""
    kind = side.get("type") or guess_type(side["name"], side.get("lang"), aliases)
    return Mention(side["name"], side.get("lang"), side.get("role"), side.get("org"), side.get("date"), kind)


def read_pairs(path: Path = PAIRS) -> list[dict]:
    """The labelled pairs, one JSON object a line."""
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def run(pairs: Iterable[dict], aliases: Optional[AliasTable] = None) -> list[Scored]:
    """Decide every pair."""
    aliases = aliases or AliasTable.load()
    return [Scored(p, decide(mention(p["a"], aliases), mention(p["b"], aliases), aliases)) for p in pairs]


def score(results: Iterable[Scored]) -> Scores:
    """Counts of true/false merges over ``results``."""
    tp = fp = fn = tn = n = 0
    for r in results:
        n += 1
        same, said = r.pair["same"], r.decision.same
        tp += same and said
        fp += (not same) and said
        fn += same and not said
        tn += (not same) and not said
    return Scores(n, tp, fp, fn, tn)


def benchmark(path: Path = PAIRS, aliases: Optional[AliasTable] = None) -> dict[str, Scores]:
    """Scores for all pairs, even ids, odd ids and hard negatives (the test's entry point)."""
    results = run(read_pairs(path), aliases)
    number = lambda r: int(r.pair["id"].split("-")[-1])  # noqa: E731
    return {
        "all": score(results),
        "even ids": score(r for r in results if number(r) % 2 == 0),
        "odd ids": score(r for r in results if number(r) % 2 == 1),
        "hard negatives": score(r for r in results if r.pair["hard"]),
    }


def _by_category(results: list[Scored]) -> list[str]:
    groups: dict[tuple[bool, str], list[Scored]] = defaultdict(list)
    for r in results:
        groups[(r.pair["same"], r.pair["category"])].append(r)
    lines = []
    for (same, cat), rs in sorted(groups.items(), key=lambda kv: (not kv[0][0], kv[0][1])):
        ok = sum(r.correct for r in rs)
        lines.append(f"  {'same' if same else 'diff'} {cat:<18} {ok:>3}/{len(rs):<3} correct ({ok / len(rs):.0%})")
    return lines


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pairs", type=Path, default=PAIRS)
    ap.add_argument("--aliases", nargs="*", default=[], help="extra alias files merged into the shipped one")
    ap.add_argument("--errors", action="store_true", help="list every wrong decision with its reason")
    args = ap.parse_args(argv)
    aliases = AliasTable.load(args.aliases)
    results = run(read_pairs(args.pairs), aliases)
    for label, s in benchmark(args.pairs, aliases).items():
        if s.tp + s.fn == 0:      # negatives only: precision/recall say nothing
            print(f"{label:<18} n={s.n:<4} kept apart={s.tn}/{s.n} ({s.accuracy:.1%}), false merges={s.fp}")
        else:
            print(s.line(label))
    print("per category (positives first):")
    print("\n".join(_by_category(results)))
    if args.errors:
        print("errors:")
        for r in results:
            if not r.correct:
                p, d = r.pair, r.decision
                tag = "FALSE MERGE" if d.same else "MISSED"
                print(f"  {p['id']} {tag:<11} [{p['category']}] {p['a']['name']!r} ~ {p['b']['name']!r}: "
                      f"{d.rule}: {d.reason}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

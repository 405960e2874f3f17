"""Scoring commitments and meetings against the gold files' ``commitments`` and ``events``.

Only gold files that carry the lists are scored (a file with ``"commitments": []`` was
reviewed and has none).  A prediction matches a gold item when their evidence spans
overlap by at least half of the shorter (one-to-one, largest overlap first).  On the
matched items: a commitment's holder is right when it is the gold speaker or party
(``speaker`` or ``by``), its deadline when both give the same first and last day (or
both none); a meeting's participants are compared as sets of names, its date like a
deadline.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Optional

from .evaluate import norm, one_to_one


@dataclass(frozen=True)
class ItemScore:
    """Found/missed/spurious counts of one kind of item, and the share right on the matched ones."""

    tp: int
    fp: int
    fn: int
    right_who: int           # holder (commitments) / all participants found (events)
    right_when: int          # deadline / date
    participants_f1: float = 0.0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _span(item: Mapping, text: str) -> tuple[int, int]:
    if "end" in item:
        return item["start"], item["end"]
    evidence = item.get("evidence") or ""
    start = item.get("start")
    if start is None or text[start:start + len(evidence)] != evidence:
        start = text.find(evidence)
    return start, start + len(evidence)


def _pairs(preds: list[tuple[int, int]], golds: list[tuple[int, int]]) -> list[tuple[int, int]]:
    cands = []
    for pi, (ps, pe) in enumerate(preds):
        for gi, (gs, ge) in enumerate(golds):
            inter = min(pe, ge) - max(ps, gs)
            if inter > 0 and inter >= 0.5 * min(pe - ps, ge - gs):
                cands.append((inter, pi, gi))
    return one_to_one(cands)


def same_name(a: Optional[str], b: Optional[str]) -> bool:
    """Two names of one speaker: equal after ``norm``, or one's last word is the other's."""
    x, y = norm(a).split(), norm(b).split()
    return bool(x and y) and (x == y or x[-1] == y[-1])


def _days(when: Optional[Mapping]) -> Optional[tuple[str, str]]:
    if not when or not when.get("first"):
        return None
    return when["first"], when.get("last") or when["first"]


def score_items(gold: Mapping[str, Mapping], predicted: Mapping[str, Mapping], key: str) -> Optional[ItemScore]:
    """Score ``key`` ("commitments" or "events") on the gold articles that carry it (None: none do)."""
    tp = fp = fn = who = when = 0
    f1s: list[float] = []
    scored = False
    for aid, art in gold.items():
        if key not in art:
            continue
        scored = True
        text = art["text"]
        golds = art[key]
        preds = (predicted.get(aid) or {}).get(key, [])
        pairs = _pairs([_span(p, text) for p in preds], [_span(g, text) for g in golds])
        tp += len(pairs)
        fp += len(preds) - len(pairs)
        fn += len(golds) - len(pairs)
        for pi, gi in pairs:
            p, g = preds[pi], golds[gi]
            if key == "commitments":
                who += any(same_name(p.get("holder"), g.get(k)) for k in ("speaker", "by"))
                when += _days(p.get("deadline")) == _days(g.get("deadline"))
            else:
                found = [x for x in g.get("participants", []) if any(same_name(x, y) for y in p.get("participants", []))]
                extra = [y for y in p.get("participants", []) if not any(same_name(x, y) for x in g.get("participants", []))]
                n_gold, n_pred = len(g.get("participants", [])), len(p.get("participants", []))
                pr = (n_pred - len(extra)) / n_pred if n_pred else 0.0
                rc = len(found) / n_gold if n_gold else 0.0
                f1s.append(2 * pr * rc / (pr + rc) if pr + rc else 0.0)
                who += len(found) == n_gold
                when += _days(p.get("date")) == _days(g.get("date"))
    if not scored:
        return None
    return ItemScore(tp, fp, fn, who, when, sum(f1s) / len(f1s) if f1s else 0.0)


def report_items(commitments: Optional[ItemScore], events: Optional[ItemScore]) -> str:
    """The figures in a few lines."""
    lines = []
    if commitments is not None:
        c = commitments
        lines.append(f"commitments found  P {c.precision:.3f}  R {c.recall:.3f}  F1 {c.f1:.3f}  (tp {c.tp} fp {c.fp} fn {c.fn})"
                     f"  right holder {c.right_who}/{c.tp}  right deadline {c.right_when}/{c.tp}")
    if events is not None:
        e = events
        lines.append(f"meetings found     P {e.precision:.3f}  R {e.recall:.3f}  F1 {e.f1:.3f}  (tp {e.tp} fp {e.fp} fn {e.fn})"
                     f"  participants F1 {e.participants_f1:.3f}  all participants {e.right_who}/{e.tp}"
                     f"  right date {e.right_when}/{e.tp}")
    return "\n".join(lines) or "no gold article carries commitments or events"

"""Scoring predictions against gold articles (the format of ``gold/FORMAT.md``).

The figures are exactly those of the project's reference scorer: a predicted
statement matches a gold one when their overlap is at least half of the shorter
span and a quarter of the longer (one-to-one, largest overlap first); a mixed gold
statement may also be matched by one of its quoted fragments; optional gold
statements count neither way; end-to-end needs the span and the speaker.
"""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Iterable, Mapping

from .errors import GoldError
from .models import Score

DROP = {"m", "mme", "mlle", "dr", "pr", "mr", "mrs", "ms", "sir",
        "le", "la", "les", "l", "un", "une", "des", "du", "d", "the", "a", "an"}
QUOTED = re.compile(r'[«“"„]\s*(.+?)\s*[»”"«“]', re.S)


def norm(name: str | None) -> str:
    """A speaker name without accents, case, punctuation, titles and articles."""
    if not name:
        return ""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = re.sub(r"[^a-z0-9 ]+", " ", s)
    return " ".join(w for w in s.split() if w not in DROP)


def speaker_ok(pred: str | None, gold: Mapping) -> bool:
    """Is the predicted speaker one of the gold speaker's accepted forms?"""
    p = norm(pred)
    if gold["speaker"] is None:
        return not p
    if not p:
        return False
    names = {norm(a) for a in gold.get("aliases") or []} | {norm(gold["speaker"])}
    if p in names:
        return True
    pt = p.split()
    return any(len(pt) > 1 and n.split() and pt[0] == n.split()[0] and pt[-1] == n.split()[-1] for n in names)


def load_gold(gold_dir: str | Path) -> dict[str, dict]:
    """Read every gold article of a folder, by id."""
    folder = Path(gold_dir)
    if not folder.is_dir():
        raise GoldError(f"{gold_dir}: not a folder of gold .json files")
    gold = {}
    for f in sorted(folder.glob("*.json")):
        try:
            a = json.loads(f.read_text(encoding="utf-8"))
        except json.JSONDecodeError as e:
            raise GoldError(f"{f}: invalid JSON ({e.msg})") from None
        if not isinstance(a, dict) or "id" not in a or "text" not in a:
            raise GoldError(f"{f}: a gold file needs an object with \"id\" and \"text\" fields")
        gold[a["id"]] = a
    if not gold:
        raise GoldError(f"{gold_dir}: no gold .json files in this folder")
    return gold


def _gold_spans(article: Mapping) -> list:
    text = article["text"]
    out = []
    for g in article.get("statements", []):
        i = g["start"] if "start" in g else text.find(g["span"])
        if i < 0 or text[i:i + len(g["span"])] != g["span"]:
            raise GoldError(f"{article['id']}: gold span not in text: {g['span'][:60]!r}")
        alts = [(i, i + len(g["span"]))]
        if g["kind"] == "mixed":
            alts += [(i + m.start(1), i + m.end(1)) for m in QUOTED.finditer(g["span"])]
        out.append((i, i + len(g["span"]), g, alts))
    return out


def _match(preds: list, golds: list) -> list[tuple[int, int]]:
    pairs = []
    for pi, p in enumerate(preds):
        for gi, (_, _, _, alts) in enumerate(golds):
            best = 0
            for gs, ge in alts:
                inter = min(p["end"], ge) - max(p["start"], gs)
                lp, lg = p["end"] - p["start"], ge - gs
                if inter > 0 and inter >= 0.5 * min(lp, lg) and inter >= 0.25 * max(lp, lg):
                    best = max(best, inter)
            if best:
                pairs.append((best, pi, gi))
    return one_to_one(pairs)


def one_to_one(candidates: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """Pairs (prediction, gold) from (overlap, prediction, gold) candidates: one-to-one, largest overlap first."""
    used_p, used_g, out = set(), set(), []
    for _, pi, gi in sorted(candidates, reverse=True):
        if pi not in used_p and gi not in used_g:
            used_p.add(pi)
            used_g.add(gi)
            out.append((pi, gi))
    return out


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(gold: Mapping[str, Mapping], predictions: Mapping[str, list]) -> Score:
    """Score predicted statements (by article id) against gold articles."""
    det = dict(tp=0, fp=0, fn=0)
    e2e = dict(tp=0, fp=0, fn=0)
    by_kind: dict[str, list[int]] = {}
    details: list[str] = []
    for aid, art in gold.items():
        golds = _gold_spans(art)
        ps = [p for p in predictions.get(aid, []) if p.get("end", 0) > p.get("start", 0)]
        m = _match(ps, golds)
        matched_p = {pi for pi, _ in m}
        matched_g = {gi for _, gi in m}
        for pi, gi in m:
            g = golds[gi][2]
            if g.get("optional"):
                continue
            ok = speaker_ok(ps[pi].get("speaker"), g)
            det["tp"] += 1
            e2e["tp" if ok else "fp"] += 1
            if not ok:
                e2e["fn"] += 1
            k = by_kind.setdefault(g["kind"], [0, 0, 0])
            k[0] += 1
            k[1] += ok
            if not ok:
                details.append(f"{aid}: wrong speaker {ps[pi].get('speaker')!r} for {g['speaker']!r}: {g['span'][:70]!r}")
        for pi, p in enumerate(ps):
            if pi not in matched_p:
                det["fp"] += 1
                e2e["fp"] += 1
                details.append(f"{aid}: spurious {art['text'][p['start']:p['end']][:70]!r} ({p.get('speaker')!r})")
        for gi, (_, _, g, _) in enumerate(golds):
            if gi not in matched_g and not g.get("optional"):
                det["fn"] += 1
                e2e["fn"] += 1
                by_kind.setdefault(g["kind"], [0, 0, 0])[2] += 1
                details.append(f"{aid}: missed {g['kind']} by {g['speaker']!r}: {g['span'][:70]!r}")
    dp, dr, df = _prf(**det)
    ep, er, ef = _prf(**e2e)
    matched = det["tp"]
    return Score(
        articles=len(gold), articles_predicted=len(set(predictions) & set(gold)),
        detection={"precision": dp, "recall": dr, "f1": df, **det},
        attribution_accuracy=(e2e["tp"] / matched) if matched else 0.0,
        end_to_end={"precision": ep, "recall": er, "f1": ef},
        recall_by_kind={k: (v[0] / (v[0] + v[2]) if v[0] + v[2] else 0.0) for k, v in sorted(by_kind.items())},
        details=tuple(details))


def read_articles(lines: Iterable[str]) -> dict[str, dict]:
    """Predicted articles from JSON Lines (the ``extract --format jsonl`` output), by id."""
    out = {}
    for n, line in enumerate(lines, 1):
        if line.strip():
            try:
                d = json.loads(line)
            except json.JSONDecodeError as e:
                raise GoldError(f"predictions line {n}: invalid JSON ({e.msg})") from None
            if not isinstance(d, dict) or "id" not in d:
                raise GoldError(f"predictions line {n}: expected an object with an \"id\" field")
            out[d["id"]] = d
    return out


def read_predictions(lines: Iterable[str]) -> dict[str, list]:
    """Predicted statements from JSON Lines, by article id."""
    return {k: d.get("statements", []) for k, d in read_articles(lines).items()}


def read_articles_file(path: str | Path) -> dict[str, dict]:
    """Predicted articles from a JSON Lines file; a missing or unreadable file is a :class:`GoldError`."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise GoldError(f"{path}: cannot read the predictions file ({getattr(e, 'strerror', None) or e})") from None
    return read_articles(text.splitlines())


def read_predictions_file(path: str | Path) -> dict[str, list]:
    """Predicted statements from a JSON Lines file, by article id."""
    return {k: d.get("statements", []) for k, d in read_articles_file(path).items()}


def report(r: Score) -> str:
    """The figures, formatted line for line as the reference scorer prints them."""
    d, e = r.detection, r.end_to_end
    return "\n".join([
        f"articles {r.articles} (predicted {r.articles_predicted})",
        f"detection   P {d['precision']:.3f}  R {d['recall']:.3f}  F1 {d['f1']:.3f}  (tp {d['tp']} fp {d['fp']} fn {d['fn']})",
        f"attribution accuracy on matched {r.attribution_accuracy:.3f}",
        "recall by kind  " + "  ".join(f"{k} {v:.3f}" for k, v in r.recall_by_kind.items()),
        f"end-to-end  P {e['precision']:.3f}  R {e['recall']:.3f}  F1 {e['f1']:.3f}",
    ])

"""Date, time and duration expressions, resolved against the article's publication date.

>>> import datetime
>>> [(t.text, t.kind, t.first, t.last) for t in find_times(
...     "Il a parlé mardi et reviendra d'ici à mars.", "fr", datetime.date(2021, 12, 10))]
[('mardi', 'date', datetime.date(2021, 12, 7), datetime.date(2021, 12, 7)), ("d'ici à mars", 'interval', datetime.date(2021, 12, 10), datetime.date(2022, 3, 31))]

Every phrase, word list and its meaning lives in the language data (``"dates"`` in
``porteparole/lang/fr.json`` and ``en.json``): a list of ``[template, operation, argument]``
patterns tried in order.  This module builds one compiled regular expression per language
from them (cached) and implements the operations.  Resolution conventions:

- **Anchor**: the publication date.  Without one, relative expressions are still found
  (kind and offsets) with ``first``/``last`` ``None``; absolute dates with a year resolve.
- **Year of a day or month without a year** (« le 7 décembre », "in March"): the occurrence
  nearest to the anchor, ties going to the future; a weekday given with the date
  (« mardi 7 décembre ») picks the year where it matches.  Deadlines (« d'ici à mars »,
  "by March", "before January 15") take the first occurrence not yet over at the anchor.
- **Bare weekday** (« vendredi », "on Tuesday"): the such day within ±3 days of the anchor
  (the past one when the anchor is equidistant — which cannot happen in a 7-day week);
  « prochain »/"next" the first one after the anchor, « dernier »/"last" the last one before it.
- **Weeks** run Monday to Sunday.  « cette semaine »/"this week" is the whole week;
  « au cours de la semaine », « dans la semaine », « d'ici la fin de la semaine », "within the
  week", "by the end of the week" run from the anchor to that Sunday (said on Friday
  10 Dec 2021: 10–12 Dec 2021).  Months and years likewise (« ce mois-ci » whole month,
  « d'ici la fin de l'année » anchor–31 Dec).
- **Counts** (« dans deux semaines », "within 30 days", "in two weeks"): from the anchor to
  the anchor plus that span; « il y a trois jours »/"three days ago": that day.
- **Deadlines** (« avant le 15 janvier », "before January 15"): from the anchor to the day
  before; « jusqu'au 15 janvier », "by January 15": to that day.  When there is no anchor,
  or the deadline is already past at the anchor, ``first`` is ``None`` and ``last`` is the
  deadline.
- **Times** (« à 15 heures », "at 3 p.m."): kind ``time``; ``first``/``last`` are the day of a
  date expression written just before it (« mardi à 15 heures »), else ``None``.
- **Durations** (« une heure et demie », "for three days"): kind ``duration``, ``minutes``
  (a month counts 30 days, a year 365); ``first``/``last`` ``None``.
"""
from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Callable, Optional

from ..lang import load

Date = datetime.date

_KIND = {"date": "date", "relday": "date", "weekday": "date", "weekday_next": "date",
         "weekday_last": "date", "ago": "date", "time": "time", "duration": "duration"}
_MINUTES = {"minute": 1, "day": 1440, "month": 30 * 1440, "year": 365 * 1440}
_TIME_JOIN = re.compile(r"[\s,]*(?:à|at|,)?[\s,]*$", re.I)   # between a date and its time


@dataclass(frozen=True)
class TimeExpr:
    """A date, interval, time or duration expression, with offsets into the text given."""

    start: int
    end: int
    text: str
    kind: str                         # "date" | "interval" | "duration" | "time"
    first: Optional[Date]             # the day (date) or first day (interval); None when unresolvable
    last: Optional[Date]              # the last day (interval; == first for a date)
    minutes: Optional[int] = None     # durations: « deux heures » -> 120


@dataclass(frozen=True)
class _Grammar:
    regex: re.Pattern
    rules: tuple[tuple[str, Optional[int]], ...]     # pattern index -> (operation, argument)
    months: dict[str, int]
    weekdays: dict[str, int]
    numbers: dict[str, int]
    units: dict[str, tuple[str, int]]
    relative: dict[str, int]


def _alternation(words, capitalised: bool = False) -> str:
    """Words as a regex alternation, longest first; spaces match any whitespace, ' either apostrophe."""
    out = []
    for w in sorted(set(words), key=lambda w: (-len(w), w)):
        forms = {w, w[:1].upper() + w[1:], w.upper()} if capitalised else {w}
        for f in sorted(forms):
            esc = re.escape(f).replace(r"\ ", r"\s+").replace("'", "['’]")
            out.append(f"(?-i:{esc})" if capitalised else esc)
    return "(?:" + "|".join(out) + ")" if out else "(?!)"


def _key(text: str) -> str:
    """A matched word as a data key: lowercased, single spaces, straight apostrophe."""
    return " ".join(text.lower().replace("’", "'").split())


@lru_cache(maxsize=None)
def _grammar(lang: str) -> _Grammar:
    data = load(lang).raw["dates"]
    cap = bool(data.get("capitalised"))
    numbers = {_key(k): v for k, v in data["numbers"].items()}
    articles = {_key(k): v for k, v in data.get("articles", {}).items()}
    digits = r"\d{1,3}"
    parts = {
        "month": _alternation(data["months"], cap),
        "weekday": _alternation(data["weekdays"], cap),
        "day": r"(?:3[01]|[12]\d|0?[1-9])",
        "monthnum": r"(?:1[0-2]|0?[1-9])",
        "year": r"(?:1[89]\d\d|2[01]\d\d)(?!\d)",
        "hour": r"(?:2[0-4]|[01]?\d)",
        "minute": r"[0-5]\d",
        "count": f"(?:{digits}|{_alternation(list(numbers) + list(articles))})",
        "number": f"(?:{digits}|{_alternation(numbers)})",
        "unit": _alternation(data["units"]),
        "relday": _alternation(data["relative_days"]),
        "half": _alternation(data.get("half", [])),
    }
    ordinals = _alternation(data.get("ordinals", []))
    alternatives, rules = [], []
    for i, (template, op, *arg) in enumerate(data["patterns"]):
        body = template.replace(" ?", "\0").replace(" ", r"\s+").replace("\0", r"\s?").replace("'", "['’]")

        seen: dict[str, int] = {}

        def group(m: re.Match, i: int = i, seen: dict = seen) -> str:
            name = m.group(1)      # a placeholder may occur twice: « {month} {day}|{day} {month} »
            seen[name] = seen.get(name, 0) + 1
            gname = f"p{i}_{name}__{seen[name]}"
            if name in ("day", "day2"):
                return f"(?P<{gname}>{parts['day']})(?:{ordinals})?(?!\\d)"
            return f"(?P<{gname}>{parts[name]})"

        body = re.sub(r"\{(\w+)\}", group, body)
        alternatives.append(f"(?P<p{i}>{body})")
        rules.append((op, arg[0] if arg else None))
    regex = re.compile(r"(?<![\w])(?:" + "|".join(alternatives) + r")(?![\w])", re.I)
    return _Grammar(regex=regex, rules=tuple(rules),
                    months={_key(k): v for k, v in data["months"].items()},
                    weekdays={_key(k): v for k, v in data["weekdays"].items()},
                    numbers={**numbers, **articles},
                    units={_key(k): (v[0], int(v[1])) for k, v in data["units"].items()},
                    relative={_key(k): v for k, v in data["relative_days"].items()})


# --- calendar arithmetic -------------------------------------------------------------

def _month_end(year: int, month: int) -> Date:
    return Date(year, month, calendar.monthrange(year, month)[1])


def _add_months(d: Date, n: int) -> Date:
    y, m = divmod(d.year * 12 + d.month - 1 + n, 12)
    return Date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def _add(d: Date, base: str, n: int) -> Date:
    if base == "minute":
        return d + datetime.timedelta(days=n // 1440)
    if base == "day":
        return d + datetime.timedelta(days=n)
    return _add_months(d, n if base == "month" else 12 * n)


def _safe_date(y: int, m: int, d: int) -> Optional[Date]:
    try:
        return Date(y, m, d)
    except ValueError:
        return None


def _nearest(anchor: Date, make: Callable[[int], Optional[Date]], ok=lambda d: True) -> Optional[Date]:
    """The candidate of the years around the anchor's nearest to it (ties: the future one)."""
    cands = [d for y in (anchor.year - 1, anchor.year, anchor.year + 1) if (d := make(y)) and ok(d)]
    if not cands:
        return None
    return min(cands, key=lambda d: (abs((d - anchor).days), d < anchor))


def _next_on_or_after(anchor: Date, make: Callable[[int], Optional[Date]]) -> Optional[Date]:
    cands = [d for y in (anchor.year, anchor.year + 1) if (d := make(y)) and d >= anchor]
    return min(cands) if cands else None


def _week(anchor: Date, offset: int) -> tuple[Date, Date]:
    monday = anchor - datetime.timedelta(days=anchor.weekday()) + datetime.timedelta(weeks=offset)
    return monday, monday + datetime.timedelta(days=6)


# --- resolution of one match -------------------------------------------------------------

class _Match:
    """The named groups of the pattern that matched, read through the language's word lists."""

    def __init__(self, m: re.Match, index: int, g: _Grammar) -> None:
        prefix = f"p{index}_"
        self.groups: dict[str, str] = {}
        for k, v in m.groupdict().items():
            if v is not None and k.startswith(prefix):
                self.groups.setdefault(k[len(prefix):].split("__")[0], v)
        self.g = g

    def int(self, name: str) -> Optional[int]:
        v = self.groups.get(name)
        return int(v) if v is not None else None

    def word(self, name: str, table: dict) -> Optional[int]:
        v = self.groups.get(name)
        return table.get(_key(v)) if v is not None else None

    @property
    def month(self) -> Optional[int]:
        return self.word("month", self.g.months) or self.int("monthnum")

    @property
    def count(self) -> Optional[int]:
        v = self.groups.get("count") or self.groups.get("number")
        if v is None:
            return None
        return int(v) if v.isdigit() else self.g.numbers.get(_key(v))

    @property
    def unit(self) -> tuple[str, int]:
        return self.g.units[_key(self.groups["unit"])]


Span = tuple[Optional[Date], Optional[Date]]


def _day(m: _Match, anchor: Optional[Date], name: str = "day", future: bool = False) -> Optional[Date]:
    """The day named by day/month/year (and weekday) groups."""
    day, month, year = m.int(name), m.month, m.int("year")
    if month is None or day is None:
        return None
    if year is not None:
        return _safe_date(year, month, day)
    if anchor is None:
        return None
    make = lambda y: _safe_date(y, month, day)  # noqa: E731
    if future:
        return _next_on_or_after(anchor, make)
    wd = m.word("weekday", m.g.weekdays)
    return (wd is not None and _nearest(anchor, make, lambda d: d.weekday() == wd)) or _nearest(anchor, make)


def _month_span(m: _Match, anchor: Optional[Date], future: bool = False) -> Span:
    month, year = m.month, m.int("year")
    if year is None:
        if anchor is None:
            return None, None
        if future:
            year = anchor.year if month >= anchor.month else anchor.year + 1
        else:
            here = anchor.year * 12 + anchor.month
            year = min((anchor.year - 1, anchor.year, anchor.year + 1),
                       key=lambda y: (abs(y * 12 + month - here), y * 12 + month < here))
    return Date(year, month, 1), _month_end(year, month)


def _deadline(anchor: Optional[Date], last: Optional[Date]) -> Span:
    if last is None:
        return None, None
    if anchor is None or last < anchor:
        return None, last
    return anchor, last


def _resolve(op: str, arg: Optional[int], m: _Match, a: Optional[Date]) -> tuple[Span, Optional[int]]:
    """(first, last) and minutes of one expression; ``a`` is the anchor."""
    one = datetime.timedelta(days=1)
    if op == "duration":
        if arg is not None:
            return (None, None), arg
        base, n = m.unit
        count = m.count or 0
        minutes = count * n * _MINUTES[base]
        if m.groups.get("half"):
            minutes += n * _MINUTES[base] // 2
        return (None, None), minutes
    if op == "date":
        d = _day(m, a)
        return (d, d), None
    if op == "year":
        y = m.int("year")
        if y is None:
            if a is None:
                return (None, None), None
            y = a.year + (arg or 0)
        return (Date(y, 1, 1), Date(y, 12, 31)), None
    if op == "until_year":
        y = m.int("year")
        return _deadline(a, Date(y, 12, 31)), None
    if op == "month" and arg is None:
        return _month_span(m, a), None
    if op == "until_month":
        return _deadline(a, _month_span(m, a, future=True)[1]), None
    if op == "before_month":
        first = _month_span(m, a, future=True)[0]
        return _deadline(a, first - one if first else None), None
    if op == "until_date":
        return _deadline(a, _day(m, a, future=True)), None
    if op == "before_date":
        d = _day(m, a, future=True)
        return _deadline(a, d - one if d else None), None
    if op == "range":
        first, last = _day(m, a, "day"), _day(m, a, "day2")
        if first and last and last < first:
            first = first.replace(year=first.year - 1) if first.month > last.month else first
        return (first, last), None
    if a is None:
        return (None, None), None
    if op == "relday":
        d = a + datetime.timedelta(days=m.word("relday", m.g.relative) or 0)
        return (d, d), None
    if op in ("weekday", "weekday_next", "weekday_last"):
        diff = (m.word("weekday", m.g.weekdays) - a.weekday()) % 7
        if op == "weekday":
            diff = diff - 7 if diff > 3 else diff
        elif op == "weekday_next":
            diff = diff or 7
        else:
            diff = diff - 7 if diff else -7
        d = a + datetime.timedelta(days=diff)
        return (d, d), None
    if op == "week":
        return _week(a, arg or 0), None
    if op == "week_rest":
        return (a, _week(a, 0)[1]), None
    if op == "month":
        first = _add_months(a.replace(day=1), arg or 0)
        return (first, _month_end(first.year, first.month)), None
    if op == "month_rest":
        return (a, _month_end(a.year, a.month)), None
    if op == "year_rest":
        return (a, Date(a.year, 12, 31)), None
    if op in ("within", "ago"):
        base, n = m.unit
        total = (m.count or 0) * n
        if op == "within":
            return (a, _add(a, base, total)), None
        d = _add(a, base, -total)
        return (d, d), None
    if op == "time":
        return (None, None), None
    raise ValueError(f"unknown date operation {op!r} in the language data")


def find_times(text: str, lang: str, published: Optional[Date], start: int = 0,
               end: Optional[int] = None) -> list[TimeExpr]:
    """Date, interval, time and duration expressions in ``text[start:end]``, in text order,
    resolved against ``published`` (see the module documentation for the conventions).
    Offsets are into ``text``."""
    g = _grammar(lang)
    if isinstance(published, datetime.datetime):
        published = published.date()
    out: list[TimeExpr] = []
    for match in g.regex.finditer(text, start, len(text) if end is None else end):
        index = int(match.lastgroup[1:])
        op, arg = g.rules[index]
        (first, last), minutes = _resolve(op, arg, _Match(match, index, g), published)
        kind = _KIND.get(op, "interval")
        if kind == "time" and out and out[-1].kind == "date" and _TIME_JOIN.match(text, out[-1].end, match.start()):
            first = last = out[-1].first
        out.append(TimeExpr(match.start(), match.end(), match.group(), kind, first, last, minutes))
    return out


_ISO = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})")


def parse_published(value: Optional[str]) -> Optional[Date]:
    """The day of a publication date as feeds and pages give it: ISO 8601 (a date, or a
    date and time: the date as written, whatever the time zone) or RFC 822 (RSS
    ``pubDate``); ``None`` for anything else."""
    if not value or not value.strip():
        return None
    m = _ISO.match(value)
    if m:
        return _safe_date(int(m[1]), int(m[2]), int(m[3]))
    try:
        return parsedate_to_datetime(value.strip()).date()
    except (TypeError, ValueError, IndexError):
        return None

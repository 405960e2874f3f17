"""The speaker page's timeline: statements per week, drawn by matplotlib as SVG."""
from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Iterable, Optional

WEEK = timedelta(days=7)


def week_of(value: str) -> Optional[date]:
    """The Monday of the week of an ISO date or date-time (None when it is not one)."""
    try:
        day = date.fromisoformat(value[:10])
    except (TypeError, ValueError):
        return None
    return day - timedelta(days=day.weekday())


def weekly_counts(dates: Iterable[str]) -> list[tuple[date, int]]:
    """Statements per week from the first week to the last, empty weeks included (as 0)."""
    counts: dict[date, int] = {}
    for value in dates:
        week = week_of(value)
        if week is not None:
            counts[week] = counts.get(week, 0) + 1
    if not counts:
        return []
    first, last = min(counts), max(counts)
    weeks, out = first, []
    while weeks <= last:
        out.append((weeks, counts.get(weeks, 0)))
        weeks += WEEK
    return out


def weekly_chart_svg(weeks: list[tuple[date, int]], colour: str = "#2f5d8a") -> str:
    """An SVG bar chart of ``weekly_counts`` (one bar per week; its ``<title>`` says the week and the count)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    plt.rcParams["svg.fonttype"] = "none"        # text stays text
    fig, ax = plt.subplots(figsize=(7.2, 2.4), dpi=100)
    try:
        if weeks:
            xs = [w for w, _ in weeks]
            ys = [n for _, n in weeks]
            bars = ax.bar(xs, ys, width=5.5, align="edge", color=colour, edgecolor=colour, linewidth=1.2)
            for bar, (w, n) in zip(bars, weeks):
                bar.set_gid(f"week-{w.isoformat()}-{n}")
            ax.set_xlim(xs[0] - timedelta(days=3), xs[-1] + timedelta(days=10))
            locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
            ax.xaxis.set_major_locator(locator)
            ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
            ax.set_ylim(0, max(ys) * 1.15 + 0.5)
            ax.yaxis.get_major_locator().set_params(integer=True)
        else:
            ax.text(0.5, 0.5, "no dated statements", ha="center", va="center", transform=ax.transAxes)
            ax.set_xticks([])
            ax.set_yticks([])
        ax.set_ylabel("statements / week")
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        fig.tight_layout()
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None})
        return buf.getvalue()
    finally:
        plt.close(fig)

"""Synthesis charts: who the reps want (functions, seniority, industries), the
company-size ranges each rep gave, rejection reasons and buying signals with
their support, and the agreement behind each criterion of the draft.

Builders take the plain JSON of ``SynthesisResult.to_dict()`` (so documents can
rebuild them from stored data) and return a ``matplotlib.figure.Figure``.
"""

from __future__ import annotations

import math
import textwrap
from typing import Any

from alignwork.charts import LIGHT, ChartTheme, new_figure, plain, style_axes

CONSENSUS_ORDER = ("strong", "contested", "weak", "outlier")


def consensus_colours(theme: ChartTheme, *, text: bool = False) -> dict[str, str]:
    """Colour per consensus level; ``text=True`` keeps outliers readable as text (not a pale bar)."""
    return {"strong": theme.good, "contested": theme.warning, "weak": theme.muted,
            "outlier": theme.muted if text else theme.grid}


def _wrap(label: str, width: int = 26) -> str:
    return plain("\n".join(textwrap.wrap(label, width)[:2]) or label)


def _short(label: str, limit: int = 30) -> str:
    return label if len(label) <= limit else label[:limit - 1].rstrip() + "…"


def _empty(axes, theme: ChartTheme, message: str) -> None:
    axes.set_axis_off()
    axes.text(0.5, 0.5, message, ha="center", va="center", color=theme.muted, fontsize=theme.font_size + 1,
              transform=axes.transAxes)


def _bars(axes, groups: list[dict[str, Any]], total: int, theme: ChartTheme, title: str, limit: int) -> None:
    style_axes(axes, theme)
    axes.set_title(title, loc="left")
    shown = groups[:limit]
    if not shown:
        _empty(axes, theme, "No answers yet")
        return
    colours = consensus_colours(theme)
    positions = range(len(shown))
    axes.barh(list(positions), [g["support"] for g in shown], color=[colours[g["consensus"]] for g in shown],
              height=0.65)
    axes.set_yticks(list(positions), [_wrap(g["label"]) for g in shown])
    axes.set_ylim(max(len(shown), 5) - 0.5, -0.5)  # top down; few groups keep slim bars
    axes.set_xlim(0, max(total, max(g["support"] for g in shown)) * 1.12 or 1)
    axes.set_xlabel(f"reps (of {total})")
    axes.xaxis.get_major_locator().set_params(integer=True)
    for position, group in zip(positions, shown):
        axes.text(group["support"] + total * 0.015, position, f"{group['support']}", va="center",
                  color=theme.foreground, fontsize=theme.font_size)


def _legend(figure, theme: ChartTheme, columns: int = 4) -> None:
    from matplotlib.patches import Patch

    colours = consensus_colours(theme)
    handles = [Patch(color=colours[level], label=level) for level in CONSENSUS_ORDER]
    legend = figure.legend(handles=handles, loc="outside lower center", ncols=columns, frameon=False,
                           fontsize=theme.font_size)
    for text in legend.get_texts():
        text.set_color(theme.foreground)


def groups_figure(data: dict[str, Any], key: str, title: str, theme: ChartTheme = LIGHT, *, limit: int = 10,
                  width: float = 6.4, height: float = 3.6):
    """Groups of one question as bars of support, coloured by consensus."""
    figure = new_figure(theme, width=width, height=height)
    groups = data["groups"].get(key, []) if key != "titles_seniority" else data.get("seniority", [])
    _bars(figure.add_subplot(), groups, data["interviews"], theme, title, limit)
    _legend(figure, theme)
    return figure


def persona_figure(data: dict[str, Any], theme: ChartTheme = LIGHT, *, width: float = 8.0, height: float = 3.6):
    """Title functions and seniority side by side."""
    figure = new_figure(theme, width=width, height=height)
    left, right = figure.subplots(1, 2)
    _bars(left, data["groups"].get("titles", []), data["interviews"], theme, "Title functions", 8)
    _bars(right, data.get("seniority", []), data["interviews"], theme, "Seniority", 5)
    _legend(figure, theme)
    return figure


def industries_figure(data: dict[str, Any], theme: ChartTheme = LIGHT, **size):
    return groups_figure(data, "industries", "Industries that close best", theme, **size)


def rejections_figure(data: dict[str, Any], theme: ChartTheme = LIGHT, **size):
    return groups_figure(data, "rejection_triggers", "Why reps reject a lead", theme, **size)


def signals_figure(data: dict[str, Any], theme: ChartTheme = LIGHT, **size):
    return groups_figure(data, "buying_signals", "Buying signals", theme, **size)


def ranges_figure(data: dict[str, Any], theme: ChartTheme = LIGHT, *, key: str = "company_size",
                  width: float = 6.4, height: float = 3.8):
    """Each rep's range as a bar on a log scale, coloured by team; the shared sweet spot shaded."""
    summary = data[key]
    usd = key == "annual_revenue"
    low_key, high_key = ("min_usd", "max_usd") if usd else ("min_employees", "max_employees")
    figure = new_figure(theme, width=width, height=height)
    axes = figure.add_subplot()
    style_axes(axes, theme)
    axes.set_title("Company size each rep wants" if not usd else "Annual revenue each rep wants", loc="left")
    reps = summary["per_rep"]
    if not reps:
        _empty(axes, theme, "No ranges given yet")
        return figure
    bounds = [v for rep in reps for v in (rep[low_key], rep[high_key]) if v]
    floor = 10 ** math.floor(math.log10(max(1, min(bounds or [1])))) if bounds else 1
    ceiling = 10 ** math.ceil(math.log10(max(bounds or [10]) * 1.01)) * (10 if any(r[high_key] is None for r in reps)
                                                                        else 1)
    floor = max(1, floor / (10 if any(not r[low_key] for r in reps) else 1))
    teams = list(dict.fromkeys(rep["team"] for rep in reps))
    colours = {team: theme.series[i % len(theme.series)] for i, team in enumerate(teams)}
    ordered = sorted(reps, key=lambda r: (teams.index(r["team"]), r[low_key] or 0))
    core = summary.get("core")
    if core:
        axes.axvspan(core[low_key] or floor, core[high_key] or ceiling, color=theme.accent, alpha=0.12, lw=0)
    for row, rep in enumerate(ordered):
        start, end = rep[low_key] or floor, rep[high_key] or ceiling
        if end <= start:  # a single number: a short tick
            start, end = start / 1.15, start * 1.15
        axes.barh(row, end - start, left=start, height=0.6, color=colours[rep["team"]],
                  alpha=1.0 if rep[high_key] and rep[low_key] else 0.6)
    axes.set_xscale("log")
    axes.set_xlim(floor, ceiling)
    axes.set_yticks(range(len(ordered)), [_wrap(rep["participant"], 18) for rep in ordered])
    axes.invert_yaxis()
    axes.set_xlabel("USD per year (open ends fade)" if usd else "employees (open ends fade)")
    axes.xaxis.set_major_formatter(_number_formatter(usd))
    axes.grid(axis="x", color=theme.grid, linewidth=0.8, which="major")
    from matplotlib.patches import Patch

    handles = [Patch(color=colours[team], label=team) for team in teams]
    if core:
        handles.append(Patch(color=theme.accent, alpha=0.25, label="most reps agree"))
    columns = 3 if len(handles) > 4 else len(handles)  # two rows rather than a clipped legend
    legend = figure.legend(handles=handles, loc="outside lower center", ncols=columns, frameon=False,
                           fontsize=theme.font_size)
    for text in legend.get_texts():
        text.set_color(theme.foreground)
    return figure


def _number_formatter(usd: bool):
    from matplotlib.ticker import FuncFormatter

    def short(value, _position):
        for size, letter in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
            if value >= size:
                text = f"{value / size:g}{letter}"
                return f"${text}" if usd else text
        return f"${value:g}" if usd else f"{value:g}"

    return FuncFormatter(short)


def agreement_criteria(definition: dict[str, Any]) -> list[dict[str, Any]]:
    """The criteria the agreement chart shows: every one not rejected, disqualifiers included
    (a criterion synthesis gave no consensus is shown as "weak"). Captions count these."""
    return [c for c in definition.get("criteria", []) if c.get("decision") != "rejected"]


def agreement_figure(definition: dict[str, Any], theme: ChartTheme = LIGHT, *, width: float = 6.4,
                     height: float | None = None):
    """Share of reps behind each criterion of the draft, coloured by consensus; all of them (rejected
    ones left out), so a caption saying "each criterion" is true."""
    criteria = agreement_criteria(definition)
    figure = new_figure(theme, width=width, height=height or max(2.4, 0.24 * len(criteria) + 1.2))
    axes = figure.add_subplot()
    style_axes(axes, theme)
    figure.suptitle(f"Agreement per criterion (all {len(criteria)})" if criteria else "Agreement per criterion",
                    x=0.01, ha="left", color=theme.foreground, fontsize=theme.font_size + 2)
    if not criteria:
        _empty(axes, theme, "No criteria yet")
        return figure
    colours = consensus_colours(theme)
    axes.barh(range(len(criteria)), [(c.get("share") or 0) * 100 for c in criteria],
              color=[colours.get(c.get("consensus") or "weak", colours["weak"]) for c in criteria], height=0.65)
    axes.set_yticks(range(len(criteria)), [_wrap(_short(c["label"]), 60) for c in criteria])
    axes.invert_yaxis()
    axes.set_xlim(0, 105)
    for value, line in ((100 / 3, ":"), (200 / 3, "--")):
        axes.axvline(value, color=theme.muted, linestyle=line, linewidth=0.8)
    axes.set_xlabel("% of reps\n(lines at 1/3 and 2/3)", loc="right")  # centred, it overflowed a narrow tab
    _legend(figure, theme, columns=2)  # two rows: this chart sits in a narrow tab beside the criteria
    return figure

"""Review trend charts: the key metrics across periods, and returned leads by reason code.
Figures (never pyplot), themed; built from the periods' stored metrics so the page and
the meeting pack draw the same thing."""

from __future__ import annotations

from alignwork.charts import LIGHT, ChartTheme, new_figure, plain, style_axes


def trend_rows(periods: list) -> list[dict]:
    """What the charts need of each period (a ``ReviewPeriod`` or {"period", "metrics"})."""
    rows = []
    for item in periods:
        label, metrics = (item["period"], item["metrics"]) if isinstance(item, dict) else (item.period, item.metrics)
        sla = metrics.get("sla") or {}
        rows.append({"period": label, "leads": metrics.get("leads", 0), "sent": metrics.get("sent", 0),
                     "returned": metrics.get("returned", 0), "won": metrics.get("won", 0),
                     "quality": metrics.get("quality"), "sla": sla.get("share"),
                     "baseline": ((metrics.get("goal") or {}).get("baseline") or {}).get("quality"),
                     "by_code": {row["code"]: row["leads"] for row in metrics.get("returned_by_code", [])}})
    return rows


def _empty(axes, theme: ChartTheme, text: str) -> None:
    axes.text(0.5, 0.5, text, ha="center", va="center", color=theme.muted, transform=axes.transAxes)
    axes.set_xticks([])
    axes.set_yticks([])


def trend_figure(rows: list[dict], theme: ChartTheme = LIGHT, *, width: float = 6.4, height: float = 3.0):
    """Leads sent to Sales and returned per period (bars); quality and SLA share (lines, right axis)."""
    figure = new_figure(theme, width=width, height=height)
    axes = figure.add_subplot()
    style_axes(axes, theme, grid_axis="y")
    axes.set_title("Volume and quality by period", loc="left", color=theme.foreground)
    if not rows:
        _empty(axes, theme, "No review periods yet")
        return figure
    positions = list(range(len(rows)))
    axes.bar([p - 0.2 for p in positions], [r["sent"] for r in rows], width=0.4, color=theme.accent,
             label="sent to Sales")
    axes.bar([p + 0.2 for p in positions], [r["returned"] for r in rows], width=0.4, color=theme.muted,
             label="returned")
    axes.set_xticks(positions, [r["period"] for r in rows])
    axes.set_ylabel("leads")
    axes.set_ylim(0, max(max(r["sent"] for r in rows), 1) * 1.12)  # headroom: a bar never touches the top
    right = axes.twinx()
    style_axes(right, theme, grid_axis="")
    right.spines["right"].set_visible(True)
    right.spines["right"].set_color(theme.grid)
    for key, colour, name in (("quality", theme.good, "won of decided"), ("sla", theme.warning, "followed up in SLA")):
        values = [None if r[key] is None else r[key] * 100 for r in rows]
        if any(value is not None for value in values):
            right.plot(positions, [float("nan") if v is None else v for v in values], marker="o", color=colour,
                       linewidth=1.8, label=name)
    baseline = next((r["baseline"] for r in rows if r["baseline"]), None)
    if baseline:
        right.axhline(baseline * 200, color=theme.good, linewidth=1, linestyle="--", label="goal: double quality")
    right.set_ylim(0, 105)
    right.set_ylabel("%")
    handles = axes.get_legend_handles_labels()[0] + right.get_legend_handles_labels()[0]
    labels = axes.get_legend_handles_labels()[1] + right.get_legend_handles_labels()[1]
    legend = axes.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=3, frameon=False,
                         fontsize=theme.font_size - 1)
    for text in legend.get_texts():
        text.set_color(theme.foreground)
    return figure


def returns_figure(rows: list[dict], theme: ChartTheme = LIGHT, *, width: float = 6.4, height: float = 2.8):
    """Returned leads per period, stacked by reason code."""
    figure = new_figure(theme, width=width, height=height)
    axes = figure.add_subplot()
    style_axes(axes, theme, grid_axis="y")
    axes.set_title("Returned leads by reason code", loc="left", color=theme.foreground)
    codes = list(dict.fromkeys(code for r in rows for code in r["by_code"]))
    if not rows or not codes:
        _empty(axes, theme, "No returned leads with a reason code yet")
        return figure
    positions = list(range(len(rows)))
    bottom = [0] * len(rows)
    for index, code in enumerate(codes):
        values = [r["by_code"].get(code, 0) for r in rows]
        axes.bar(positions, values, bottom=bottom, width=0.6, color=theme.series[index % len(theme.series)],
                 label=plain(code))
        bottom = [b + v for b, v in zip(bottom, values)]
    axes.set_xticks(positions, [r["period"] for r in rows])
    axes.set_ylabel("leads")
    legend = axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=theme.font_size - 1)
    for text in legend.get_texts():
        text.set_color(theme.foreground)
    return figure

"""Back-test charts: score distribution with the thresholds, volume today vs passing,
pass rate by segment. Figures (never pyplot), themed; built from ``BacktestResult.summary()``
pieces so the UI and documents draw the same thing."""

from __future__ import annotations

from alignwork.charts import LIGHT, ChartTheme, new_figure, plain, style_axes

SEGMENT_TITLES = {"industry": "industry", "region": "region", "lead_source": "lead source",
                  "seniority": "seniority", "function": "function"}


def score_distribution_figure(distribution: list[dict], thresholds: dict, theme: ChartTheme = LIGHT, *,
                              width: float = 6.4, height: float = 3.2):
    """Leads per score; bars at or above the MQL threshold in the accent colour, lines at MQL and SQL."""
    figure = new_figure(theme, width=width, height=height)
    axes = figure.add_subplot()
    style_axes(axes, theme, grid_axis="y")
    mql, sql = thresholds["mql"], thresholds["sql"]
    if not distribution:
        axes.text(0.5, 0.5, "No leads scored", ha="center", va="center", color=theme.muted,
                  transform=axes.transAxes)
        axes.set_xticks([])
        axes.set_yticks([])
        return figure
    scores = [item["score"] for item in distribution]
    low, high = min(scores + [mql, sql]), max(scores + [mql, sql])
    span = max(high - low, 1)
    step = max(1, -(-span // 40))  # at most ~40 bars
    bins: dict[int, int] = {}
    for item in distribution:  # bins aligned on the MQL threshold: none straddles it
        start = mql + (item["score"] - mql) // step * step
        bins[start] = bins.get(start, 0) + item["count"]
    starts = sorted(bins)
    colours = [theme.accent if start >= mql else theme.muted for start in starts]
    axes.bar(starts, [bins[s] for s in starts], width=step * 0.85, align="edge", color=colours, linewidth=0)
    # the second label one line lower: "MQL 40" and "SQL 50" side by side would overprint
    for line, (value, name, colour) in enumerate(((mql, "MQL", theme.warning), (sql, "SQL", theme.good))):
        axes.axvline(value, color=colour, linewidth=1.5)
        axes.annotate(f"{name} {value}", xy=(value, 1), xycoords=("data", "axes fraction"),
                      xytext=(3, -2 - line * (theme.font_size + 4)),
                      textcoords="offset points", va="top", color=theme.foreground, fontsize=theme.font_size)
    axes.set_xlabel("score (fit + intent)")
    axes.set_ylabel("leads")
    axes.set_title("Score distribution", loc="left", color=theme.foreground)
    _whole_numbers(axes.yaxis)
    return figure


def volume_figure(volume: dict, theme: ChartTheme = LIGHT, *, width: float = 6.4, height: float = 1.8):
    """Leads sent to Sales today vs those that pass the definition, against the "half" target."""
    figure = new_figure(theme, width=width, height=height)
    axes = figure.add_subplot()
    style_axes(axes, theme, grid_axis="x")
    today, passing, target = volume["today"], volume["passing"], volume["target"]
    labels = ["Passing", "Today"]
    bars = axes.barh(labels, [passing, today], color=[theme.accent, theme.muted], height=0.6)
    axes.axvline(target, color=theme.warning, linewidth=1.5, linestyle="--")
    axes.annotate("target: half", xy=(target, 1), xycoords=("data", "axes fraction"), xytext=(3, -2),
                  textcoords="offset points", va="top", color=theme.foreground, fontsize=theme.font_size)
    share = f" ({passing / today:.0%})" if today else ""
    for bar, text in zip(bars, [f"{passing:,}{share}", f"{today:,}"]):
        axes.annotate(text, xy=(bar.get_width(), bar.get_y() + bar.get_height() / 2), xytext=(4, 0),
                      textcoords="offset points", va="center", color=theme.foreground, fontsize=theme.font_size)
    axes.set_xlim(0, max(today, 1) * 1.18)
    axes.set_ylim(-0.5, 1.95)  # headroom above "Today" for the target's label
    axes.set_title("Volume to Sales: today vs passing", loc="left", color=theme.foreground)
    _whole_numbers(axes.xaxis)
    return figure


def segment_figure(attribute: str, rows: list[dict], pass_rate: float, theme: ChartTheme = LIGHT, *,
                   width: float = 6.4, height: float | None = None):
    """Pass rate per segment (biggest segments first), the overall pass rate as a line."""
    height = height or max(1.8, 0.6 + 0.26 * len(rows))
    figure = new_figure(theme, width=width, height=height)
    axes = figure.add_subplot()
    style_axes(axes, theme, grid_axis="x")
    names = {}
    if attribute == "lead_source":  # kinds are keys ("pricing_page"); the chart says them in words
        from alignwork.synthesis.normalize import lead_source_kinds

        names = lead_source_kinds()
    labels = [_short(names.get(row["segment"], row["segment"])) for row in rows][::-1]
    rates = [row["pass_rate"] * 100 for row in rows][::-1]
    colours = [theme.accent if rate >= pass_rate * 100 else theme.muted for rate in rates]
    bars = axes.barh(labels, rates, color=colours, height=0.65)
    for bar, row in zip(bars, rows[::-1]):
        axes.annotate(f"{row['pass_rate']:.0%} of {row['leads']:,}", xy=(bar.get_width(), bar.get_y() + bar.get_height() / 2),
                      xytext=(4, 0), textcoords="offset points", va="center", color=theme.foreground,
                      fontsize=theme.font_size - 1)
    axes.axvline(pass_rate * 100, color=theme.warning, linewidth=1.2, linestyle="--")
    axes.set_xlim(0, 119)
    axes.set_xlabel("% passing (MQL + SQL)")
    axes.set_title(f"Pass rate by {SEGMENT_TITLES.get(attribute, attribute)}", loc="left", color=theme.foreground)
    return figure


def _short(text: str, limit: int = 26) -> str:
    return plain(text if len(text) <= limit else text[: limit - 1].rstrip() + "…")


def _thousands():
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _position: f"{value:,.0f}")


def _whole_numbers(axis) -> None:
    """Lead counts on ``axis``: whole ticks only (six leads gave the ticks 0, 0, 0, 1, 1, 1), grouped by thousands."""
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))
    axis.set_major_formatter(_thousands())

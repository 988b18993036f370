"""Premortem charts: the risk matrix (likelihood × impact) and the votes chart.

Items are numbered by their place in the list given (the checklist's order), so a
chart and the table beside it share numbers. Figures only; matplotlib is lazy.
"""

from __future__ import annotations

import math
import textwrap
from collections import defaultdict
from collections.abc import Sequence

from alignwork.charts import LIGHT, ChartTheme, new_figure, plain, style_axes

MAX_PER_CELL = 9  # beyond this a cell shows "+n" instead of more markers
CLASS_LABELS = {"tiger": "Tiger", "elephant": "Elephant", "paper_tiger": "Paper tiger", None: "Not classified"}


def _class_colours(theme: ChartTheme) -> dict[str | None, str]:
    return {"tiger": theme.bad, "elephant": theme.series[4], "paper_tiger": theme.muted, None: theme.accent}


def _text_on(colour: str) -> str:
    """Black or white, whichever reads better on ``colour``."""
    from matplotlib.colors import to_rgb

    red, green, blue = to_rgb(colour)
    return "#111111" if 0.299 * red + 0.587 * green + 0.114 * blue > 0.6 else "#ffffff"


def _cell_offsets(count: int) -> list[tuple[float, float]]:
    """Offsets inside a matrix cell for ``count`` markers, on a small grid so none overlap."""
    columns = max(1, math.ceil(math.sqrt(count)))
    rows = math.ceil(count / columns)
    step_x = 0.84 / columns
    step_y = 0.84 / max(rows, 1)
    return [((i % columns - (columns - 1) / 2) * step_x, ((rows - 1) / 2 - i // columns) * step_y)
            for i in range(count)]


def risk_matrix_figure(risks: Sequence, theme: ChartTheme = LIGHT, *, width: float = 7.2,
                       height: float = 5.0, legend_items: int = 12):
    """Likelihood (x) × impact (y), 1–5 each. Each scored item is a numbered marker in its
    cell (spread on a grid when several share a cell); tigers are red and ringed. A key
    beside the matrix names the highest-scoring items so labels never pile up on the grid."""
    from matplotlib.patches import Rectangle

    figure = new_figure(theme, width=width, height=height)
    axes_grid = figure.add_gridspec(1, 2, width_ratios=(1.45, 1))
    axes = figure.add_subplot(axes_grid[0, 0])
    key_axes = figure.add_subplot(axes_grid[0, 1])
    style_axes(axes, theme, grid_axis="")
    key_axes.set_axis_off()
    colours = _class_colours(theme)

    # Background: calm shading that deepens towards high likelihood × impact.
    for likelihood in range(1, 6):
        for impact in range(1, 6):
            level = likelihood * impact / 25
            axes.add_patch(Rectangle((likelihood - 0.5, impact - 0.5), 1, 1, facecolor=theme.bad,
                                     alpha=0.04 + 0.22 * level, edgecolor=theme.grid, linewidth=0.8, zorder=0))

    numbered = list(enumerate(risks, 1))
    scored = [(n, r) for n, r in numbered if r.likelihood and r.impact]
    cells: dict[tuple[int, int], list] = defaultdict(list)
    for number, risk in scored:
        cells[(risk.likelihood, risk.impact)].append((number, risk))
    for (likelihood, impact), members in cells.items():
        shown = members if len(members) <= MAX_PER_CELL else members[:MAX_PER_CELL - 1]
        offsets = _cell_offsets(min(len(members), MAX_PER_CELL))
        size = 17 if len(offsets) == 1 else 14 if len(offsets) <= 4 else 11
        font = theme.font_size - (0.5 if size >= 14 else 1.5)
        for (dx, dy), (number, risk) in zip(offsets, shown):
            tiger = risk.klass == "tiger"
            axes.plot(likelihood + dx, impact + dy, marker="o", markersize=size, zorder=3,
                      color=colours.get(risk.klass, theme.accent),
                      markeredgecolor=theme.foreground if tiger else theme.background,
                      markeredgewidth=1.6 if tiger else 0.8)
            axes.text(likelihood + dx, impact + dy, str(number), ha="center", va="center", zorder=4,
                      color=_text_on(colours.get(risk.klass, theme.accent)), fontsize=font, fontweight="bold")
        if len(members) > MAX_PER_CELL:  # a crowded cell says how many more it holds
            dx, dy = offsets[-1]
            axes.text(likelihood + dx, impact + dy, f"+{len(members) - len(shown)}", ha="center", va="center",
                      zorder=4, color=theme.foreground, fontsize=font)

    axes.set_xlim(0.5, 5.5)
    axes.set_ylim(0.5, 5.5)
    axes.set_xticks(range(1, 6))
    axes.set_yticks(range(1, 6))
    axes.set_aspect("equal")
    axes.set_xlabel("Likelihood")
    axes.set_ylabel("Impact")
    axes.set_title("Risk matrix", loc="left", color=theme.foreground)
    if not scored:
        axes.text(3, 3, "No item scored yet", ha="center", va="center", color=theme.muted, fontsize=theme.font_size + 1)

    _matrix_key(key_axes, scored, theme, colours, legend_items, len(scored))
    return figure


def _matrix_key(axes, scored: list, theme: ChartTheme, colours: dict, limit: int, total: int) -> None:
    """A numbered list of the highest-scoring items, then the colour legend."""
    ranked = sorted(scored, key=lambda item: (-(item[1].score or 0), -item[1].votes, item[0]))[:limit]
    axes.set_xlim(0, 1)
    axes.set_ylim(0, 1)
    line = 1 / (limit + 7.5)
    y = 1 - line / 2
    axes.text(0, y, "Highest scores", color=theme.foreground, fontsize=theme.font_size + 1,
              fontweight="bold", va="center")
    for number, risk in ranked:
        y -= line
        label = plain(textwrap.shorten(risk.title, width=34, placeholder="…"))
        axes.text(0, y, f"{number:>2}", color=colours.get(risk.klass, theme.accent), fontsize=theme.font_size,
                  fontweight="bold", va="center", family="monospace")
        axes.text(0.1, y, f"{label}  ({risk.score})", color=theme.foreground, fontsize=theme.font_size - 0.5,
                  va="center")
    if total > len(ranked):
        y -= line
        axes.text(0.1, y, f"+ {total - len(ranked)} more in the checklist", color=theme.muted,
                  fontsize=theme.font_size - 0.5, va="center")
    y -= line * 1.4
    for klass in ("tiger", "elephant", "paper_tiger", None):
        axes.plot(0.03, y, marker="o", markersize=8, color=colours[klass],
                  markeredgecolor=theme.foreground if klass == "tiger" else theme.background)
        axes.text(0.1, y, CLASS_LABELS[klass], color=theme.foreground, fontsize=theme.font_size - 0.5, va="center")
        y -= line * 0.9


def votes_figure(risks: Sequence, theme: ChartTheme = LIGHT, *, width: float = 7.2, height: float | None = None,
                 limit: int = 12):
    """Horizontal bars of dots per item, most voted on top; items without votes left out."""
    voted = sorted([(n, r) for n, r in enumerate(risks, 1) if r.votes > 0],
                   key=lambda item: (-item[1].votes, item[0]))[:limit]
    height = height or max(2.4, 0.9 + 0.34 * max(len(voted), 3))
    figure = new_figure(theme, width=width, height=height)
    axes = figure.add_subplot()
    style_axes(axes, theme, grid_axis="x")
    axes.set_title("Votes", loc="left", color=theme.foreground)
    if not voted:
        axes.set_axis_off()
        axes.text(0.5, 0.5, "No votes yet: votes appear after the voting phase", ha="center", va="center",
                  color=theme.muted, fontsize=theme.font_size + 1, transform=axes.transAxes)
        return figure
    colours = _class_colours(theme)
    labels = [plain(f"{n}. {textwrap.shorten(r.title, width=48, placeholder='…')}") for n, r in voted]
    values = [r.votes for _, r in voted]
    positions = list(range(len(voted)))[::-1]
    axes.barh(positions, values, color=[colours.get(r.klass, theme.accent) for _, r in voted], height=0.62)
    axes.set_yticks(positions, labels)
    for position, value in zip(positions, values):
        axes.text(value, position, f" {value}", va="center", color=theme.foreground, fontsize=theme.font_size)
    axes.set_xlim(0, max(values) * 1.15 + 0.2)
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.set_xlabel("Dots")
    return figure

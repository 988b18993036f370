"""Charts of a definition for the agreement documents: the scoring model's points."""

from __future__ import annotations

from alignwork.charts import LIGHT, ChartTheme, new_figure, plain, style_axes
from alignwork.definition.criteria import Definition


def _short(text: str, limit: int = 42) -> str:
    return plain(text if len(text) <= limit else text[: limit - 1] + "…")


def scoring_points_figure(definition: Definition, theme: ChartTheme = LIGHT, *, width: float = 6.4):
    """Horizontal bars: points of every scored rule, fit and intent coloured apart, negatives red."""
    rules = sorted(definition.scored_criteria(), key=lambda c: (c.axis, -c.points))
    rules = [c for c in rules if c.points or not c.knockout]
    height = max(2.2, 0.17 * len(rules) + 0.9)
    figure = new_figure(theme, width=width, height=height)
    axes = figure.add_subplot()
    style_axes(axes, theme, grid_axis="x")
    if not rules:
        axes.text(0.5, 0.5, "No scored rules yet", ha="center", va="center", color=theme.muted,
                  transform=axes.transAxes)
        axes.set_axis_off()
        return figure
    labels = [_short(c.label) for c in rules]
    colours = [theme.bad if c.points < 0 else (theme.series[0] if c.axis == "fit" else theme.series[1])
               for c in rules]
    positions = range(len(rules))
    axes.barh(list(positions), [c.points for c in rules], color=colours, height=0.7)
    axes.set_yticks(list(positions), labels)
    axes.invert_yaxis()
    axes.axvline(0, color=theme.grid, linewidth=1)
    axes.set_xlabel("points")
    from matplotlib.patches import Patch

    handles = [Patch(color=theme.series[0], label="fit (who they are)"),
               Patch(color=theme.series[1], label="intent (what they do)"),
               Patch(color=theme.bad, label="negative")]
    legend = axes.legend(handles=handles, loc="lower right", fontsize=theme.font_size - 1, frameon=False)
    for text in legend.get_texts():
        text.set_color(theme.foreground)
    return figure


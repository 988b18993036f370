"""matplotlib Figure builders (never pyplot), shared by the UI and the exports.

Every builder takes a ``ChartTheme`` so charts follow the window's light or dark
palette on screen and the light theme in documents. matplotlib is imported
inside the functions: importing this package costs nothing at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ChartTheme:
    background: str = "#ffffff"
    foreground: str = "#1f2328"
    muted: str = "#6e7781"
    grid: str = "#d8dee4"
    accent: str = "#2f6fde"
    # categorical series; the accent first so a one-series chart uses it
    series: tuple[str, ...] = field(default=("#2f6fde", "#e0823d", "#3a9d5d", "#c5484d", "#8a63d2",
                                              "#3fa7b5", "#b58a2b", "#7a8899"))
    good: str = "#3a9d5d"
    warning: str = "#d99a1e"
    bad: str = "#c5484d"
    font_size: float = 9.0


LIGHT = ChartTheme()
DARK = ChartTheme(background="#1e1f22", foreground="#e6e6e6", muted="#9aa4ae", grid="#3a3d42",
                  accent="#5b93f0", series=("#5b93f0", "#f0a05b", "#5fc283", "#e5686d", "#a98bea",
                                            "#62c6d3", "#d6ad4d", "#a0aab5"))


def new_figure(theme: ChartTheme = LIGHT, *, width: float = 6.4, height: float = 3.6):
    """A Figure (not pyplot) sized in inches, coloured by ``theme``."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=100, facecolor=theme.background, layout="constrained")
    return figure


def plain(text: str) -> str:
    """User text for a chart label: a "$" would otherwise start mathtext ("$10M–$1B" → "10M–1B")."""
    return text.replace("$", r"\$")


def style_axes(axes, theme: ChartTheme = LIGHT, *, grid_axis: str = "x") -> None:
    """Calm axes: no top/right spines, light grid, themed text."""
    axes.set_facecolor(theme.background)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        axes.spines[side].set_color(theme.grid)
    axes.tick_params(colors=theme.foreground, labelsize=theme.font_size)
    axes.xaxis.label.set_color(theme.foreground)
    axes.yaxis.label.set_color(theme.foreground)
    axes.title.set_color(theme.foreground)
    axes.title.set_fontsize(theme.font_size + 2)
    if grid_axis:
        axes.grid(axis=grid_axis, color=theme.grid, linewidth=0.8)
        axes.set_axisbelow(True)


def figure_png(figure, dpi: int = 150) -> bytes:
    """Render a Figure to PNG bytes (for DOCX, PDF and HTML exports)."""
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, facecolor=figure.get_facecolor())
    return buffer.getvalue()

"""Back-test charts: thresholds drawn where they are, bars coloured by passing, themes followed."""

from __future__ import annotations

from alignwork.charts import DARK, LIGHT, figure_png
from alignwork.charts.backtest import score_distribution_figure, segment_figure, volume_figure
from matplotlib.colors import to_hex


def test_distribution_marks_both_thresholds_and_colours_passing_scores():
    distribution = [{"score": s, "count": c} for s, c in ((-10, 2), (0, 5), (20, 4), (35, 3), (80, 1))]
    figure = score_distribution_figure(distribution, {"mql": 30, "sql": 70, "sql_min_intent": 1}, DARK)
    axes = figure.axes[0]
    assert sorted(line.get_xdata()[0] for line in axes.lines) == [30, 70]
    bars = {round(patch.get_x()): to_hex(patch.get_facecolor()) for patch in axes.patches}
    assert bars[33] == DARK.accent and bars[0] == DARK.muted and sum(p.get_height() for p in axes.patches) == 15
    assert {text.get_text() for text in axes.texts} == {"MQL 30", "SQL 70"}
    assert len({text.xyann[1] for text in axes.texts}) == 2  # on two lines: close thresholds never overprint
    assert figure_png(figure).startswith(b"\x89PNG")


def test_volume_and_segments():
    volume = volume_figure({"today": 1000, "passing": 420, "target": 500}, LIGHT).axes[0]
    assert [round(p.get_width()) for p in volume.patches] == [420, 1000]
    assert "420 (42%)" in {t.get_text() for t in volume.texts}
    rows = [{"segment": "Software/SaaS", "leads": 10, "passing": 8, "pass_rate": 0.8},
            {"segment": "A very long segment name that goes on", "leads": 5, "passing": 1, "pass_rate": 0.2}]
    axes = segment_figure("industry", rows, 0.6, LIGHT).axes[0]
    assert [label.get_text() for label in axes.get_yticklabels()] == ["A very long segment name…", "Software/SaaS"]
    assert axes.get_title(loc="left") == "Pass rate by industry"
    empty = score_distribution_figure([], {"mql": 30, "sql": 70}, LIGHT).axes[0]
    assert empty.texts[0].get_text() == "No leads scored"


def test_counts_have_whole_ticks_and_sources_read_as_words():
    figure = score_distribution_figure([{"score": s, "count": 1} for s in (-2, 34, 59, 68, 85, 95)],
                                       {"mql": 30, "sql": 50, "sql_min_intent": 20}, LIGHT)
    figure_png(figure)  # ticks are placed when drawn
    ticks = [label.get_text() for label in figure.axes[0].get_yticklabels()]
    assert ticks and len(ticks) == len(set(ticks))  # not "0, 0, 0, 1, 1, 1"
    rows = [{"segment": "pricing_page", "leads": 2, "passing": 2, "pass_rate": 1.0},
            {"segment": "(unknown)", "leads": 1, "passing": 0, "pass_rate": 0.0}]
    axes = segment_figure("lead_source", rows, 0.6, LIGHT).axes[0]
    assert [label.get_text() for label in axes.get_yticklabels()] == ["(unknown)", "Asked for pricing"]

"""User text on charts stays text: a "$" in a risk title must not start matplotlib mathtext."""

from types import SimpleNamespace

from alignwork.charts.premortem import risk_matrix_figure, votes_figure


def _texts(figure) -> list[str]:
    texts = [t.get_text() for t in figure.findobj(lambda artist: hasattr(artist, "get_text"))]
    for axes in figure.axes:
        texts += [label.get_text() for label in axes.get_yticklabels()]
    return texts


def _risk(title: str) -> SimpleNamespace:
    return SimpleNamespace(title=title, likelihood=4, impact=5, score=20, klass="tiger", votes=2)


def test_dollars_in_risk_titles_are_escaped_on_both_premortem_charts():
    risks = [_risk("Deals under $10M get no follow-up"), _risk("Budget over $1B ignored")]
    for figure in (risk_matrix_figure(risks), votes_figure(risks)):
        figure.canvas.draw() if figure.canvas else None
        labelled = [text for text in _texts(figure) if "10M" in text or "1B" in text]
        assert labelled, "the risk titles are on the chart"
        assert all("\\$" in text and "$" not in text.replace("\\$", "") for text in labelled)

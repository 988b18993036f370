"""Charts drawn once are kept on disk by their inputs: the next process exports without drawing,
a change to the inputs draws afresh, and a folder that cannot be used never fails an export."""

import stat

import pytest

from alignwork.db import open_database
from alignwork.documents import builders, chart_files
from alignwork.documents.docmodel import DocumentOptions
from alignwork.documents.writers import export_workshop
from alignwork.paths import data_dir
from tests.agreement.workshop import agreed_then_proposed


@pytest.fixture
def fresh_process(monkeypatch):
    """What a new process has: nothing in memory (the disk is what carries over)."""
    monkeypatch.setattr(builders, "_PNG_CACHE", {})


def _figure(height=3.0):
    from matplotlib.figure import Figure

    figure = Figure(figsize=(4.0, height))
    figure.add_subplot().bar([0, 1], [height, 1])
    return figure


def test_a_second_cold_export_reads_the_charts_and_writes_the_same_document(tmp_path, monkeypatch, fresh_process):
    database = open_database(f"sqlite:///{tmp_path / 'a.db'}")
    with database.session() as session:
        workshop_id = agreed_then_proposed(session, ("Ana Ruiz", "Maya Lindqvist"))
        first = export_workshop(session=session, workshop_id=workshop_id, format="md", path=tmp_path / "one.md",
                                options=DocumentOptions(), number=1)
        files = sorted((data_dir() / "charts").glob("*.png"))
        assert len(files) >= 2 and all(path.read_bytes().startswith(b"\x89PNG") for path in files)
        assert all(stat.S_IMODE(path.stat().st_mode) == 0o600 for path in files)
        monkeypatch.setattr(builders, "_PNG_CACHE", {})  # the next process

        def no_drawing(*_args, **_kwargs):
            raise AssertionError("a chart kept on disk was drawn again")

        monkeypatch.setattr("alignwork.charts.figure_png", no_drawing)
        second = export_workshop(session=session, workshop_id=workshop_id, format="md", path=tmp_path / "two.md",
                                 options=DocumentOptions(), number=1)
    database.dispose()
    assert first.path.read_bytes() == second.path.read_bytes()


def test_other_inputs_are_drawn_afresh_and_a_damaged_file_is_drawn_again(fresh_process):
    drawn = []

    def build(height):
        drawn.append(height)
        return _figure(height)

    png, aspect = builders._png("bars", {"height": 3}, lambda: build(3.0))
    assert aspect == 0.75 and png.startswith(b"\x89PNG")
    builders._PNG_CACHE.clear()
    assert builders._png("bars", {"height": 3}, lambda: build(3.0)) == (png, aspect)
    assert builders._png("bars", {"height": 2}, lambda: build(2.0))[1] == 0.5
    assert drawn == [3.0, 2.0]
    for path in (data_dir() / "charts").glob("*.png"):
        path.write_bytes(b"not a picture")
    builders._PNG_CACHE.clear()
    assert builders._png("bars", {"height": 3}, lambda: build(3.0))[0].startswith(b"\x89PNG")
    assert drawn == [3.0, 2.0, 3.0]


def test_a_folder_that_cannot_be_written_only_means_drawing(fresh_process):
    (data_dir() / "charts").write_bytes(b"a file where the folder should be")
    drawn = []
    for _ in range(2):
        builders._PNG_CACHE.clear()
        png, _aspect = builders._png("bars", [1], lambda: drawn.append(1) or _figure())
        assert png.startswith(b"\x89PNG")
    assert drawn == [1, 1]


def test_only_the_most_recently_used_files_are_kept(monkeypatch):
    monkeypatch.setattr(chart_files, "KEEP", 3)
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 10
    for index in range(6):
        chart_files.store(f"key {index}", png, 0.5)
    assert len(list((data_dir() / "charts").glob("*.png"))) == 3
    assert chart_files.load("key 5") == (png, 0.5) and chart_files.load("key 0") is None

"""Help → User guide works wherever the program comes from: the checkout (editable install) and a
built wheel, whose pages are the docs/ Markdown files shipped as ``alignwork.resources.docs``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from alignwork.paths import docs_dir
from alignwork_gui.help import UserGuide, guide_pages, page_text, page_title

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("alignwork", "ui", "resources", "docs", "setup.py", "pyproject.toml", "README.md", "LICENSE")
GUIDE = "alignwork/resources/docs/"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """A wheel built from a copy of the sources (the checkout gets no build/ folder)."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy2(ROOT / name, source / name)
    # as .ci/installed.sh builds it: pip, the build requirements of pyproject.toml in isolation
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check", "--no-deps",
                            "-w", str(work / "dist"), str(source)], capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr[-2000:]
    return next((work / "dist").glob("alignwork-*.whl"))


def test_the_wheel_ships_every_page_of_the_guide_and_nothing_help_does_not_read(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    shipped = sorted(n[len(GUIDE):] for n in names if n.startswith(GUIDE) and n.endswith(".md"))
    assert shipped == sorted(p.name for p in (ROOT / "docs").glob("*.md")) and "app.md" in shipped
    assert not [n for n in names if n.startswith(GUIDE) and not n.endswith((".md", "__init__.py"))]
    assert not [n for n in names if n.endswith("screenshot.png")]


def test_the_guide_opens_from_the_unpacked_wheel_away_from_the_checkout(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    script = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from alignwork.paths import docs_dir\n"
        "from alignwork_gui.help import UserGuide\n"
        "app = QApplication([])\n"
        "guide = UserGuide()\n"
        "pages = [guide.pages.item(r).text() for r in range(guide.pages.count())]\n"
        "guide.pages.setCurrentRow(0)\n"
        "print(docs_dir()); print(len(pages)); print(guide.browser.document().toPlainText()[:400])\n")
    env = dict(os.environ, PYTHONPATH=str(site), QT_QPA_PLATFORM="offscreen", PYTHONNOUSERSITE="1")
    # -S: no site-packages other than the ones given, so no editable finder can point at the checkout;
    # Qt and the libraries come from this environment's site-packages, appended after the wheel
    import PySide6

    env["PYTHONPATH"] += os.pathsep + str(Path(PySide6.__file__).parent.parent)
    ran = subprocess.run([sys.executable, "-S", "-c", script], cwd=tmp_path, env=env, capture_output=True,
                         text=True, timeout=120)
    assert ran.returncode == 0, ran.stderr[-2000:]
    folder, count, text = ran.stdout.split("\n", 2)
    assert Path(folder) == site / "alignwork" / "resources" / "docs"
    assert int(count) == len(list((ROOT / "docs").glob("*.md")))
    assert text.startswith(page_title(ROOT / "docs" / "app.md"))  # the first page, rendered
    assert "\ufffc" not in text  # no picture object: the screenshot is not shipped, so not asked for


def test_in_the_checkout_the_guide_is_the_docs_folder(qtbot):
    assert docs_dir() == ROOT / "docs"
    guide = UserGuide()
    qtbot.addWidget(guide)
    assert guide.pages.count() == len(guide_pages()) == len(list((ROOT / "docs").glob("*.md")))


def test_a_picture_that_is_not_shipped_beside_the_page_is_left_out(tmp_path):
    page = tmp_path / "app.md"
    page.write_text("# App\n\n![The roster](screenshot.png)\n\nText. ![Logo](logo.png) and "
                    "![web](https://example.org/a.png)\n", encoding="utf-8")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG")
    text = page_text(page)
    assert "screenshot.png" not in text and "![Logo](logo.png)" in text and "https://example.org/a.png" in text
    assert text.split()[:3] == ["#", "App", "Text."]

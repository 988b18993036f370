"""Build the end-user desktop bundle: one folder with the app, Python and Qt inside (PyInstaller).

    python3 packaging/build_bundle.py [--python PY] [--out DIR] [--smoke] [--install-system-packages]

--python PY   an environment that has Alignwork installed from its wheel (not editable) and
              PyInstaller (``pip install -c requirements.lock ".[bundle]"`` or the wheel plus
              ``pyinstaller``); default: this Python
--out DIR     where the bundle goes (default: dist/); the folder is DIR/Alignwork/
--smoke       afterwards start the bundle once under Xvfb (a real X11 display, the xcb plugin)
              with --quit-after-ready and fail unless it prints "ready in N ms"
--install-system-packages   (CI, as root) apt-get install what --smoke needs: xvfb, xauth and
              any system library Qt's xcb plugin lacks

Result on Linux: DIR/Alignwork/Alignwork (the program), alignwork.png (the app icon, rendered
from resources/icons/workshop.svg) and alignwork.desktop (a desktop entry pointing at both; copy it
to ~/.local/share/applications to get Alignwork in the menu). Windows and macOS: docs/install.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
NAME = "Alignwork"
ICON_SVG = "workshop.svg"  # the window icon app.py sets
ICON_SIZE = 256


# Every step runs away from the checkout, so that only the installed wheel can be imported
# (``python -m`` and ``-c`` put the current folder first on sys.path).
AWAY = Path(tempfile.gettempdir())


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    print("+", " ".join(map(str, command)), flush=True)
    return subprocess.run([str(part) for part in command], check=True, cwd=AWAY, **kwargs)


def ask(python: str, code: str) -> str:
    return subprocess.run([python, "-c", code], check=True, capture_output=True, text=True, cwd=AWAY).stdout.strip()


def render_icon(python: str, svg: Path, png: Path) -> None:
    """The SVG line icon on a light rounded tile, as a PNG (menus and docks want a bitmap)."""
    code = f"""
import os; os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer
app = QGuiApplication([])
size = {ICON_SIZE}
image = QImage(size, size, QImage.Format.Format_ARGB32)
image.fill(Qt.GlobalColor.transparent)
painter = QPainter(image)
painter.setRenderHint(QPainter.RenderHint.Antialiasing)
painter.setBrush(QColor("#f4f6f8")); painter.setPen(QColor("#c9d1d9"))
painter.drawRoundedRect(QRectF(4, 4, size - 8, size - 8), size * 0.18, size * 0.18)
QSvgRenderer({str(svg)!r}).render(painter, QRectF(size * 0.16, size * 0.16, size * 0.68, size * 0.68))
painter.end()
assert image.save({str(png)!r})
"""
    subprocess.run([python, "-c", code], check=True, cwd=AWAY)


def build(python: str, out: Path) -> Path:
    site = Path(ask(python, "import alignwork, pathlib; print(pathlib.Path(alignwork.__file__).parent.parent)"))
    if not (site / "alignwork_gui").is_dir() or not (site / "alignwork" / "resources").is_dir():
        sys.exit(f"{python} has no installed Alignwork wheel (found {site}); install the wheel first, "
                 "not an editable checkout")
    work = Path(tempfile.mkdtemp(prefix="alignwork-bundle-"))
    try:
        icon = work / "alignwork.png"
        render_icon(python, site / "alignwork" / "resources" / "icons" / ICON_SVG, icon)
        separator = ";" if os.name == "nt" else ":"
        command = [
            python, "-m", "PyInstaller", "--noconfirm", "--clean", "--onedir", "--windowed",
            "--name", NAME, "--distpath", out, "--workpath", work / "build", "--specpath", work,
            "--icon", icon,  # Windows/macOS embed it (PyInstaller converts the PNG with Pillow)
            # pages and CLI commands are imported by name at run time: take every module
            "--collect-submodules", "alignwork", "--collect-submodules", "alignwork_gui",
            "--hidden-import", "alignwork.resources", "--hidden-import", "alignwork.resources.docs",
            "--collect-data", "alignwork.resources",  # with docs/, the user guide's pages
            # Alembic reads the migration scripts as files
            "--add-data", f"{site / 'alignwork' / 'migrations'}{separator}alignwork/migrations",
            # Qt modules the app does not use (smaller bundle)
            "--exclude-module", "PySide6.QtNetwork", "--exclude-module", "PySide6.QtQml",
            "--exclude-module", "PySide6.QtQuick", "--exclude-module", "tkinter",
            HERE / "launcher.py",
        ]
        run(command)
        bundle = out / NAME
        shutil.copy2(icon, bundle / "alignwork.png")
        program = bundle / (NAME + (".exe" if os.name == "nt" else ""))
        if sys.platform.startswith("linux"):
            entry = (HERE / "alignwork.desktop").read_text(encoding="utf-8")
            entry = entry.replace("@EXEC@", f'"{program}"').replace("@ICON@", str(bundle / "alignwork.png"))
            (bundle / "alignwork.desktop").write_text(entry, encoding="utf-8")
        print(f"bundle: {bundle} ({sum(f.stat().st_size for f in bundle.rglob('*') if f.is_file()) // 2**20} MB)")
        return program
    finally:
        shutil.rmtree(work, ignore_errors=True)


def qt_problem(bundle: Path) -> tuple[str | None, list[str]]:
    sys.path.insert(0, str(ROOT))
    from alignwork.qt_libraries import DEBIAN_PACKAGES, check, missing_libraries, plugin_path

    pyside = next(bundle.rglob("PySide6/Qt/plugins/platforms"), None)
    if pyside is None:
        return None, []
    pyside = pyside.parent.parent.parent  # …/PySide6
    env = {"DISPLAY": ":99"}  # Xvfb: the xcb plugin
    missing = missing_libraries(plugin_path(pyside, "xcb"))
    return check(pyside, env), [DEBIAN_PACKAGES[m] for m in missing if m in DEBIAN_PACKAGES]


def smoke(program: Path, install: bool) -> None:
    """Start the bundle once on a virtual X11 screen; it must reach ready."""
    problem, packages = qt_problem(program.parent)
    needed = [p for p in ("xvfb", "xauth") if shutil.which({"xvfb": "Xvfb", "xauth": "xauth"}[p]) is None]
    if install and (needed or packages):
        run(["apt-get", "update", "-qq"])
        run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *needed, *packages],
            env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
        problem, packages = qt_problem(program.parent)
        needed = [p for p in needed if shutil.which({"xvfb": "Xvfb", "xauth": "xauth"}[p]) is None]
    if needed:
        sys.exit(f"--smoke needs {' and '.join(needed)}: apt-get install -y {' '.join(needed)}")
    if problem:
        sys.exit(problem)
    home = Path(tempfile.mkdtemp(prefix="alignwork-bundle-home-"))
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "ALIGNWORK_"))}
        env["ALIGNWORK_HOME"] = str(home)
        result = subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", str(program), "--quit-after-ready"],
                                capture_output=True, text=True, timeout=180, env=env)
        print(result.stdout.strip())
        if result.returncode != 0 or "ready in" not in result.stdout:
            sys.exit(f"the bundle did not reach ready (exit {result.returncode}):\n{result.stderr[-3000:]}")
        print(f"smoke: the bundle started under Xvfb and reached ready ({program})")
    finally:
        shutil.rmtree(home, ignore_errors=True)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--install-system-packages", action="store_true")
    args = parser.parse_args(argv)
    program = build(args.python, args.out.resolve())
    if args.smoke:
        if not sys.platform.startswith("linux"):
            print("--smoke runs on Linux only (Xvfb)")
        else:
            smoke(program, args.install_system_packages)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env bash
# CI, second part: the program as a user gets it. Build the wheel, install it into a fresh
# virtual environment OUTSIDE the checkout (at the locked versions), and from there run the
# CLI end to end (import the demo, synthesize, premortem, export in every format, back-test a
# generated CSV) and the GUI's start-up check. Nothing here can see the checkout's files.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/alignwork-installed.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
BUILD_PYTHON="${BUILD_PYTHON:-$ROOT/.venv/bin/python}"   # any Python with pip (run.py made this one)
[ -x "$BUILD_PYTHON" ] || BUILD_PYTHON=python3

step() { printf '\n== installed: %s\n' "$*"; }

step "build the wheel"
"$BUILD_PYTHON" -m pip wheel --quiet --disable-pip-version-check --no-deps -w "$WORK/dist" "$ROOT"
WHEEL="$(ls "$WORK"/dist/alignwork-*.whl)"
python3 - "$WHEEL" "$ROOT" <<'PY'
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
tops = sorted({n.split("/")[0] for n in names})
assert "ui" not in tops, f"the wheel installs a top-level 'ui': {tops}"
for needed in ("alignwork/resources/demo_workshop.json", "alignwork/resources/bundle.schema.json",
               "alignwork/resources/premortem_library.json", "alignwork/resources/normalize/sectors.json",
               "alignwork/resources/icons/workshop.svg", "alignwork/migrations/env.py", "alignwork_gui/app.py"):
    assert needed in names, f"the wheel lacks {needed}"
# the user guide (Help → User guide): every Markdown page of docs/, and nothing Help does not read
import pathlib
pages = sorted(p.name for p in (pathlib.Path(sys.argv[2]) / "docs").glob("*.md"))
shipped = sorted(n.rsplit("/", 1)[1] for n in names if n.startswith("alignwork/resources/docs/") and n.endswith(".md"))
assert pages and shipped == pages, f"the wheel's user guide {shipped} is not docs/ {pages}"
extra = [n for n in names if n.startswith("alignwork/resources/docs/") and not n.endswith((".md", "__init__.py"))]
assert not extra, f"the wheel ships docs files Help does not read: {extra}"
print(f"{sys.argv[1].rsplit('/', 1)[-1]}: {len(names)} files, {len(shipped)} guide pages; top level {', '.join(tops)}")
PY

step "install it into a fresh environment"
python3 -m venv "$WORK/venv"
"$WORK/venv/bin/python" -m pip install --quiet --disable-pip-version-check -c "$ROOT/requirements.lock" "$WHEEL"

cd "$WORK"   # away from the checkout: only the installed package can be imported
export ALIGNWORK_HOME="$WORK/home"
unset ALIGNWORK_DB
BIN="$WORK/venv/bin"
DEMO="$("$BIN/python" -c 'from alignwork.paths import resource; print(resource("demo_workshop.json"))')"
case "$DEMO" in
  "$WORK"/venv/*) echo "resources come from the installed package: $DEMO" ;;
  *) echo "resources do not come from the installed package: $DEMO" >&2; exit 1 ;;
esac

step "Help → User guide from the installed package (offscreen)"
# alignwork_gui.help needs only Qt and the core, so this runs before the GUI's ui→alignwork_gui rename too
QT_QPA_PLATFORM=offscreen "$BIN/python" - "$WORK" <<'PY'
import sys
from PySide6.QtWidgets import QApplication
from alignwork.paths import docs_dir
from alignwork_gui.help import UserGuide, guide_pages

app = QApplication([])
assert str(docs_dir()).startswith(sys.argv[1] + "/venv/"), f"the guide does not come from the installed package: {docs_dir()}"
guide = UserGuide()
assert guide.pages.count() == len(guide_pages()) >= 5, guide.pages.count()
for row in range(guide.pages.count()):
    guide.pages.setCurrentRow(row)
    assert guide.browser.document().toPlainText().strip(), guide.pages.item(row).text()
print(f"user guide: {guide.pages.count()} pages from {docs_dir()}")
PY

step "alignwork import (the demo bundle, by path and by --demo)"
"$BIN/alignwork" import "$DEMO"
"$BIN/alignwork" import --demo | grep -q "(2)'"   # the shipped demo again, no path needed
WORKSHOP=1

step "alignwork synthesize / premortem"
"$BIN/alignwork" synthesize "$WORKSHOP" > synthesis.txt && head -3 synthesis.txt
"$BIN/alignwork" synthesize "$WORKSHOP" --json | "$BIN/python" -c 'import json, sys; json.load(sys.stdin)'
"$BIN/alignwork" premortem "$WORKSHOP" > premortem.txt && head -2 premortem.txt

step "alignwork export, every format"
mkdir out
for format in docx pdf md html json rules-csv bundle; do
  case "$format" in rules-csv) ext=csv ;; bundle) ext=bundle.json ;; *) ext="$format" ;; esac
  "$BIN/alignwork" export "$WORKSHOP" --format "$format" --out "out/agreement.$ext"
  test -s "out/agreement.$ext"
done
"$BIN/alignwork" export "$WORKSHOP" --format md --document summary --out out/summary.md
grep -q "Brightpath" out/summary.md
"$BIN/python" - <<'PY'
import json, zipfile
assert zipfile.ZipFile("out/agreement.docx").testzip() is None          # a real DOCX (zip) file
assert open("out/agreement.pdf", "rb").read(5) == b"%PDF-"
assert json.load(open("out/agreement.bundle.json"))["format"] == "alignwork-bundle"
assert "<html" in open("out/agreement.html", encoding="utf-8").read(2000).lower()
PY

step "alignwork backtest (a generated CSV)"
"$BIN/python" - <<'PY'
import csv, random
random.seed(15)
titles = ["VP Marketing", "CMO", "Marketing Manager", "Intern", "Engineer", "Head of Growth"]
industries = ["Software", "Retail", "Financial services", "Manufacturing", "SaaS"]
countries = ["United States", "Germany", "United Kingdom", "France", "Canada"]
with open("leads.csv", "w", newline="", encoding="utf-8") as handle:
    out = csv.writer(handle)
    out.writerow(["Company", "Job Title", "Industry", "Employees", "Country", "Email", "Lead Source", "Stage"])
    for n in range(200):
        out.writerow([f"Company {n}", random.choice(titles), random.choice(industries), random.randint(5, 20000),
                      random.choice(countries), f"person{n}@company{n}.com",
                      random.choice(["Demo request", "Webinar", "Event", "Content download"]),
                      random.choice(["Closed Won", "Closed Lost", "Open"])])
PY
"$BIN/alignwork" backtest "$WORKSHOP" leads.csv --out out/scored.csv
test "$(wc -l < out/scored.csv)" -eq 201

step "alignwork-gui --quit-after-ready (offscreen)"
QT_QPA_PLATFORM=offscreen "$BIN/alignwork-gui" --quit-after-ready 2>gui.err | tee gui.out
grep -q "^ready in [0-9]* ms" gui.out || { cat gui.err >&2; exit 1; }
test -f "$ALIGNWORK_HOME/ui-settings.ini"

if [ "${ALIGNWORK_CI_BUNDLE:-1}" != 0 ]; then
  step "desktop bundle (PyInstaller, one folder), started once under Xvfb"
  "$BIN/python" -m pip install --quiet --disable-pip-version-check -c "$ROOT/requirements.lock" pyinstaller
  python3 "$ROOT/packaging/build_bundle.py" --python "$BIN/python" --out "$WORK/bundle" --smoke \
    $( [ "$(id -u)" = 0 ] && echo --install-system-packages )
  test -f "$WORK/bundle/Alignwork/alignwork.desktop" && test -f "$WORK/bundle/Alignwork/alignwork.png"
fi
echo
echo "installed: wheel, CLI, GUI and desktop bundle all work from a fresh environment"

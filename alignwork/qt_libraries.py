"""Does this Linux machine have the system libraries Qt's window plugin needs?

The PySide6 wheel brings Qt itself but not the X11/xcb (or Wayland) libraries of the system. When
one is missing, Qt aborts with "could not load the Qt platform plugin xcb" and, since Qt 6.5,
always suggests ``libxcb-cursor0`` — often not the one missing. This module asks the dynamic
loader (``ldd``) which libraries of the platform plugin are not found and names the Debian/Ubuntu
package of each, so the user gets one line that fixes it.

Standard library only, and no Qt import (``run.py`` uses it before any environment exists).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

# soname → Debian/Ubuntu package (the libraries PySide6's platform plugins and Qt link against)
DEBIAN_PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xinput.so.0": "libxcb-xinput0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-glx.so.0": "libxcb-glx0",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libXau.so.6": "libxau6",
    "libXdmcp.so.6": "libxdmcp6",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libGLX.so.0": "libglx0",
    "libOpenGL.so.0": "libopengl0",
    "libGLdispatch.so.0": "libglvnd0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libSM.so.6": "libsm6",
    "libICE.so.6": "libice6",
}
# What the README lists: the libraries the xcb plugin needs beyond a minimal Debian install.
XCB_PACKAGES = ("libxcb-cursor0", "libxcb-icccm4", "libxcb-image0", "libxcb-keysyms1", "libxcb-randr0",
                "libxcb-render-util0", "libxcb-shape0", "libxcb-xinerama0", "libxcb-xkb1",
                "libxkbcommon-x11-0", "libegl1", "libgl1", "libfontconfig1", "libdbus-1-3")

NO_WINDOW_PLATFORMS = {"offscreen", "minimal", "vnc"}  # the tests' offscreen runs need no X11 libraries


def platform_name(environ=os.environ) -> str:
    """The platform plugin Qt will load: QT_QPA_PLATFORM's first choice, else wayland or xcb."""
    wanted = environ.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    if wanted:
        return wanted
    return "wayland" if environ.get("WAYLAND_DISPLAY") and not environ.get("DISPLAY") else "xcb"


def plugin_path(pyside_dir: Path, platform: str) -> Path:
    return pyside_dir / "Qt" / "plugins" / "platforms" / f"libq{platform}.so"


def missing_libraries(library: Path) -> list[str]:
    """The sonames ``library`` needs (directly or not) that the dynamic loader cannot find.
    Empty when all are there, or when this cannot be told (no ldd, not an ELF file…)."""
    ldd = shutil.which("ldd")
    if ldd is None or not library.exists():
        return []
    try:
        output = subprocess.run([ldd, str(library)], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    missing = []
    for line in output.splitlines():
        name, _, where = line.strip().partition("=>")
        if where.strip() == "not found" and name.strip() not in missing:
            missing.append(name.strip())
    return missing


def install_line(missing: list[str]) -> str:
    """One command that installs the packages of ``missing`` (unknown sonames are named as such)."""
    packages = list(dict.fromkeys(DEBIAN_PACKAGES[name] for name in missing if name in DEBIAN_PACKAGES))
    unknown = [name for name in missing if name not in DEBIAN_PACKAGES]
    sudo = "" if hasattr(os, "geteuid") and os.geteuid() == 0 else "sudo "
    line = f"{sudo}apt-get install -y {' '.join(packages)}" if packages else ""
    if unknown:
        line += ("  # and the packages providing: " if line else "install the packages providing: ") + \
            ", ".join(unknown)
    return line


def check(pyside_dir: Path, environ=os.environ) -> str | None:
    """None if Qt can open its window here, else the message to print (what is missing, one fix)."""
    if not sys.platform.startswith("linux"):
        return None  # the Qt wheels for Windows and macOS carry everything
    platform = platform_name(environ)
    if platform in NO_WINDOW_PLATFORMS:
        return None
    missing = missing_libraries(plugin_path(pyside_dir, platform))
    if not missing:
        return None
    return (f"Qt cannot open a window: its '{platform}' plugin needs system libraries that are missing "
            f"({', '.join(missing)}).\nInstall them with:\n    {install_line(missing)}")


def installed_pyside_dir() -> Path | None:
    """The folder of the PySide6 this Python would import (found without importing Qt)."""
    from importlib.util import find_spec

    spec = find_spec("PySide6")
    return Path(spec.origin).parent if spec and spec.origin else None


def main() -> int:
    """``python -m alignwork.qt_libraries``: the same check ``run.py`` makes, for an installed copy."""
    pyside = installed_pyside_dir()
    if pyside is None:
        print("PySide6 is not installed in this Python.", file=sys.stderr)
        return 1
    problem = check(pyside)
    print(problem or f"Qt's '{platform_name()}' plugin finds all its system libraries.",
          file=sys.stderr if problem else sys.stdout)
    return 1 if problem else 0


if __name__ == "__main__":
    sys.exit(main())

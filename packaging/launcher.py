"""Entry point of the desktop bundle (PyInstaller freezes this file): the same as ``alignwork-gui``."""

import sys

from alignwork_gui.app import main

if __name__ == "__main__":
    sys.exit(main())

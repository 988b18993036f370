"""Launch the Alignwork desktop app: ``python main.py [--db URL] [--quit-after-ready]``."""

import sys

from alignwork_gui.app import run

if __name__ == "__main__":
    sys.exit(run(sys.argv))

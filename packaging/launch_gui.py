"""Entry point of the bundled desktop app: `pcbudget [BOOK]`."""

import sys

from pcbudget.gui.app import main

sys.exit(main(sys.argv[1:]))

"""Entry point of the bundled command line: `pcbudget-cli COMMAND ...`."""

import sys

from pcbudget.cli import main

sys.exit(main())

"""`python -m kiosk` does what the `kiosk` command does."""

import sys

from .cli import main

sys.exit(main())

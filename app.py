"""`python app.py` does what the `kiosk` command does."""

import sys

from kiosk.cli import main

if __name__ == "__main__":
    sys.exit(main())

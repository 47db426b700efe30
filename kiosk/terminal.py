"""Is there a person's terminal on this process, and is it still there? Without one the kiosk must not run:
Textual reading a closed or null input spins a CPU for ever."""

from __future__ import annotations

import os
import select

# 128 + SIGHUP: the exit status of a kiosk whose terminal went away, as a shell reports a hung-up program.
TERMINAL_GONE = 129
NEEDS_TERMINAL = ("The kiosk needs a terminal: its input and output are not one (a pipe, /dev/null, cron or a "
                  "service). Run it in a terminal or over `ssh -t`; `kiosk demo --no-open` only builds the demo.")


def has_terminal() -> bool:
    """Standard input and output are both a terminal (a closed descriptor is not)."""
    try:
        return os.isatty(0) and os.isatty(1)
    except OSError:
        return False


def hung_up(fd: int = 0) -> bool:
    """The terminal (or whatever is on fd) has gone: hung up, closed or invalid. Reads nothing."""
    try:
        poller = select.poll()
        poller.register(fd, select.POLLIN)
        return any(events & (select.POLLHUP | select.POLLERR | select.POLLNVAL) for _, events in poller.poll(0))
    except (OSError, ValueError):
        return True

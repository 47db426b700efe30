"""Typed errors of the rules layer; each message is written for the person at the terminal."""


class KioskError(Exception):
    """Base of every error a person at the kiosk may see. str(error) is the message to show."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidInput(KioskError):
    """A field, a scan or a key was not acceptable; nothing was written."""


class NotFound(KioskError):
    """The thing asked for does not exist (unknown badge, job card, part, tag)."""


class NotAllowed(KioskError):
    """The signed-in role may not do this, or the rules forbid it in this state."""


class Conflict(KioskError):
    """Someone else changed the same thing first (last part issued, tag already held)."""


class Busy(KioskError):
    """The database is locked by another terminal for longer than the timeout."""


class DiskFull(KioskError):
    """The disk holding the database has no room: the change was rolled back whole."""

    def __init__(self, message: str = "The disk holding the database is full; nothing was saved."):
        super().__init__(message)


class SignInRefused(KioskError):
    """Unknown badge, wrong PIN, locked badge or inactive employee."""


class StoreError(KioskError):
    """The database cannot be opened, or its schema does not match this kiosk."""


class BadgeLocked(SignInRefused):
    """Too many wrong PINs: the badge cannot sign in until the lock runs out or a manager unlocks it."""

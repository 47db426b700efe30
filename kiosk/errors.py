"""Typed errors of the rules layer; each message is written for the person at the terminal."""

from .i18n import N_, render


class KioskError(Exception):
    """Base of every error a person at the kiosk may see. str(error) is the message to show.

    Built from a message id and its values (`InvalidInput(N_("{field} is required."), field=N_("Badge"))`), the
    error keeps both and says itself in the language of whoever reads it (`message`, `str()`), so a rule never
    needs to know who is at the screen. A finished English sentence (the older form) reads as it was.
    """

    def __init__(self, message: str, /, **values):
        super().__init__(message)
        self.msgid = message
        self.values = values

    @property
    def message(self) -> str:
        return render(self.msgid, self.values)

    @message.setter
    def message(self, text: str) -> None:  # a finished sentence in place of the message (older callers)
        self.msgid, self.values = text, {}
        self.args = (text,)

    def __str__(self) -> str:
        return self.message


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

    def __init__(self, message: str = N_("The disk holding the database is full; nothing was saved."), /,
                 **values):
        super().__init__(message, **values)


class SignInRefused(KioskError):
    """Unknown badge, wrong PIN, locked badge or inactive employee."""


class StoreError(KioskError):
    """The database cannot be opened, or its schema does not match this kiosk."""


class ConfigError(KioskError):
    """The settings file (or a setting in it) is unreadable, unknown or wrong; the kiosk does not start."""


class BadgeLocked(SignInRefused):
    """Too many wrong PINs: the badge cannot sign in until the lock runs out or a manager unlocks it."""

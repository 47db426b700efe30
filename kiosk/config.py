"""Settings: a TOML file, then environment variables, then command-line options, in that order."""

from __future__ import annotations

import os
import socket
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import ConfigError
from .i18n import LANGUAGES, N_, normalise_language

REGIONS_REQUIRING_VIN_CHECK = frozenset({"NA", "CN"})


def data_dir() -> Path:
    """Where the kiosk keeps its own files (XDG data home)."""
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "kiosk"


def exports_folder(settings: Settings | None = None) -> Path:
    """Where files for people go (report exports, job-card PDFs, packing lists): the setting exports_dir, or
    the kiosk's data folder. For an advisor over SSH that is a folder on the kiosk's server, not their PC."""
    chosen = settings.exports_dir if settings is not None else ""
    return (Path(chosen).expanduser() if chosen else data_dir()).absolute()


def default_db_url() -> str:
    return f"sqlite:///{data_dir() / 'kiosk.sqlite'}"


def demo_db_url() -> str:
    return f"sqlite:///{data_dir() / 'demo.sqlite'}"


def sqlite_file(url: str) -> str | None:
    """The file of a sqlite:/// URL (or bare path); None for other databases."""
    if "://" not in url:
        return url
    if not url.startswith("sqlite://"):
        return None
    path = url.split("://", 1)[1]
    return path[1:] if path.startswith("/") else path


def default_config_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "kiosk" / "kiosk.toml"


@dataclass(frozen=True)
class Settings:
    shop_name: str = "Workshop"
    dealer_code: str = "D0001"
    terminal: str = field(default_factory=lambda: socket.gethostname()[:40] or "terminal")
    db_url: str = field(default_factory=default_db_url)
    # Region decides whether a VIN check-digit mismatch blocks (NA, CN) or only warns.
    region: str = "CN"
    # The language of the screens ("en" or "zh_CN"), unless an employee has their own; labels and documents
    # too, unless their printer has its own `language`. KIOSK_LANGUAGE overrides it.
    language: str = "en"
    idle_signout_seconds: int = 120
    # An advisor's own SSH session: 15 minutes (PCI DSS 8.2.8's limit); signing out keeps the session open.
    ssh_idle_signout_seconds: int = 900
    pin_attempts: int = 5
    pin_lock_minutes: int = 15
    # Floor terminals sign out when idle; an advisor's SSH session may be set otherwise.
    floor_terminal: bool = True
    # Tag numbers: dealer prefix + database sequence; the ten-bin shelf rule for held parts.
    tag_prefix: str = "W"
    # Where a scanned-in part goes when no shelf label was scanned: "ten-bin" (last digit of the
    # repair-order number) or "none" (the clerk must scan a shelf label first).
    shelf_rule: str = "ten-bin"
    # Held parts with no known payment date are kept this many days after tagging.
    unpaid_retention_days: int = 60
    # The shop's labour rate per hour, offered in the estimate dialog ("" leaves the advisor to type it).
    labour_rate: str = ""
    # Where report exports, job-card PDFs and packing lists are written ("": the kiosk's data folder).
    exports_dir: str = ""
    # `kiosk db backup`: the folder (default: the data folder's backups/) and how many copies are kept.
    backup_dir: str = ""
    backup_keep: int = 14
    printers: dict = field(default_factory=dict)
    default_printer: str = ""
    label_stocks: dict = field(default_factory=dict)
    # The label print queue: tries before a failing label is parked (a person retries it on the Labels
    # screen), the wait before its first retry (doubling each time, at most 15 min), and how long a terminal's
    # claim on a label lasts before another terminal takes it (one killed mid-print).
    label_tries: int = 5
    label_retry_seconds: int = 30
    label_claim_seconds: int = 120
    # Key remapping, as Textual's App.set_keymap expects: binding id -> keys.
    keymap: dict = field(default_factory=dict)
    # Manufacturer -> {retention_days: N, and any ReadinessRules field}; see kiosk.claims, kiosk.readiness.
    manufacturers: dict = field(default_factory=dict)
    # The shop's claim readiness rules (ReadinessRules fields); a manufacturer's own entries win.
    readiness: dict = field(default_factory=dict)
    # SSH: OS user -> badge, and whether the key alone signs in (no PIN).
    ssh_users: dict = field(default_factory=dict)
    # Where the manager's Import screen looks for price files ("" = the kiosk's data folder/import).
    import_folder: str = ""
    config_path: str = ""

    @property
    def vin_check_required(self) -> bool:
        return self.region.upper() in REGIONS_REQUIRING_VIN_CHECK

    def document_language(self, printer: str = "") -> str:
        """The language of a label or document sent to printer: the printer's own `language`, else the shop's.
        Two joined by "+" ("zh_CN+en") make a bilingual tag label; an A4 document speaks the first of them."""
        own = str((self.printers.get(printer or self.default_printer) or {}).get("language", ""))
        try:
            return "+".join(dict.fromkeys(filter(None, map(normalise_language, own.split("+"))))) or self.language
        except ValueError:
            return self.language

    @property
    def import_path(self) -> Path:
        return Path(self.import_folder).expanduser() if self.import_folder else data_dir() / "import"

    def with_overrides(self, **changes) -> Settings:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


_KNOWN = set(Settings.__dataclass_fields__) - {"config_path"}


@dataclass(frozen=True)
class ReadinessRules:
    """The claim readiness checks (kiosk.readiness) as one manufacturer wants them; each can be switched off."""

    three_cs: bool = True
    # Complaint, cause or correction shorter than this is trivially short (a Chinese character counts two).
    min_text_chars: int = 8
    # The correction names the part replaced (its number or name) or the labour operation.
    correction_names_part: bool = True
    causal_part: bool = True
    mileage: bool = True
    approval_before_clock: bool = True
    technician_and_clock: bool = True
    # Clocked time may differ from the labour operation's standard hours by this much.
    clock_tolerance_percent: int = 50
    safety_approval: bool = True
    tag: bool = True
    card_closed: bool = True


def readiness_rules(settings: Settings, manufacturer: str) -> ReadinessRules:
    """The shop's readiness rules with the manufacturer's own entries over them. Raises ConfigError naming a
    setting of the wrong kind (a number where a yes/no belongs)."""
    own = settings.manufacturers.get(manufacturer, {}) if isinstance(settings.manufacturers, dict) else {}
    values = {}
    for source, where in ((settings.readiness, "readiness"), (own, f"manufacturers.{manufacturer}")):
        for name, rule in ReadinessRules.__dataclass_fields__.items():
            if name not in (source or {}):
                continue
            value = source[name]
            kind = bool if rule.type in (bool, "bool") else int
            if type(value) is not kind or (kind is int and not 0 <= value <= 10_000):
                must = N_("true or false") if kind is bool else N_("a whole number")
                raise ConfigError(N_("Setting {setting} must be {must}, not {value}."), setting=f"{where}.{name}",
                                  must=must, value=repr(value))
            values[name] = value
    return ReadinessRules(**values)


def load_settings(path: str | os.PathLike | None = None, env: dict | None = None) -> Settings:
    """Read the TOML file (if any) and the KIOSK_* environment variables.

    An unreadable or malformed file is an error with one clear line; a missing default
    file is simply no settings.
    """
    env = os.environ if env is None else env
    explicit = path or env.get("KIOSK_CONFIG")
    cfg_path = Path(explicit) if explicit else default_config_path()
    values: dict = {}
    if cfg_path.exists():
        try:
            with open(cfg_path, "rb") as fh:
                raw = tomllib.load(fh)
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(N_("Cannot read settings file {path}: {error}"), path=str(cfg_path),
                              error=str(exc)) from None
        unknown = set(raw) - _KNOWN
        if unknown:
            raise ConfigError(N_("Unknown setting(s) in {path}: {settings}"), path=str(cfg_path),
                              settings=", ".join(sorted(unknown)))
        values.update(raw)
    elif explicit:
        raise ConfigError(N_("Settings file {path} does not exist."), path=str(cfg_path))
    if env.get("KIOSK_DB"):
        values["db_url"] = env["KIOSK_DB"]
    if env.get("KIOSK_TERMINAL"):
        values["terminal"] = env["KIOSK_TERMINAL"]
    if env.get("KIOSK_REGION"):
        values["region"] = env["KIOSK_REGION"]
    if env.get("KIOSK_LANGUAGE"):
        values["language"] = env["KIOSK_LANGUAGE"]
    if "language" in values:
        try:
            values["language"] = normalise_language(str(values["language"])) or "en"
        except ValueError:
            raise ConfigError(N_("Bad setting language in {path} or KIOSK_LANGUAGE: {value} is none of the kiosk's "
                                 "languages ({languages})."), path=str(cfg_path),
                              value=repr(str(values["language"])[:20]),
                              languages=", ".join(LANGUAGES)) from None
    try:
        return Settings(config_path=str(cfg_path), **values)
    except TypeError as exc:
        raise ConfigError(N_("Bad settings in {path}: {error}"), path=str(cfg_path), error=str(exc)) from None

"""The `kiosk` command: run the kiosk, build the demo shop, upgrade the database, check stock."""

from __future__ import annotations

import argparse
import contextlib
import getpass
import logging
import os
import sys
import time
from pathlib import Path

from .config import Settings, data_dir, demo_db_url, load_settings, sqlite_file
from .errors import KioskError
from .i18n import N_, normalise_language, set_session_language
from .i18n import gettext as _
from .terminal import NEEDS_TERMINAL, has_terminal, hung_up


# argparse's own words (usage, headings, its errors), said in the kiosk's language while the command line is read.
ARGPARSE_WORDS = (N_("usage: "), N_("positional arguments"), N_("options"), N_("show this help message and exit"),
                  N_("%(prog)s: error: %(message)s\n"), N_("the following arguments are required: %s"),
                  N_("unrecognized arguments: %s"), N_("argument %(argument_name)s: %(message)s"),
                  N_("invalid choice: %(value)r (choose from %(choices)s)"), N_("expected one argument"),
                  N_("invalid %(type)s value: %(value)r"), N_("ambiguous option: %(option)s could match %(matches)s"))


@contextlib.contextmanager
def _argparse_in_language():
    """argparse looks its words up with gettext() at the moment it uses them: ours, while the line is read."""
    own = argparse._
    argparse._ = _
    try:
        yield
    finally:
        argparse._ = own


def _parser(settings: Settings | None) -> argparse.ArgumentParser:
    where = settings.db_url if settings else _("(settings file unreadable)")
    parser = argparse.ArgumentParser(
        prog="kiosk",
        description=_("Workshop floor kiosk: job cards, parts issue, warranty tags and labels."),
        epilog=(_("Database: {where}").format(where=where) + "\n"
                + _("  (choose another with --db URL or the KIOSK_DB environment variable;\n"
                    "   sqlite:///relative/path, sqlite:////absolute/path or postgresql://user:pw@host/db)\n"
                    "Settings file: KIOSK_CONFIG or ~/.config/kiosk/kiosk.toml")),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", metavar=_("URL"), help=_("database URL (default: see below)"))
    parser.add_argument("--config", metavar=_("FILE"), help=_("settings file (TOML)"))
    parser.add_argument("--terminal", metavar=_("NAME"), help=_("this terminal's name in audit events"))
    sub = parser.add_subparsers(dest="command", metavar=_("command"))

    sub.add_parser("run", help=_("open the kiosk (the default)"))
    demo = sub.add_parser("demo", help=_("create (or reuse) a demo shop and open the kiosk on it"))
    demo.add_argument("--no-open", action="store_true", help=_("only create the demo shop"))

    dbp = sub.add_parser("db", help=_("database schema"))
    dbp.add_argument("action", choices=["upgrade", "status", "backup", "restore"],
                     help=_("upgrade: apply migrations; status: list them; backup [FOLDER]: a checked copy named by "
                             "date and time (the last backup_keep kept); restore FILE: put a backup back"))
    dbp.add_argument("path", nargs="?", default="", help=_("backup: the folder; restore: the backup file"))
    dbp.add_argument("--force", action="store_true", help=_("restore over a database with newer changes"))
    dbp.add_argument("--keep", type=int, default=0, help=_("backup: how many copies to keep (default backup_keep)"))
    dbp.add_argument("--badge", default="", help=_("a manager's badge, recorded with the OS user"))

    emp = sub.add_parser("employee", help=_("register the first manager, or unlock a badge"))
    emp.add_argument("action", choices=["add"])
    emp.add_argument("--badge", required=True)
    emp.add_argument("--name", required=True)
    emp.add_argument("--role", default="manager")
    emp.add_argument("--language", default="", help=_("their sessions' language: en or zh_CN (default: the shop's)"))

    sub.add_parser("setup", help=_("set up a new shop: name, dealer code, first manager, printer; a test label"))

    ssh = sub.add_parser("ssh", help=_("the kiosk for an SSH session (sshd's ForceCommand runs this)"))
    ssh.add_argument("--as", dest="as_badge", metavar=_("BADGE"), default="",
                     help=_("the badge this SSH key belongs to "
                             "(the PIN is still asked unless the settings say otherwise)"))
    sshc = sub.add_parser("ssh-config", help=_("print an sshd_config snippet that forces the kiosk for an account"))
    sshc.add_argument("--account", default="kiosk", help=_("the OS account advisors log in as (default: kiosk)"))

    label = sub.add_parser("label", help=_("render a tag's label to a file, or print it"))
    label.add_argument("tag", help=_("the tag number, e.g. W0000123"))
    label.add_argument("--out", metavar=_("FILE"), help=_("write the label here (.png or .pdf)"))
    label.add_argument("--stock", default="", help=_("label stock (brother-62, brother-62x29, 2x1in, 4x2in, ...)"))
    label.add_argument("--dpi", type=int, default=0, help=_("printer resolution (203 or 300)"))
    label.add_argument("--print", dest="send", action="store_true", help=_("send it to a printer"))
    label.add_argument("--printer", default="", help=_("printer name from the settings (default: the default printer)"))
    label.add_argument("--badge", default="", help=_("your badge, recorded as who reprinted (with --print)"))

    claims = sub.add_parser("claims", help=_("the month's warranty claims"))
    claims.add_argument("action", choices=["check"], help=_("check: is each claim ready for the manufacturer"))
    claims.add_argument("--month", default="", help=_("the month, e.g. 2026-10 (default: last month)"))

    ops = sub.add_parser("labour-ops", help=_("labour operations and their standard hours"))
    ops.add_argument("action", choices=["import"])
    ops.add_argument("file", help=_("CSV with code, standard_hours (and manufacturer, description)"))
    ops.add_argument("--badge", default="",
                     help=_("a manager's badge, recorded as who imported "
                            "(default: your OS user, or the badge the settings map it to)"))
    ops.add_argument("--accept-good", action="store_true", help=_("import the good lines even when some are bad"))

    pack = sub.add_parser("audit-pack", help=_("one PDF per job card and an index, for the manufacturer's auditor"))
    pack.add_argument("keys", nargs="*", metavar=_("VIN"), help=_("VINs or job-card numbers (RO000123)"))
    pack.add_argument("--from", dest="from_file", metavar=_("FILE.csv"),
                      help=_("the auditor's CSV (a column vin, job_card, repair_order or ro)"))
    pack.add_argument("--out", required=True, metavar=_("DIR"), help=_("the folder to write the pack into"))

    parts = sub.add_parser("parts", help=_("the parts catalogue: import the shop's price file"))
    parts.add_argument("action", choices=["import"])
    parts.add_argument("file", help=_("the CSV file (see the README for its columns)"))
    parts.add_argument("--encoding", default="", help=_("utf-8, utf-8-sig or gbk (default: found from the file)"))
    parts.add_argument("--skip-bad", action="store_true",
                       help=_("import the good lines and write the bad ones to a report file"))
    parts.add_argument("--report", metavar=_("FILE"), default=None, help=_("where --skip-bad writes the bad lines"))
    parts.add_argument("--badge", default="",
                       help=_("a manager's badge, recorded as who imported "
                              "(default: your OS user, or the badge the settings map it to)"))

    check = sub.add_parser("check", help=_("consistency checks"))
    check.add_argument("what", choices=["stock"], help=_("stock: on-hand equals the ledger for every part"))
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    _language_from_environment()  # settings errors at start, before the shop's setting is known
    config = _config_arg(argv)
    if "setup" in argv and not os.path.exists(config or os.environ.get("KIOSK_CONFIG") or os.devnull):
        config = os.devnull  # kiosk setup writes the settings file it names
    try:
        settings = load_settings(config)
    except KioskError as exc:
        settings = None
        if any(a in ("-h", "--help") for a in argv):
            with _argparse_in_language():
                _parser(None).print_help()
            return 0
        print(f"kiosk: {exc.message}", file=sys.stderr)
        return 1
    set_session_language(settings.language)  # the help and the CLI's errors in the shop's language
    with _argparse_in_language():
        args = _parser(settings).parse_args(argv)
    settings = settings.with_overrides(terminal=args.terminal)
    command = args.command or "run"
    if command == "demo" and not args.db and not os.environ.get("KIOSK_DB"):
        settings = settings.with_overrides(db_url=demo_db_url())
    elif args.db:
        settings = settings.with_overrides(db_url=args.db)
    try:
        return COMMANDS[command](settings, args)
    except KioskError as exc:
        print(f"kiosk: {exc.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _language_from_environment() -> None:
    try:
        set_session_language(normalise_language(os.environ.get("KIOSK_LANGUAGE")))
    except ValueError:  # named in the settings error that follows
        set_session_language(None)


def _config_arg(argv: list[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg == "--config" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--config="):
            return arg.split("=", 1)[1]
    return None


def _open(settings: Settings, *, check: bool = True):
    from .store import open_database, schema  # peewee and the models load only for commands that open the database

    open_database(settings.db_url)
    if check:
        schema.check()


def _log_to_file(settings: Settings) -> None:
    try:
        data_dir().mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(data_dir() / "kiosk.log", encoding="utf-8")
    except OSError:
        return
    handler.setFormatter(logging.Formatter(f"%(asctime)s {settings.terminal} %(levelname)s %(name)s: %(message)s"))
    logging.getLogger("kiosk").addHandler(handler)


def run_app(settings: Settings, **app_options) -> int:
    """Run the kiosk; after an unexpected error a floor terminal starts again at the sign-in screen."""
    from .app import KioskApp  # Textual loads only when the kiosk opens (not for `kiosk db`, `label`, `check`)

    _log_to_file(settings)
    crashes: list[float] = []
    while True:
        app = KioskApp(settings, **app_options)
        app.run()
        if app.store_refused:
            print(f"kiosk: {app.store_refused}", file=sys.stderr)
            return 1
        if app.return_code != 1 or app_options.get("ssh_session") or hung_up():
            return app.return_code or 0
        crashes = [t for t in crashes if time.monotonic() - t < 60] + [time.monotonic()]
        if len(crashes) >= 3:
            print(_("kiosk: stopped after repeated unexpected errors; see the kiosk log."), file=sys.stderr)
            return 1


def _needs_terminal() -> None:
    """Every command that opens the kiosk's screens refuses, in one line, to run without a terminal."""
    if not has_terminal():
        raise KioskError(NEEDS_TERMINAL)


def run_kiosk(settings: Settings, args=None) -> int:
    if not has_terminal():
        _open(settings)  # a database it cannot use is said first, in one line
        _needs_terminal()
    # The sign-in screen first; the database (peewee and the models) opens right after it is painted. One it
    # cannot use still ends the kiosk with that one line and status 1.
    opened: list[bool] = []  # once, even when a floor terminal's kiosk starts again after an error

    def open_store() -> None:
        if not opened:
            _open(settings)
            opened.append(True)

    return run_app(settings, open_store=open_store, refuse_store_exits=True)


def _demo_store(settings: Settings) -> bool:
    from . import demo  # the demo's rules load only when building the demo shop
    from .store import open_database, schema

    open_database(settings.db_url, create_dir=True)
    schema.upgrade()
    return demo.build(settings)


def run_demo(settings: Settings, args) -> int:
    # each command loads only what it needs: `kiosk --help` and the sign-in screen stay quick
    from .demo_badges import badge_sheet, demo_settings

    if not args.no_open:
        _needs_terminal()
    existing = sqlite_file(settings.db_url)
    if args.no_open or not (existing and os.path.exists(existing)):
        created = _demo_store(settings)
        print((_("Created the demo shop at {url}") if created else _("Reusing the demo shop at {url}")).format(
            url=settings.db_url))
        print(badge_sheet())
        return 0 if args.no_open else run_app(demo_settings(settings))
    # An existing demo shop: show the sign-in screen first and open the store right after it is painted.
    print(_("Reusing the demo shop at {url}").format(url=settings.db_url))
    print(badge_sheet())
    return run_app(demo_settings(settings), open_store=lambda: _demo_store(settings))


def run_db(settings: Settings, args) -> int:
    from .store import open_database, schema  # peewee and the models load only for commands that open the database

    if args.action in ("backup", "restore"):
        return _backup_or_restore(settings, args)
    open_database(settings.db_url, create_dir=args.action == "upgrade")
    if args.action == "upgrade":
        applied = schema.upgrade()
        print(f"{settings.db_url}: " + (_("applied {migrations}").format(migrations=", ".join(applied)) if applied
                                        else _("already up to date")))
        return 0
    for m in schema.status():
        print(f"{m.name}: " + (_("applied {at}").format(at=m.applied) if m.applied else _("pending")))
    return 0


def _backup_or_restore(settings: Settings, args) -> int:
    # each command loads only what it needs: `kiosk --help` and the sign-in screen stay quick
    from . import backup, parts
    from .errors import InvalidInput
    from .ssh import cli_actor
    from .store import close_database, open_database, schema

    if args.action == "backup":
        _open(settings)
        copy = backup.backup(cli_actor(settings, args.badge), settings.db_url,
                             args.path or settings.backup_dir or None, args.keep or settings.backup_keep)
        print(copy.message)
        return 0
    if not args.path:
        raise InvalidInput(N_("Name the backup file to restore: kiosk db restore FILE."))
    # A new machine restores onto no database at all: a badge can only be looked up where there is staff.
    database = open_database(settings.db_url, create_dir=True)
    actor = cli_actor(settings, args.badge if "employee" in database.get_tables() else "")
    done = backup.restore(actor, settings.db_url, args.path, force=args.force, folder=settings.backup_dir or None)
    close_database()
    _open(settings, check=False)
    applied = schema.upgrade()
    backup.record_restore(cli_actor(settings, args.badge), done)
    print(done.message + (_(" Upgraded its schema: {migrations}.").format(migrations=", ".join(applied))
                          if applied else ""))
    return _print_stock_check(parts.check_stock())


def _print_stock_check(wrong: list) -> int:
    """`kiosk check stock`'s lines (also after a restore); 1 when any part's on-hand differs from its ledger."""
    for line in wrong:
        print(_("stock MISMATCH: {line}").format(line=line))
    if not wrong:
        print(_("stock: on-hand equals the ledger for every part"))
    return 1 if wrong else 0


def run_employee(settings: Settings, args) -> int:
    from . import employees  # each command loads only what it needs: `kiosk --help` and the sign-in screen stay quick

    _open(settings)
    pin = (getpass.getpass(_("PIN for the new employee (4-8 digits): ")) if sys.stdin.isatty()
           else sys.stdin.readline().strip())
    employee = employees.add_employee(None, args.badge, args.name, args.role, pin, args.language,
                                      tag_prefix=settings.tag_prefix)
    print(_("Registered {name} ({role}) with badge {badge}.").format(name=employee.name, role=employee.role,
                                                                    badge=employee.badge))
    return 0


def run_check(settings: Settings, args) -> int:
    from . import parts  # each command loads only what it needs: `kiosk --help` and the sign-in screen stay quick

    _open(settings)
    return _print_stock_check(parts.check_stock())


def run_label(settings: Settings, args) -> int:
    from . import labelqueue  # each command loads only what it needs: `kiosk --help` and the sign-in screen stay quick
    from .errors import InvalidInput

    _open(settings)
    if bool(args.out) == bool(args.send):
        raise InvalidInput(N_("Give either --out FILE or --print."))
    if args.out:
        from labels.render import save  # Pillow drawing loads only when a label file is written

        try:
            path = save(labelqueue.render_tag(args.tag, settings, args.stock, args.dpi, args.printer), args.out)
        except (ValueError, OSError) as exc:
            raise InvalidInput(N_("Cannot write the label: {error}"), error=str(exc)) from None
        print(_("Label {tag} written to {path}").format(tag=args.tag.strip().upper(), path=path))
        return 0
    # each command loads only what it needs: `kiosk --help` and the sign-in screen stay quick
    from .auth import find_badge
    from .audit import Actor

    employee = find_badge(args.badge or "")
    actor = Actor(employee.id, employee.name, employee.role, settings.terminal, "cli")
    labelqueue.reprint(actor, args.tag, settings, args.printer)
    failed = [message for _tag, printed, message in labelqueue.process(settings) if not printed]
    for message in failed:
        print(f"kiosk: {message}", file=sys.stderr)
    if not failed:
        print(_("Label {tag} sent.").format(tag=args.tag.strip().upper()))
    return 1 if failed else 0


def run_claims(settings: Settings, args) -> int:
    from . import reports

    _open(settings)
    month = reports.parse_month(args.month) or reports.previous_month(reports.today())
    total = not_ready = 0
    for claim in reports.claim_readiness(reports.month_claims(month, settings)):
        total += 1
        not_ready += not claim.ready
        print(_("{tag} {job} line {line} {manufacturer}: {state}").format(
            tag=claim.tag_number, job=claim.job_number, line=claim.line_position,
            manufacturer=claim.manufacturer or "-", state=_(claim.state)))
        for problem in claim.problems:
            print(f"  - {problem}")
    print(_("Claim readiness {month}: {total} claim(s), {ready} ready, {not_ready} not ready.").format(
        month=f"{month:%Y-%m}", total=total, ready=total - not_ready, not_ready=not_ready))
    return 1 if not_ready else 0


def run_labour_ops(settings: Settings, args) -> int:
    from pathlib import Path

    from . import labourops
    from .csvimport import ImportHasErrors
    from .ssh import cli_actor

    _open(settings)
    actor = cli_actor(settings, args.badge)
    try:
        count = labourops.import_labour_ops(actor, Path(args.file), accept_good=args.accept_good)
    except ImportHasErrors as exc:
        for number, message in exc.report.bad:
            print(_("line {number}: {message}").format(number=number, message=message), file=sys.stderr)
        raise
    print(_("{count} labour operation(s) imported.").format(count=count))
    return 0


def run_audit_pack(settings: Settings, args) -> int:
    from pathlib import Path

    from .auditpack import keys_from_csv, write_pack

    _open(settings)
    keys = list(args.keys) + (keys_from_csv(Path(args.from_file)) if args.from_file else [])
    total = [0]

    def progress(done: int, count: int) -> None:
        total[0] = count
        print("\r" + _("{done}/{count} job cards").format(done=done, count=count), end="", file=sys.stderr,
              flush=True)

    pack = write_pack(None, keys, Path(args.out), shop=settings.shop_name, progress=progress)
    if total[0]:
        print(file=sys.stderr)
    for row in pack.rows:
        if row.note:
            print(f"{row.asked}: {row.note}")
    print(_("Audit pack: {cards} job card(s) in {folder}, index {index}").format(
        cards=pack.cards, folder=pack.folder, index=pack.index))
    return 0


class _Terminal:
    """kiosk setup's questions on this terminal; the PIN is read without echo."""

    def ask(self, prompt: str) -> str:
        return input(prompt)

    def secret(self, prompt: str) -> str:
        return getpass.getpass(prompt)

    def say(self, text: str) -> None:
        print(text, flush=True)


def run_setup(settings: Settings, args) -> int:
    # each command loads only what it needs: `kiosk --help` and the sign-in screen stay quick
    from . import firstrun
    from .config import default_config_path

    path = Path(args.config or os.environ.get("KIOSK_CONFIG") or default_config_path()).expanduser()
    try:
        return firstrun.run(_Terminal(), settings, path)
    except EOFError:
        print("\n" + _("kiosk: setup stopped; the settings file was not written."), file=sys.stderr)
        return 1


PHASES = {"checking": N_("checking"), "writing": N_("writing")}  # a price file's import, as it goes


def run_parts(settings: Settings, args) -> int:
    # each command loads only what it needs: `kiosk --help` and the sign-in screen stay quick
    from .catalogue_import import import_parts
    from .csvimport import ImportHasErrors
    from .ssh import cli_actor

    _open(settings)
    actor = cli_actor(settings, args.badge)

    def progress(phase: str, done: int, total: int) -> None:
        if sys.stderr.isatty():
            print(f"\r{_(PHASES.get(phase, phase))} {done * 100 // max(total, 1):3d}%", end="", file=sys.stderr,
                  flush=True)

    try:
        result = import_parts(actor, Path(args.file), encoding=args.encoding or None, skip_bad=args.skip_bad,
                              report_path=args.report, progress=progress)
    except ImportHasErrors as exc:
        if sys.stderr.isatty():
            print(file=sys.stderr)
        report = exc.report
        print(_("kiosk: {file}: nothing imported; {bad} bad line(s) (use --skip-bad to import the good ones):").format(
            file=args.file, bad=report.bad_count), file=sys.stderr)
        for number, message in sorted(report.bad):
            print("  " + _("line {number}: {message}").format(number=number, message=message), file=sys.stderr)
        if report.bad_count > len(report.bad):
            print("  " + _("... and {count} more").format(count=report.bad_count - len(report.bad)), file=sys.stderr)
        return 1
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print((_("Resumed an import cut short. ") if result.resumed else "") + result.summary())
    return 0


def run_ssh(settings: Settings, args) -> int:
    # each command loads only what it needs: `kiosk --help` and the sign-in screen stay quick
    from .ssh import session_from_env

    if not has_terminal():
        # A client asking for a command (ssh host cmd) gets this line, never a shell.
        print(_("The kiosk needs a terminal: connect with `ssh -t` and no command."), file=sys.stderr)
        return 1
    session = session_from_env(settings, as_badge=args.as_badge)
    _open(settings)
    return run_app(settings.with_overrides(terminal="ssh"), client=session.label, ssh_badge=session.badge,
                   key_is_enough=session.key_is_enough, ssh_session=True)


def run_ssh_config(settings: Settings, args) -> int:
    # each command loads only what it needs: `kiosk --help` and the sign-in screen stay quick
    from .ssh import sshd_snippet

    print(sshd_snippet(settings, account=args.account))
    return 0


COMMANDS = {"run": run_kiosk, "demo": run_demo, "db": run_db, "employee": run_employee, "check": run_check,
            "ssh": run_ssh, "label": run_label, "setup": run_setup, "ssh-config": run_ssh_config,
            "parts": run_parts, "claims": run_claims, "labour-ops": run_labour_ops, "audit-pack": run_audit_pack}

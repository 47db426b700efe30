"""The parts catalogue: loading parts in bulk, finding one by scan, and the incremental search by part
number or words of the description (any order, Chinese too), paged from the database's search index."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal

import peewee

from .audit import Actor, change
from .errors import Conflict, InvalidInput, NotFound
from .i18n import N_
from .store.database import db, is_sqlite
from .store.models import Part, timestamp
from .text import clean, parse_amount, parse_quantity

WORD_MAX = 40
# Rows per INSERT: under SQLite's 32766 bound variables.
_BATCH_VALUES = 30000
# Parts read in order before PostgreSQL is asked to use its search index (see _search_postgresql).
PG_WINDOW = 5000
# Opening stock of one part when a catalogue is loaded: never negative (the ledger starts at what is there).
OPENING_MAX = 1_000_000


@dataclass(frozen=True)
class PartRow:
    id: int
    part_number: str
    description: str
    bin: str
    on_hand: int
    unit_price: Decimal
    wear_part: bool
    safety_part: bool
    hazardous: bool
    manufacturer: str


def _is_cjk(ch: str) -> bool:
    # Nothing below U+1100 is wide; the test keeps a catalogue load from asking unicodedata per letter.
    return ch >= "\u1100" and unicodedata.east_asian_width(ch) in ("W", "F")


def _runs(text: str) -> list[tuple[str, bool]]:
    """Lower-case runs of letters and digits, split at anything else and where CJK meets other letters;
    (run, is_cjk). NFKC first, so full-width letters and digits typed with a Chinese IME match.

    The same split as the SQLite index's tokenizer (letters and digits only), so a word is one token."""
    runs = []
    current, cjk = "", False
    for ch in unicodedata.normalize("NFKC", text).lower():
        if not ch.isalnum():
            if current:
                runs.append((current, cjk))
            current = ""
            continue
        kind = _is_cjk(ch)
        if current and kind != cjk:
            runs.append((current, cjk))
            current = ""
        current += ch
        cjk = kind
    if current:
        runs.append((current, cjk))
    return runs


def search_words(part_number: str, description: str) -> set[str]:
    """Words a part is found by: each word of its number and description, the number without its
    separators ("5q0698151a" for 5Q0-698-151-A), and every suffix of a CJK run, so that typing any part
    of 前刹车片 (say 刹车) finds it by prefix."""
    words = {"".join(run for run, _ in _runs(part_number))[:WORD_MAX]}
    for run, cjk in _runs(part_number) + _runs(description):
        if cjk:
            words.update(run[i:][:WORD_MAX] for i in range(len(run)))
        else:
            words.add(run[:WORD_MAX])
    words.discard("")
    return words


def search_text(part_number: str, description: str) -> str:
    """Part.search_text: the search words, space-separated, for the database's search index."""
    return " ".join(sorted(search_words(part_number, description)))


def _rows(query) -> list[PartRow]:
    return [PartRow(p.id, p.part_number, p.description, p.bin, p.on_hand, p.unit_price, p.wear_part,
                    p.safety_part, p.hazardous, p.manufacturer) for p in query]


def load_catalogue(actor: Actor, rows: list[dict]) -> int:
    """Add parts in bulk (catalogue import, demo, benchmarks), in one transaction: the parts with their
    search words, and an opening-stock movement for each, so on-hand equals the ledger from the first day.

    rows are dicts of Part fields (part_number and description at least; the rest take the model's
    defaults). Returns the count. Raises Conflict when a part number is already in the catalogue
    (nothing is added then).
    """
    fields = [f for f in Part._meta.sorted_fields if f.name != "id"]
    parts = []
    for line, row in enumerate(rows, start=1):
        try:
            values = _part_values(row)
        except InvalidInput as exc:
            raise InvalidInput(N_("Catalogue line {line}: {reason} Nothing was added."), line=line,
                               reason=exc) from None
        parts.append(tuple(f.db_value(values[f.name] if f.name in values else f.default() if callable(f.default)
                                      else f.default) for f in fields))
    with change(actor, "part.receive") as record:
        try:
            _insert("part", [f.column_name for f in fields], parts)
        except peewee.IntegrityError:
            raise Conflict(N_("A part number in this catalogue is already in the shop's catalogue; "
                              "nothing was added.")) from None
        numbers = [row[fields.index(Part.part_number)] for row in parts]
        created = []
        for i in range(0, len(numbers), _BATCH_VALUES):
            created.extend(Part.select(Part.id, Part.on_hand)
                           .where(Part.part_number.in_(numbers[i:i + _BATCH_VALUES])).tuples())
        at = timestamp()
        _insert("stock_movement", ["part_id", "quantity", "kind", "job_line_id", "reason", "employee_id", "terminal",
                                   "at"],
                [(pid, on_hand, "opening", None, "opening stock", actor.employee_id, actor.terminal[:60], at)
                 for pid, on_hand in created if on_hand])
        record.about("catalogue", None, parts=len(created))
    return len(created)


# What a catalogue line may set, and how each is checked; anything else takes the model's default.
_TEXTS = {"description": (N_("Description"), 200), "bin": (N_("Bin"), 16), "manufacturer": (N_("Manufacturer"), 40)}
_FLAGS = {"wear_part": N_("Wear part"), "safety_part": N_("Safety part"), "hazardous": N_("Hazardous")}
PRICE_MAX = Decimal("99999999.99")  # Part.unit_price: 10 digits, 2 of them decimals


def _part_values(row: dict) -> dict:
    """One catalogue line checked as the rules check a typed one, as Part fields."""
    if not isinstance(row, dict):
        raise InvalidInput(N_("A catalogue line needs its part number and description."))
    number = clean(row.get("part_number"), N_("Part number"), max_len=40, required=True).replace(" ", "").upper()
    values = {"part_number": number}
    for name, (field, max_len) in _TEXTS.items():
        values[name] = clean(row.get(name, ""), field, max_len=max_len)
    for name, field in _FLAGS.items():
        if not isinstance(row.get(name, False), bool):
            raise InvalidInput(N_("{field} must be yes or no."), field=field)
        values[name] = row.get(name, False)
    on_hand = row.get("on_hand", 0)
    values["on_hand"] = parse_quantity(on_hand, field=f"Opening stock of {number}", minimum=0, maximum=OPENING_MAX)
    values["unit_price"] = parse_amount(row.get("unit_price", 0), N_("Unit price"), maximum=PRICE_MAX)
    values["search_text"] = search_text(number, values["description"])
    return values


def _insert(table: str, columns: list[str], rows: list[tuple]) -> None:
    """Many rows in few multi-row INSERTs: peewee's per-value SQL building took 80% of a 200,000-part load."""
    size = max(1, _BATCH_VALUES // len(columns))
    one = "(" + ", ".join(["?"] * len(columns)) + ")"
    head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
    for i in range(0, len(rows), size):
        chunk = rows[i:i + size]
        db.execute_sql((head + ", ".join([one] * len(chunk))).replace("?", db.param),
                       [value for row in chunk for value in row])


def scanned_number(code: str) -> str:
    """A scanned or typed part number as the catalogue keeps it (no spaces or control characters, upper case)."""
    return clean(code, N_("Part number"), max_len=40).replace(" ", "").upper()


def find_part_by_scan(code: str) -> PartRow:
    """The part whose number was scanned or typed (spaces, control characters and case ignored).

    Raises InvalidInput (nothing scanned) or NotFound, whose message invites the catalogue search."""
    number = scanned_number(code)
    if not number:
        raise InvalidInput(N_("Scan a part barcode or type its number."))
    found = _rows(Part.select().where(Part.part_number == number))
    if not found:
        raise NotFound(N_("Unknown part number {number}: search the catalogue by words instead."), number=number)
    return found[0]


def _query_terms(text: str) -> list[str]:
    """The typed words, without those another typed word already implies ("br" beside "brake")."""
    terms = {(run[:WORD_MAX], cjk) for run, cjk in _runs(text)}
    return sorted(t for t, cjk in terms
                  if not any(other != t and other_cjk == cjk and (t in other if cjk else other.startswith(t))
                             for other, other_cjk in terms))


def search_parts(text: str, after: int | None = None, limit: int = 20) -> list[tuple[int, PartRow]]:
    """Incremental catalogue search: each typed word starts a word of the part number or description,
    in any order, case and width ignored (a Chinese word may be any part of a Chinese run: 刹车 finds
    前刹车片). Blank text lists the whole catalogue.

    Returns up to `limit` (key, PartRow) pairs in catalogue order; pass the last key as `after` for the
    next page. Raises InvalidInput for text over 80 characters.
    """
    terms = _query_terms(clean(text, N_("Search"), max_len=80))
    after = after or 0
    if not terms:
        query = Part.select().where(Part.id > after).order_by(Part.id).limit(limit)
    elif is_sqlite():
        # FTS5 walks its matches in rowid order and stops at the LIMIT: a common "b" costs no more
        # than a rare word. Each term is letters and digits only (see _runs), so quoting is safe.
        match = " AND ".join(f'"{term}"*' for term in terms)
        query = Part.raw("SELECT part.* FROM part_search JOIN part ON part.id = part_search.rowid "
                         "WHERE part_search MATCH ? AND part_search.rowid > ? ORDER BY part_search.rowid LIMIT ?",
                         match, after, limit)
    else:
        return [(r.id, r) for r in _search_postgresql(terms, after, limit)]
    return [(r.id, r) for r in _rows(query)]


def _search_postgresql(terms: list[str], after: int, limit: int) -> list[PartRow]:
    """PostgreSQL's GIN index yields every match before the first page can be sorted (40 ms for "b" at
    200,000 parts), while reading the catalogue in id order finds common words at once but reads it all
    for a typo. So: look through the next PG_WINDOW parts in order first, and ask the index only if that
    window held less than a page."""
    prefixes = " & ".join(f"'{term}':*" for term in terms)
    matches = "array_to_tsvector(string_to_array(search_text, ' ')) @@ %s::tsquery"
    found = _rows(Part.raw(f"SELECT * FROM (SELECT * FROM part WHERE id > %s ORDER BY id LIMIT {PG_WINDOW}) AS w "
                           f"WHERE {matches} ORDER BY id LIMIT %s", after, prefixes, limit))
    if len(found) < limit:
        # "id + 0" keeps the planner off the id-ordered scan, which would read every part for a rare word.
        found = _rows(Part.raw(f"SELECT * FROM part WHERE id > %s AND {matches} ORDER BY id + 0 LIMIT %s",
                               after, prefixes, limit))
    return found

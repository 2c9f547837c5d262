"""Reading the official municipality directory of Destatis (GV-ISys "Auszug GV") as CSV.

The export has one record per line; the column ``satzart`` says what a record describes:
10 Land, 20 Regierungsbezirk, 30 Region, 40 Kreis, 50 Gemeindeverband, 60 Gemeinde. The
AGS of a Gemeinde is ``land`` (2 digits) + ``rb`` (1) + ``kreis`` (2) + ``gemeinde`` (3); the
4-digit ``vb`` (Gemeindeverband) is not part of it.

What becomes a :class:`~nhm.municipality.Municipality`:

- every Satzart-60 record (a Gemeinde, kreisfreie Stadt, gemeindefreies Gebiet …);
- every Satzart-40 record with text code 43/44/45 (Kreis, Landkreis, Regionalverband), with
  AGS ``land+rb+kreis+"000"`` and, as the file gives none, the sum of its Gemeinden's
  populations. A kreisfreie Stadt or Stadtkreis (text code 41/42) is its own Kreis: it is the
  Satzart-60 record whose AGS ends in 000, so its Satzart-40 record adds no entry.

Satzart 10/20/30/50 are checked for shape only. Parsing is pure (no database); every problem
in the file is collected and raised together as :class:`GvIsysError`.
"""

from __future__ import annotations

import csv
import io
import re
from calendar import monthrange
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from nhm.municipality import LAENDER, Municipality, MunicipalityKind

MAX_FILE_BYTES = 50_000_000
"""Larger files are refused: the full directory has about 2 MB."""
MAX_ERRORS_SHOWN = 50
"""How many problems the error message lists; ``GvIsysError.errors`` may hold more."""
MAX_ERRORS_KEPT = 10_000
"""Problems beyond this number are only counted, so a huge garbage file cannot exhaust memory."""

SOURCE = "gv-isys"

REQUIRED_COLUMNS = (
    "satzart",
    "textkennzeichen",
    "land",
    "rb",
    "kreis",
    "vb",
    "gemeinde",
    "gemeindename",
    "bevoelkerung",
)

RECORD_TYPES = {
    "10": "Land",
    "20": "Regierungsbezirk",
    "30": "Region",
    "40": "Kreis",
    "50": "Gemeindeverband",
    "60": "Gemeinde",
}

KREIS_CODES: dict[str, MunicipalityKind | None] = {
    "41": None,  # kreisfreie Stadt: the Satzart-60 record is the entry
    "42": None,  # Stadtkreis: likewise
    "43": MunicipalityKind.KREIS,
    "44": MunicipalityKind.LANDKREIS,
    "45": MunicipalityKind.REGIONALVERBAND,
}
"""Satzart-40 text codes and the county kind they create (None: no separate entry)."""

GEMEINDE_CODES: dict[str, MunicipalityKind] = {
    "60": MunicipalityKind.MARKT,
    "61": MunicipalityKind.KREISFREIE_STADT,
    "62": MunicipalityKind.STADTKREIS,
    "63": MunicipalityKind.STADT,
    "64": MunicipalityKind.GEMEINDE,
    "65": MunicipalityKind.GEMEINDEFREIES_GEBIET,  # bewohnt
    "66": MunicipalityKind.GEMEINDEFREIES_GEBIET,  # unbewohnt
    "67": MunicipalityKind.GROSSE_KREISSTADT,
}
"""Satzart-60 text codes and the municipality kind."""

_KREISFREI_KREIS = {"41", "42"}
_KREISFREI_GEMEINDE = {"61", "62"}
_GEMEINDEFREI = {"65", "66"}
_NO_KREIS = "00"
"""Kreis digits of the few gemeindefreie Gebiete outside any Kreis (e.g. Küstengewässer)."""

_SHAPES: dict[str, tuple[tuple[str, int], ...]] = {
    "10": (("land", 2),),
    "20": (("land", 2), ("rb", 1)),
    "30": (("land", 2), ("rb", 1), ("kreis", 1)),  # the Region number sits in "kreis"
    "40": (("land", 2), ("rb", 1), ("kreis", 2)),
    "50": (("land", 2), ("rb", 1), ("kreis", 2), ("vb", 4)),
    "60": (("land", 2), ("rb", 1), ("kreis", 2), ("gemeinde", 3)),
}
"""The key parts (column, digits) each record type must have."""

_BLANKS = str.maketrans("", "", " \t\u00a0\u202f")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_DELIMITERS = (",", ";", "\t")
_MODEL_FIELDS = {
    "ags": "ags",
    "name": "gemeindename",
    "population": "bevoelkerung",
    "kreis_ags": "kreis",
    "kind": "textkennzeichen",
}
_DDMMYYYY = re.compile(r"^(\d{2})(\d{2})(\d{4})(?!\d)")
_QUARTER = re.compile(r"(?<!\d)(\d{4})[-_]?q([1-4])(?!\d)", re.IGNORECASE)


@dataclass(frozen=True)
class GvIsysIssue:
    """One problem in a GV-ISys file; ``line`` is the physical line (header = 1)."""

    file: Path
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else f"{self.file}"
        if self.field:
            return f"{where}: {self.field}: {self.message}"
        return f"{where}: {self.message}"


class GvIsysError(ValueError):
    """A GV-ISys file could not be read or is invalid; ``errors`` lists the problems."""

    def __init__(self, path: Path, errors: list[GvIsysIssue], total: int | None = None) -> None:
        self.path = path
        self.errors = errors
        self.total = max(total or 0, len(errors))
        count = f"{self.total} error{'s' if self.total != 1 else ''}"
        shown = [f"  {e}" for e in errors[:MAX_ERRORS_SHOWN]]
        if self.total > MAX_ERRORS_SHOWN:
            shown.append(f"  … and {self.total - MAX_ERRORS_SHOWN} more")
        super().__init__(f"invalid GV-ISys file {path} ({count}):\n" + "\n".join(shown))


@dataclass(frozen=True)
class GvIsysDirectory:
    """The municipalities of one GV-ISys file and what was counted while reading it."""

    municipalities: list[Municipality]
    """Gemeinden (Satzart 60) in file order, then the counties in file order."""
    gemeinden: int
    """Satzart-60 records."""
    kreise: int
    """Satzart-40 records (kreisfreie Städte and Stadtkreise included)."""
    kreisfreie: int
    """Satzart-40 records with text code 41/42."""
    lines: int
    """Data records read (lines after the header; empty lines not counted)."""


@dataclass(slots=True)
class _Record:
    line: int
    satzart: str
    code: str
    land: str
    rb: str
    kreis: str
    gemeinde: str
    name: str
    population: int | None
    key: str
    """The record's key parts, e.g. ``08 3 35 5004`` for a Gemeindeverband."""
    valid: bool
    """False if the record has problems (already reported) beyond its key."""

    @property
    def kreis_key(self) -> str:
        return self.land + self.rb + self.kreis

    @property
    def ags(self) -> str:
        return self.land + self.rb + self.kreis + self.gemeinde


class _Issues:
    """Collects problems, keeping at most MAX_ERRORS_KEPT of them."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.kept: list[GvIsysIssue] = []
        self.total = 0

    def add(self, line: int | None, field: str, message: str) -> None:
        self.total += 1
        if len(self.kept) < MAX_ERRORS_KEPT:
            self.kept.append(GvIsysIssue(self.path, line, field, message))

    def raise_if_any(self) -> None:
        if self.total:
            ordered = sorted(self.kept, key=lambda e: e.line or 0)
            raise GvIsysError(self.path, ordered, self.total)


def population_date_from_filename(path: str | Path) -> date | None:
    """The population reference date in a Destatis-style file name, or None.

    ``31122020_Auszug_GV.csv`` (leading DDMMYYYY) gives 2020-12-31; ``…2020q4…`` or
    ``…2020-Q4…`` gives the last day of that quarter.
    """
    name = Path(path).name
    match = _DDMMYYYY.match(name)
    if match:
        day, month, year = (int(g) for g in match.groups())
        try:
            return date(year, month, day)
        except ValueError:
            pass
    match = _QUARTER.search(name)
    if match:
        year, quarter = int(match.group(1)), int(match.group(2))
        if year >= 1:
            month = quarter * 3
            return date(year, month, monthrange(year, month)[1])
    return None


def read_gv_isys(path: Path, population_date: date | None = None) -> GvIsysDirectory:
    """Read a GV-ISys "Auszug GV" CSV export; raise GvIsysError listing every problem."""
    path = Path(path)
    text = _read_text(path)
    if not text.strip():
        raise _fail(path, "the file is empty")
    issues = _Issues(path)
    rows = _rows(text, issues)
    header_line, header = next(rows, (1, []))
    columns = _columns(header_line, header, issues)
    if columns is None:
        issues.raise_if_any()
        raise AssertionError("unreachable: _columns reported why it found no columns")
    records: list[_Record] = []
    counted = 0
    for line, row in rows:
        counted += 1
        record = _record(line, row, columns, len(header), issues)
        if record is not None:
            records.append(record)
    directory = _build(records, counted, population_date, issues)
    issues.raise_if_any()
    return directory


def _fail(path: Path, message: str, line: int | None = None, field: str = "") -> GvIsysError:
    return GvIsysError(path, [GvIsysIssue(path, line, field, message)])


def _read_text(path: Path) -> str:
    """The file's text, decoded as UTF-8 (with or without BOM) or else Windows-1252."""
    try:
        if not path.exists():
            raise _fail(path, "file not found")
        if path.is_dir():
            raise _fail(path, "is a folder, not a file")
        if not path.is_file():
            raise _fail(path, "not a regular file")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _fail(path, _too_large(size))
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise _fail(path, f"cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise _fail(path, _too_large(len(raw)))
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _fail(path, "not a text file this reader accepts: it is UTF-16; save it as UTF-8")
    if b"\x00" in raw:
        raise _fail(path, "not a text file (contains NUL bytes)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise _fail(
                path,
                f"not a text file: neither UTF-8 nor Windows-1252 (byte 0x{raw[exc.start]:02x} "
                f"at offset {exc.start})",
            ) from None
    # a BOM (also as Windows-1252 sees a UTF-8 one) and a DOS end-of-file mark are no content
    text = text.removeprefix("\ufeff").removeprefix("ï»¿").rstrip("\x1a")
    control = _CONTROL.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        raise _fail(path, f"not a text file (control character U+{ord(control.group()):04X})", line)
    return text


def _too_large(size: int) -> str:
    return f"the file has {size:,} bytes; a GV-ISys file may have at most {MAX_FILE_BYTES:,}"


def _rows(text: str, issues: _Issues) -> Iterator[tuple[int, list[str]]]:
    """Non-empty CSV records with the physical line they start on."""
    first_line = text.split("\n", 1)[0]
    delimiter = max(_DELIMITERS, key=first_line.count)
    if not first_line.count(delimiter):
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    end = 0
    while True:
        start = end + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            issues.add(reader.line_num or start, "", f"not valid CSV ({exc}); reading stopped")
            return
        end = reader.line_num
        if not row:
            continue
        if end > start:
            issues.add(
                start,
                "",
                f"expected one record per line, found a quoted field running over lines "
                f"{start}–{end} (is a closing quote missing?)",
            )
            continue
        yield start, row


def _columns(line: int, header: list[str], issues: _Issues) -> dict[str, int] | None:
    """Column indices of the required columns; None (problem added) if any is missing."""
    names = [name.strip().lower() for name in header]
    columns: dict[str, int] = {}
    for index, name in enumerate(names):
        columns.setdefault(name, index)
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if not missing:
        return columns
    found = ", ".join(_show(name) for name in header[:8])
    if len(header) > 8:
        found += ", …"
    message = f"expected the columns {', '.join(REQUIRED_COLUMNS)}; missing: {', '.join(missing)}"
    if names and names[0] in RECORD_TYPES:
        message += "; the first line is a data record, the header line is missing"
    else:
        message += f"; found {found or 'nothing'}"
    issues.add(line, "header", message)
    return None


def _show(value: str, limit: int = 40) -> str:
    return repr(value if len(value) <= limit else value[:limit] + "…")


def _record(
    line: int, row: list[str], columns: dict[str, int], width: int, issues: _Issues
) -> _Record | None:
    """One row as a _Record, or None (with its problems added) if it is unusable."""
    if len(row) != width:
        issues.add(line, "", f"expected {width} fields as in the header, found {len(row)}")
        return None

    def get(column: str) -> str:
        return row[columns[column]].strip()

    satzart = get("satzart")
    shape = _SHAPES.get(satzart)
    if shape is None:
        issues.add(
            line,
            "satzart",
            f"expected a record type 10, 20, 30, 40, 50 or 60, found {_show(satzart)}",
        )
        return None
    parts: dict[str, str] = {}
    for column, digits in shape:
        value = get(column)
        if len(value) == digits and value.isascii() and value.isdigit():
            parts[column] = value
        else:
            issues.add(line, column, _digits_message(value, digits))
    if len(parts) != len(shape):
        return None
    if parts["land"] not in LAENDER:
        issues.add(line, "land", f"expected a Land code 01–16, found {_show(parts['land'])}")
        return None
    ok = True
    vb = get("vb")
    if satzart == "60" and vb and not (len(vb) == 4 and vb.isascii() and vb.isdigit()):
        issues.add(line, "vb", _digits_message(vb, 4))
        ok = False
    code = get("textkennzeichen")
    if satzart == "40" and code not in KREIS_CODES:
        issues.add(
            line,
            "textkennzeichen",
            "expected a Kreis text code 41 (kreisfreie Stadt), 42 (Stadtkreis), 43 (Kreis), "
            f"44 (Landkreis) or 45 (Regionalverband), found {_show(code)}",
        )
        ok = False
    if satzart == "60" and code not in GEMEINDE_CODES:
        issues.add(
            line,
            "textkennzeichen",
            f"expected a Gemeinde text code 60–67, found {_show(code)}",
        )
        ok = False
    population = None
    if satzart in ("40", "60"):
        try:
            population = _population(get("bevoelkerung"))
        except ValueError as exc:
            issues.add(line, "bevoelkerung", str(exc))
            ok = False
    return _Record(
        line=line,
        satzart=satzart,
        code=code,
        land=parts["land"],
        rb=parts.get("rb", ""),
        kreis=parts.get("kreis", ""),
        gemeinde=parts.get("gemeinde", ""),
        name=get("gemeindename"),
        population=population,
        key=" ".join(parts.values()),
        valid=ok,
    )


def _digits_message(value: str, digits: int) -> str:
    message = f"expected {digits} digit{'s' if digits != 1 else ''}, found {_show(value)}"
    if value and value.isascii() and value.isdigit() and len(value) < digits:
        message += " (leading zeros lost, e.g. by a spreadsheet program?)"
    return message


def _population(value: str) -> int | None:
    """Inhabitants from a field such as ``" 156 449"``; None if empty."""
    digits = value.translate(_BLANKS)
    if not digits:
        return None
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 12:
        raise ValueError(
            "expected a whole number of inhabitants (digits, blanks as thousands "
            f"separators), found {_show(value)}"
        )
    return int(digits)


def _build(
    records: list[_Record], counted: int, population_date: date | None, issues: _Issues
) -> GvIsysDirectory:
    """Cross-record checks and the Municipality objects."""
    seen: dict[tuple[str, str], int] = {}
    kreise: dict[str, _Record] = {}
    gemeinden: list[_Record] = []
    for record in records:
        earlier = seen.setdefault((record.satzart, record.key), record.line)
        if earlier != record.line:
            if record.satzart == "60":
                message = f"duplicate AGS {record.ags}, already on line {earlier}"
                issues.add(record.line, "ags", message)
            else:
                issues.add(
                    record.line,
                    "",
                    f"duplicate {RECORD_TYPES[record.satzart]} record (Satzart {record.satzart})"
                    f" {record.key}, already on line {earlier}",
                )
        elif record.satzart == "40":
            kreise[record.kreis_key] = record
        elif record.satzart == "60":
            gemeinden.append(record)
    if not gemeinden:
        issues.add(
            None,
            "",
            "no Gemeinde records (Satzart 60) found; expected a GV-ISys 'Auszug GV' export",
        )

    municipalities: list[Municipality] = []
    members: dict[str, list[int | None]] = {}
    ags_lines: dict[str, int] = {}
    for record in gemeinden:
        kreis = kreise.get(record.kreis_key)
        kreis_ags = _kreis_ags(record, kreis, issues)
        if not record.valid:
            continue
        if isinstance(kreis_ags, str):
            members.setdefault(kreis_ags, []).append(record.population)
        municipality = _municipality(  # even with a broken Kreis, to report its own problems
            record,
            issues,
            ags=record.ags,
            name=record.name,
            kind=GEMEINDE_CODES[record.code],
            population=record.population,
            population_date=population_date,
            kreis_ags=kreis_ags or None,
            source=SOURCE,
        )
        if municipality is not None and kreis_ags is not False:
            municipalities.append(municipality)
            ags_lines[record.ags] = record.line

    kreisfreie = 0
    for kreis in kreise.values():
        if not kreis.valid:
            continue
        kind = KREIS_CODES[kreis.code]
        if kind is None:
            kreisfreie += 1
            continue
        ags = kreis.kreis_key + "000"
        if ags in ags_lines:
            issues.add(
                kreis.line,
                "gemeinde",
                f"expected the county AGS {ags} to be the county's own, found it also on the "
                f"Gemeinde on line {ags_lines[ags]}",
            )
            continue
        population = kreis.population
        if population is None:
            known = members.get(ags, [])
            if known and None not in known:
                population = sum(p for p in known if p is not None)
        municipality = _municipality(
            kreis,
            issues,
            ags=ags,
            name=kreis.name,
            kind=kind,
            population=population,
            population_date=population_date,
            source=SOURCE,
        )
        if municipality is not None:
            municipalities.append(municipality)
    return GvIsysDirectory(
        municipalities=municipalities,
        gemeinden=len(gemeinden),
        kreise=len(kreise),
        kreisfreie=kreisfreie,
        lines=counted,
    )


def _kreis_ags(record: _Record, kreis: _Record | None, issues: _Issues) -> str | bool | None:
    """The county AGS of a Gemeinde, None if it belongs to no county, False if in error."""
    if kreis is None:
        if record.code in _GEMEINDEFREI and record.kreis == _NO_KREIS:
            return None  # e.g. Küstengewässer: gemeindefreies Gebiet outside any Kreis
        issues.add(
            record.line,
            "kreis",
            f"expected a Kreis record (Satzart 40) for Kreis {record.kreis_key}, found none",
        )
        return False
    if not (kreis.valid and record.valid):
        return False  # the problem is already reported on the record or its Kreis
    if (record.code in _KREISFREI_GEMEINDE) != (kreis.code in _KREISFREI_KREIS):
        issues.add(
            record.line,
            "textkennzeichen",
            f"expected 61/62 exactly for a Gemeinde in a kreisfreie Stadt or Stadtkreis "
            f"(Kreis text code 41/42), found {record.code} in Kreis {record.kreis_key} "
            f"(line {kreis.line}, text code {kreis.code})",
        )
        return False
    return None if kreis.code in _KREISFREI_KREIS else record.kreis_key + "000"


def _municipality(record: _Record, issues: _Issues, **data: object) -> Municipality | None:
    """A validated Municipality, or None with the validation errors added as problems."""
    try:
        return Municipality.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            loc = error["loc"]
            field = _MODEL_FIELDS.get(str(loc[0]), str(loc[0])) if loc else "record"
            message = error["msg"].removeprefix("Value error, ")
            if loc:
                message += f", found {_show(str(error.get('input', '')))}"
            issues.add(record.line, field, message)
        return None

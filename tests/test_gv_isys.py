"""Reading the Destatis GV-ISys directory: every rule on small files, then the real export."""

from __future__ import annotations

import contextlib
import csv
import io
import os
import random
from datetime import date
from pathlib import Path

import pytest

from nhm.exchange.gv_isys import (
    GvIsysDirectory,
    GvIsysError,
    GvIsysIssue,
    population_date_from_filename,
    read_gv_isys,
)
from nhm.municipality import Municipality, MunicipalityKind

REAL_FILE = (
    Path(__file__).resolve().parent.parent.parent
    / "shared"
    / "reference"
    / "gemeindeverzeichnis-auszug-2020q4.csv"
)

HEADER = (
    "satzart,textkennzeichen,land,rb,kreis,vb,gemeinde,gemeindename,flaeche,bevoelkerung,"
    "maennlich,weiblich,jekm2,postleitzahl,laengengrad,breitengrad,schluessel,bezeichnung,"
    "verstaedterungschluessel,verstaedterungbezeichnung"
)


def row(
    satzart: str,
    code: str = "",
    land: str = "",
    rb: str = "",
    kreis: str = "",
    vb: str = "",
    gemeinde: str = "",
    name: str = "Name",
    population: str = "",
) -> list[str]:
    """One record with the 20 columns of the real export."""
    rest = [" 12.34", population, "", "", "", "78462", "9,17", "47,66", "", "", "01", "x"]
    if satzart != "60":
        rest = [""] * 12
    return [satzart, code, land, rb, kreis, vb, gemeinde, name, *rest]


def sample() -> list[list[str]]:
    """A tiny but complete directory; record i is on physical line i + 2."""
    return [
        row("10", land="08", name="Baden-Württemberg"),  # line 2
        row("20", land="08", rb="3", name="Reg.-Bez. Freiburg"),  # 3
        row("30", land="08", rb="3", kreis="3", name="Region Hochrhein-Bodensee"),  # 4
        row("40", "44", "08", "3", "35", name="Konstanz"),  # 5
        row("50", "54", "08", "3", "35", "5004", name="VVG der Stadt Konstanz"),  # 6
        row("60", "67", "08", "3", "35", "5004", "043", "Konstanz, Universitätsstadt", " 84 911"),
        row("60", "64", "08", "3", "35", "5004", "002", "Allensbach", " 7 123"),  # 8
        row("10", land="05", name="Nordrhein-Westfalen"),  # 9
        row("40", "41", "05", "9", "16", name="Herne, Stadt"),  # 10
        row("50", "50", "05", "9", "16", "0000", name="Herne, Stadt"),  # 11
        row("60", "61", "05", "9", "16", "0000", "000", "Herne, Stadt", " 156 449"),  # 12
        row("10", land="13", name="Mecklenburg-Vorpommern"),  # 13
        row("60", "66", "13", "0", "00", "9999", "999", "Küstengewässer", "  0"),  # 14
    ]


def to_text(rows: list[list[str]], header: str = HEADER, delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return header.replace(",", delimiter) + "\n" + out.getvalue().removesuffix("\n")


@pytest.fixture
def write(tmp_path: Path):
    """Write rows (or text, or bytes) as a CSV file like the Destatis export and return it."""

    def write_file(
        content: list[list[str]] | str | bytes | None = None,
        name: str = "auszug.csv",
        encoding: str = "utf-8-sig",
    ) -> Path:
        path = tmp_path / name
        if content is None:
            content = sample()
        if isinstance(content, list):
            content = to_text(content)
        if isinstance(content, str):
            content = content.encode(encoding)
        path.write_bytes(content)
        return path

    return write_file


def errors_for(path: Path) -> list[GvIsysIssue]:
    with pytest.raises(GvIsysError) as info:
        read_gv_isys(path)
    assert str(path) in str(info.value)
    return info.value.errors


def find(errors: list[GvIsysIssue], line: int | None, field: str, *parts: str) -> GvIsysIssue:
    """The error on ``line`` for ``field`` whose text contains every part; fails otherwise."""
    for error in errors:
        if error.line == line and error.field == field and all(p in str(error) for p in parts):
            prefix = f"{error.file}:{line}: " if line else f"{error.file}: "
            assert str(error).startswith(prefix + (f"{field}: " if field else ""))
            return error
    pytest.fail(
        f"no error on line {line}, field {field!r} with {parts}; got:\n"
        + "\n".join(map(str, errors))
    )


def by_ags(directory: GvIsysDirectory) -> dict[str, Municipality]:
    return {m.ags: m for m in directory.municipalities}


# --- what the reader makes of a valid file ---------------------------------------------------


def test_sample_gives_gemeinden_then_counties(write) -> None:
    directory = read_gv_isys(write(), population_date=date(2020, 12, 31))
    assert [m.ags for m in directory.municipalities] == [
        "08335043",
        "08335002",
        "05916000",
        "13000999",
        "08335000",
    ]
    assert (directory.gemeinden, directory.kreise, directory.kreisfreie) == (4, 2, 1)
    assert directory.lines == 13
    konstanz = by_ags(directory)["08335043"]
    assert konstanz.name == "Konstanz, Universitätsstadt"
    assert konstanz.kind is MunicipalityKind.GROSSE_KREISSTADT
    assert konstanz.population == 84_911
    assert konstanz.kreis_ags == "08335000"
    assert konstanz.source == "gv-isys"
    assert konstanz.population_date == date(2020, 12, 31)
    assert konstanz.size_class == "GK4"


def test_kreisfreie_stadt_is_its_own_kreis(write) -> None:
    herne = by_ags(read_gv_isys(write()))["05916000"]
    assert herne.kind is MunicipalityKind.KREISFREIE_STADT
    assert herne.kreis_ags is None
    assert herne.population == 156_449
    assert herne.size_class == "GK3"
    assert herne.population_date is None


def test_county_population_is_the_sum_of_its_gemeinden(write) -> None:
    county = by_ags(read_gv_isys(write()))["08335000"]
    assert county.kind is MunicipalityKind.LANDKREIS
    assert county.name == "Konstanz"
    assert county.population == 84_911 + 7_123
    assert county.kreis_ags is None
    assert county.size_class == "GK3"


def test_county_population_from_its_own_record_wins(write) -> None:
    rows = sample()
    rows[3][9] = " 290 000"
    assert by_ags(read_gv_isys(write(rows)))["08335000"].population == 290_000


def test_county_population_unknown_if_a_gemeinde_has_none(write) -> None:
    rows = sample()
    rows[6][9] = ""
    directory = by_ags(read_gv_isys(write(rows)))
    assert directory["08335002"].population is None
    assert directory["08335002"].size_class is None
    assert directory["08335000"].population is None


def test_gemeindefreies_gebiet_outside_any_kreis(write) -> None:
    area = by_ags(read_gv_isys(write()))["13000999"]
    assert area.kind is MunicipalityKind.GEMEINDEFREIES_GEBIET
    assert area.kreis_ags is None
    assert area.population == 0


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("60", MunicipalityKind.MARKT),
        ("63", MunicipalityKind.STADT),
        ("64", MunicipalityKind.GEMEINDE),
        ("65", MunicipalityKind.GEMEINDEFREIES_GEBIET),
        ("66", MunicipalityKind.GEMEINDEFREIES_GEBIET),
        ("67", MunicipalityKind.GROSSE_KREISSTADT),
    ],
)
def test_gemeinde_text_codes_in_a_landkreis(write, code: str, kind: MunicipalityKind) -> None:
    rows = sample()
    rows[6][1] = code
    allensbach = by_ags(read_gv_isys(write(rows)))["08335002"]
    assert allensbach.kind is kind
    assert allensbach.kreis_ags == "08335000"


def test_stadtkreis(write) -> None:
    rows = sample()
    rows[8][1] = "42"
    rows[10][1] = "62"
    directory = read_gv_isys(write(rows))
    assert by_ags(directory)["05916000"].kind is MunicipalityKind.STADTKREIS
    assert directory.kreisfreie == 1


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("43", MunicipalityKind.KREIS),
        ("44", MunicipalityKind.LANDKREIS),
        ("45", MunicipalityKind.REGIONALVERBAND),
    ],
)
def test_county_text_codes(write, code: str, kind: MunicipalityKind) -> None:
    rows = sample()
    rows[3][1] = code
    assert by_ags(read_gv_isys(write(rows)))["08335000"].kind is kind


def test_population_with_blanks_and_no_leading_blank(write) -> None:
    rows = sample()
    rows[10][9] = "1 847 253"
    rows[6][9] = "\u00a07\u00a0123"
    directory = by_ags(read_gv_isys(write(rows)))
    assert directory["05916000"].population == 1_847_253
    assert directory["08335002"].population == 7_123


def test_empty_population_is_none(write) -> None:
    rows = sample()
    rows[10][9] = "  "
    assert by_ags(read_gv_isys(write(rows)))["05916000"].population is None


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp1252"])
def test_encodings(write, encoding: str) -> None:
    directory = by_ags(read_gv_isys(write(to_text(sample()), encoding=encoding)))
    assert directory["13000999"].name == "Küstengewässer"
    assert directory["08335043"].name == "Konstanz, Universitätsstadt"


def test_crlf_trailing_newline_blank_lines_and_semicolons(write) -> None:
    text = to_text(sample(), delimiter=";").replace("\n", "\r\n") + "\r\n\r\n"
    directory = read_gv_isys(write(text))
    assert directory.gemeinden == 4
    assert directory.lines == 13


def test_upper_case_header_and_extra_blanks(write) -> None:
    header = HEADER.upper().replace(",", ", ")
    assert read_gv_isys(write(to_text(sample(), header=header))).gemeinden == 4


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("31122020_Auszug_GV.csv", date(2020, 12, 31)),
        ("30092021_Auszug_GV.xlsx", date(2021, 9, 30)),
        ("gemeindeverzeichnis-auszug-2020q4.csv", date(2020, 12, 31)),
        ("Auszug_GV_2021-Q1.csv", date(2021, 3, 31)),
        ("AUSZUG_2024Q2.CSV", date(2024, 6, 30)),
        ("gv_2019_q3.csv", date(2019, 9, 30)),
        ("31022020_Auszug_GV.csv", None),
        ("Auszug_GV.csv", None),
        ("2020q5.csv", None),
        ("120202020q4.csv", None),
    ],
)
def test_population_date_from_filename(name: str, expected: date | None) -> None:
    assert population_date_from_filename(Path("/some/folder") / name) == expected
    assert population_date_from_filename(name) == expected


# --- file-level errors -------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.csv"
    assert "file not found" in str(errors_for(path)[0])


def test_folder(tmp_path: Path) -> None:
    assert "is a folder" in str(errors_for(tmp_path)[0])


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes (POSIX)")
def test_not_a_regular_file(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    assert "not a regular file" in str(errors_for(fifo)[0])


def test_unreadable(write, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write()

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)
    assert "cannot read: Permission denied" in str(errors_for(path)[0])


def test_larger_than_50_mb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.truncate(50_000_001)  # sparse: no 50 MB written
    assert "at most 50,000,000" in str(errors_for(path)[0])


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"  \n\n \r\n"])
def test_empty_file(write, content: bytes) -> None:
    assert "the file is empty" in str(errors_for(write(content))[0])


def test_header_only(write) -> None:
    path = write(HEADER)
    find(errors_for(path), None, "", "no Gemeinde records (Satzart 60)")


def test_no_gemeinde_records(write) -> None:
    path = write([r for r in sample() if r[0] != "60"])
    find(errors_for(path), None, "", "no Gemeinde records")


@pytest.mark.parametrize(
    "content",
    [
        b"\x00\x01\x02binary\x00",
        HEADER.encode() + b"\n60,61,05\x00",
        "satzart".encode("utf-16"),
        b"\x81\x8d\x8f\x90\x9d" * 10,
        random.Random(7).randbytes(5_000),
    ],
    ids=["nul", "nul-late", "utf-16", "undefined-cp1252", "random"],
)
def test_binary_is_not_a_text_file(write, content: bytes) -> None:
    assert "not a text file" in str(errors_for(write(content))[0])


def test_control_character_names_the_line(write) -> None:
    path = write(to_text(sample()).replace("Allensbach", "Allens\x07bach"))
    find(errors_for(path), 8, "", "not a text file", "U+0007")


def test_missing_columns_are_named(write) -> None:
    header = HEADER.replace("bevoelkerung", "einwohner").replace("gemeinde,", "gem,")
    path = write(to_text(sample(), header=header))
    error = find(errors_for(path), 1, "header", "missing: gemeinde, bevoelkerung")
    assert "found 'satzart'" in str(error)


def test_header_line_missing(write) -> None:
    path = write(to_text(sample()).split("\n", 1)[1])
    find(errors_for(path), 1, "header", "missing: satzart", "header line is missing")


# --- record errors -----------------------------------------------------------------------------


def test_wrong_number_of_fields(write) -> None:
    rows = sample()
    rows[5] = rows[5][:12]
    find(errors_for(write(rows)), 7, "", "expected 20 fields as in the header, found 12")


def test_unclosed_quote(write) -> None:
    text = to_text(sample()).replace(",Konstanz,", ',"Konstanz,')  # next quote is on line 7
    find(errors_for(write(text)), 5, "", "quoted field running over lines 5–7")


@pytest.mark.parametrize("satzart", ["70", "6", "", "x"])
def test_unknown_satzart(write, satzart: str) -> None:
    rows = sample()
    rows[1][0] = satzart
    find(errors_for(write(rows)), 3, "satzart", f"found {satzart!r}", "10, 20, 30, 40, 50 or 60")


def test_unknown_gemeinde_text_code(write) -> None:
    rows = sample()
    rows[6][1] = "68"
    find(errors_for(write(rows)), 8, "textkennzeichen", "60–67", "found '68'")


def test_unknown_kreis_text_code(write) -> None:
    rows = sample()
    rows[3][1] = "46"
    errors = errors_for(write(rows))
    find(errors, 5, "textkennzeichen", "44 (Landkreis)", "found '46'")
    assert len(errors) == 1  # its Gemeinden are not reported as well


def test_gemeinde_in_a_broken_kreis_still_reports_its_own_problems(write) -> None:
    rows = sample()
    rows[3][1] = "46"
    rows[6][7] = ""
    errors = errors_for(write(rows))
    assert [(e.line, e.field) for e in errors] == [(5, "textkennzeichen"), (8, "gemeindename")]


@pytest.mark.parametrize(
    ("index", "column", "value", "expected"),
    [
        (5, 2, "8", "land: expected 2 digits, found '8' (leading zeros lost"),
        (5, 3, "x", "rb: expected 1 digit, found 'x'"),
        (5, 4, "3a", "kreis: expected 2 digits, found '3a'"),
        (5, 6, "43", "gemeinde: expected 3 digits, found '43' (leading zeros"),
        (5, 6, "٠٤٣", "gemeinde: expected 3 digits, found '٠٤٣'"),
        (5, 5, "50", "vb: expected 4 digits, found '50'"),
        (3, 4, "", "kreis: expected 2 digits, found ''"),
        (4, 5, "5O04", "vb: expected 4 digits, found '5O04'"),
        (2, 4, "33", "kreis: expected 1 digit, found '33'"),
        (0, 2, "17", "land: expected a Land code 01–16, found '17'"),
    ],
)
def test_bad_key_parts(write, index: int, column: int, value: str, expected: str) -> None:
    rows = sample()
    rows[index][column] = value
    field = expected.split(":")[0]
    find(errors_for(write(rows)), index + 2, field, expected)


@pytest.mark.parametrize("value", [" 12,5", "-3", "1.234", "viele", "1" * 5_000])
def test_unparsable_population(write, value: str) -> None:
    rows = sample()
    rows[6][9] = value
    error = find(errors_for(write(rows)), 8, "bevoelkerung", "expected a whole number")
    assert f"found {value.strip()[:40]!r}"[:-1] in str(error)


def test_population_above_model_limit(write) -> None:
    rows = sample()
    rows[6][9] = "12 345 678"
    find(errors_for(write(rows)), 8, "bevoelkerung", "less than or equal to 10000000", "found")


def test_empty_name(write) -> None:
    rows = sample()
    rows[6][7] = "  "
    find(errors_for(write(rows)), 8, "gemeindename", "at least 1 character")


def test_demo_range_is_refused(write) -> None:
    rows = sample()
    for index in (3, 4, 5, 6):
        rows[index][4] = "99"
    find(errors_for(write(rows)), 7, "record", "reserved for fictional demo municipalities")


def test_duplicate_ags(write) -> None:
    rows = sample()
    rows.insert(7, list(rows[6]))  # Allensbach again, on line 9
    rows[7][5] = "0000"  # vb is not part of the AGS
    find(errors_for(write(rows)), 9, "ags", "duplicate AGS 08335002, already on line 8")


def test_duplicate_kreis(write) -> None:
    rows = sample()
    rows.append(rows[3])
    find(errors_for(write(rows)), 15, "", "duplicate Kreis record", "08 3 35", "line 5")


def test_gemeinde_without_kreis_record(write) -> None:
    rows = sample()
    rows.append(row("60", "64", "08", "3", "36", "0001", "001", "Irgendwo", " 1 000"))
    find(errors_for(write(rows)), 15, "kreis", "Kreis record (Satzart 40) for Kreis 08336")


def test_gemeindefreies_gebiet_in_a_missing_kreis_is_an_error(write) -> None:
    rows = sample()
    rows.append(row("60", "66", "08", "3", "36", "9999", "999", "Forst", "  0"))
    find(errors_for(write(rows)), 15, "kreis", "for Kreis 08336, found none")


def test_kreisfreie_code_in_a_landkreis(write) -> None:
    rows = sample()
    rows[6][1] = "61"
    find(errors_for(write(rows)), 8, "textkennzeichen", "found 61 in Kreis 08335", "line 5")


def test_plain_gemeinde_in_a_kreisfreie_stadt(write) -> None:
    rows = sample()
    rows[10][1] = "63"
    find(errors_for(write(rows)), 12, "textkennzeichen", "found 63 in Kreis 05916")


def test_county_ags_taken_by_a_gemeinde(write) -> None:
    rows = sample()
    rows[6][6] = "000"
    find(errors_for(write(rows)), 5, "gemeinde", "county AGS 08335000", "line 8")


def test_all_errors_are_collected_in_line_order(write) -> None:
    rows = sample()
    rows[0][2] = "99"
    rows[6][9] = "n/a"
    rows[10][1] = "69"
    errors = errors_for(write(rows))
    assert [(e.line, e.field) for e in errors] == [
        (2, "land"),
        (8, "bevoelkerung"),
        (12, "textkennzeichen"),
    ]


def test_long_error_lists_are_cut(write) -> None:
    rows = sample() + [row("70", name=f"bad {i}") for i in range(80)]
    with pytest.raises(GvIsysError) as info:
        read_gv_isys(write(rows))
    message = str(info.value)
    assert "(80 errors)" in message
    assert len(info.value.errors) == 80
    assert message.count("satzart: expected a record type") == 50
    assert message.endswith("… and 30 more")


def test_error_is_a_value_error(write) -> None:
    with pytest.raises(ValueError, match=r"auszug\.csv:8: bevoelkerung: expected"):
        rows = sample()
        rows[6][9] = "?"
        read_gv_isys(write(rows))


# --- hostile input: never a traceback ------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        '"' * 1000,
        HEADER + "\n" + '"' + "x" * 200_000,
        HEADER + "\n" + "a" * 200_000,
        HEADER + "\n" + ",".join(["60"] + ["1" * 5_000] * 19),
        HEADER + "\n" + HEADER,
        HEADER + "\r" + "\r".join(",".join(r) for r in sample()),
        HEADER + "\n" + "\n".join([",,,,,,,,,,,,,,,,,,,"] * 100),
        HEADER + "\n" + "60,61,05,9,16,0000,000,\u202e\u2028\ufeff,,1,,,,,,,,,,",
        "satzart\n60",
        ";;;;\n;;;;",
        HEADER.replace(",", ",,") + "\n" + to_text(sample()).split("\n", 1)[1],
    ],
)
def test_hostile_text(write, text: str) -> None:
    with pytest.raises(GvIsysError):
        read_gv_isys(write(text))


def test_random_mutations_only_give_gv_isys_errors(write) -> None:
    good = to_text(sample()).encode("utf-8")
    rng = random.Random(2020)
    for _ in range(300):
        data = bytearray(good)
        for _ in range(rng.randint(1, 8)):
            position = rng.randrange(len(data))
            action = rng.random()
            if action < 0.4:
                data[position] = rng.choice(b'0123456789,"\n\r ;x\xc3\xa4\xff')
            elif action < 0.7:
                del data[position]
            else:
                data.insert(position, rng.choice(b'",\n9'))
        with contextlib.suppress(GvIsysError):  # any other exception fails the test
            read_gv_isys(write(bytes(data)))


# --- the real Destatis export --------------------------------------------------------------------


@pytest.fixture(scope="module")
def real() -> GvIsysDirectory:
    if not REAL_FILE.is_file():
        pytest.skip(f"the GV-ISys reference export is not available at {REAL_FILE}")
    return read_gv_isys(REAL_FILE, population_date_from_filename(REAL_FILE))


@pytest.fixture(scope="module")
def real_by_ags(real: GvIsysDirectory) -> dict[str, Municipality]:
    return by_ags(real)


def test_real_counts(real: GvIsysDirectory) -> None:
    assert real.gemeinden == 11_004
    assert real.kreise == 401
    assert real.kreisfreie == 107
    assert real.lines == 16_068
    counties = [m for m in real.municipalities if m.kind.is_county]
    assert len(counties) == 294
    assert len(real.municipalities) == 11_004 + 294
    assert all(not m.kind.is_county for m in real.municipalities[:11_004])


def test_real_population_date(real: GvIsysDirectory) -> None:
    assert {m.population_date for m in real.municipalities} == {date(2020, 12, 31)}
    assert {m.source for m in real.municipalities} == {"gv-isys"}


@pytest.mark.parametrize(
    ("ags", "kind", "population", "size_class", "kreis_ags"),
    [
        ("05916000", "kreisfreie_stadt", 156_449, "GK3", None),
        ("08335043", "grosse_kreisstadt", 84_911, "GK4", "08335000"),
        ("09472175", "stadt", 13_263, "GK6", "09472000"),
        ("11000000", "kreisfreie_stadt", 3_669_491, "GK1", None),
        ("08221000", "stadtkreis", None, None, None),
        ("10041000", "regionalverband", None, None, None),
    ],
)
def test_real_municipalities(
    real_by_ags: dict[str, Municipality],
    ags: str,
    kind: str,
    population: int | None,
    size_class: str | None,
    kreis_ags: str | None,
) -> None:
    municipality = real_by_ags[ags]
    assert municipality.kind == kind
    if population is not None:
        assert municipality.population == population
        assert municipality.size_class == size_class
    assert municipality.kreis_ags == kreis_ags


def test_real_landkreis_konstanz_is_the_sum_of_its_gemeinden(
    real: GvIsysDirectory, real_by_ags: dict[str, Municipality]
) -> None:
    county = real_by_ags["08335000"]
    members = [m for m in real.municipalities if m.kreis_ags == "08335000"]
    assert county.kind is MunicipalityKind.LANDKREIS
    assert len(members) == 25
    assert county.population == sum(m.population or 0 for m in members)
    assert county.size_class == "GK1"


def test_real_every_kreisangehoerige_gemeinde_points_to_a_county(real: GvIsysDirectory) -> None:
    counties = {m.ags for m in real.municipalities if m.kind.is_county}
    pointed = {m.kreis_ags for m in real.municipalities if m.kreis_ags is not None}
    assert pointed == counties


def test_real_file_as_windows_1252(real: GvIsysDirectory, tmp_path: Path) -> None:
    copy = tmp_path / "31122020_Auszug_GV.csv"
    text = REAL_FILE.read_text(encoding="utf-8-sig")
    copy.write_bytes(text.encode("cp1252", errors="replace"))  # a few Sorbian letters become ?
    again = read_gv_isys(copy, population_date_from_filename(copy))
    assert (again.gemeinden, again.kreise, again.kreisfreie) == (11_004, 401, 107)
    assert [(m.ags, m.kind, m.population) for m in again.municipalities] == [
        (m.ags, m.kind, m.population) for m in real.municipalities
    ]
    assert by_ags(again)["09472175"].name == "Pegnitz, St"
    assert by_ags(again)["08335043"].name == "Konstanz, Universitätsstadt"

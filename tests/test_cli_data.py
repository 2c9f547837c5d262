"""The database commands of `nhm`, run as real processes: municipalities, import, export,
assessments, the JSON Schema, a database held by another process and a killed import."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from db_snapshot import counts, db_snapshot_of
from typer.testing import CliRunner

from nhm.catalog import load_catalog
from nhm.cli import app
from nhm.exchange.importer import import_assessment_files
from nhm.store import open_store

REPO_ROOT = Path(__file__).resolve().parent.parent
EXAMPLES_DIR = REPO_ROOT / "assessments"
EXAMPLES = sorted(EXAMPLES_DIR.glob("*.json"))
MUSTERSTADT_2025 = EXAMPLES_DIR / "musterstadt-2025.json"
KLEINMUSTERDORF = EXAMPLES_DIR / "kleinmusterdorf-2025.json"

Cli = Callable[..., subprocess.CompletedProcess[str]]
runner = CliRunner()


def _no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert "unexpected" not in result.stderr, result.stderr


# --- municipalities --------------------------------------------------------------------------


def test_municipalities_add_list_and_refuse_invalid_input(tmp_path: Path, nhm_cli: Cli) -> None:
    db = str(tmp_path / "nhm.duckdb")
    added = nhm_cli(
        "municipalities", "add", "--ags", "05315000", "--name", "Köln",
        "--kind", "kreisfreie_stadt", "--population", "1024621", "--db", db,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == "saved 05315000 Köln (GK1)"

    bad_kind = nhm_cli(
        "municipalities", "add", "--ags", "05315000", "--name", "Köln", "--kind", "dorf",
        "--db", db,
    )  # fmt: skip
    assert bad_kind.returncode == 1, bad_kind.stderr
    assert "--kind" in bad_kind.stderr and "'dorf'" in bad_kind.stderr
    assert "kreisfreie_stadt" in bad_kind.stderr  # says what is allowed
    _no_traceback(bad_kind)

    bad_ags = nhm_cli(
        "municipalities", "add", "--ags", "5315000", "--name", "Köln", "--kind", "stadt",
        "--db", db,
    )  # fmt: skip
    assert bad_ags.returncode == 1, bad_ags.stderr
    assert bad_ags.stderr.startswith("error: --ags: ")
    _no_traceback(bad_ags)

    listed = nhm_cli("municipalities", "list", "--json", "--db", db)
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout) == [
        {
            "ags": "05315000",
            "name": "Köln",
            "kind": "kreisfreie_stadt",
            "land": "05",
            "population": 1024621,
            "size_class": "GK1",
        }
    ]


@pytest.mark.parametrize(
    ("args", "option", "message"),
    [
        (["--ags", "0531500x", "--kind", "stadt"], "--ags", "pattern"),
        (["--ags", "17315000", "--kind", "stadt"], "--ags", "Land code 01–16"),
        (["--ags", "05315001", "--kind", "landkreis"], "--ags", "ends in 000"),
        (["--ags", "05199001", "--kind", "gemeinde"], "--ags", "fictional demo"),
        (["--ags", "05315000", "--kind", "Stadt"], "--kind", "found 'Stadt'"),
        (
            ["--ags", "05315000", "--kind", "stadt", "--population", "-1"],
            "--population",
            "greater than or equal to 0",
        ),
        (
            ["--ags", "05315000", "--kind", "stadt", "--population-date", "2024-02-30"],
            "--population-date",
            "YYYY-MM-DD",
        ),
    ],
    ids=["ags-letters", "land-17", "county-ags", "demo-ags", "kind-case", "population", "date"],
)
def test_municipalities_add_names_the_wrong_option(
    tmp_path: Path, args: list[str], option: str, message: str
) -> None:
    db = tmp_path / "nhm.duckdb"
    result = runner.invoke(
        app, ["municipalities", "add", "--name", "Testort", *args, "--db", str(db)]
    )
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert lines, result.output
    assert all(line.startswith(f"error: {option}: ") for line in lines), lines
    assert message in result.stderr
    assert not db.exists()  # refused before the database was touched


# --- import, list, export --------------------------------------------------------------------


def test_import_list_and_export(tmp_path: Path, nhm_cli: Cli) -> None:
    db = str(tmp_path / "nhm.duckdb")
    imported = nhm_cli("import", "--db", db, *map(str, EXAMPLES))
    assert imported.returncode == 0, imported.stderr
    assert f"{len(EXAMPLES)} file(s) valid; {len(EXAMPLES)} created (saved)" in imported.stdout
    assert all(f"{path}: " in imported.stdout for path in EXAMPLES)
    assert "5 municipality(ies) not in the database were added" in imported.stderr

    listed = nhm_cli("assessments", "list", "--json", "--db", db)
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    examples = [json.loads(p.read_text(encoding="utf-8")) for p in EXAMPLES]
    expected = sorted(
        (
            e["municipality"]["ags"],
            e["municipality"]["name"],
            e["period"],
            e["revision"],
            e["status"],
            len(e["responses"]),
            sum(1 for r in e["responses"] if r.get("not_applicable")),
        )
        for e in examples
    )
    fields = ("ags", "name", "period", "revision", "status", "answered", "not_applicable")
    got = [tuple(row[field] for field in fields) for row in rows]
    assert got == expected
    for row in rows:
        assert row["demo"] is True
        assert row["answered"] + row["unanswered"] == row["criteria"] == 44

    out_json, out_yaml, out_csv = (tmp_path / f"musterstadt.{s}" for s in ("json", "yaml", "csv"))
    as_json = nhm_cli("export", "--ags", "05199000", "--period", "2025", "--out", str(out_json),
                      "--db", db)  # fmt: skip
    assert as_json.returncode == 0, as_json.stderr
    assert as_json.stdout.strip() == f"wrote {out_json} (json, 44 responses)"
    assert out_json.read_bytes() == MUSTERSTADT_2025.read_bytes()

    as_yaml = nhm_cli("export", "--ags", "05199000", "--period", "2025", "--out", str(out_yaml),
                      "--format", "yaml", "--db", db)  # fmt: skip
    assert as_yaml.returncode == 0, as_yaml.stderr
    text = out_yaml.read_text(encoding="utf-8")
    assert '  ags: "05199000"\n' in text
    assert yaml.safe_load(text) == json.loads(MUSTERSTADT_2025.read_text(encoding="utf-8"))

    as_csv = nhm_cli("export", "--ags", "05199000", "--period", "2025", "--out", str(out_csv),
                     "--delimiter", ";", "--lang", "en", "--db", db)  # fmt: skip
    assert as_csv.returncode == 0, as_csv.stderr
    raw = out_csv.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM for Excel
    table = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    header, body = table[0], table[1:]
    catalog, _ = load_catalog()
    ids = [d.full_id(c) for d, c in catalog.iter_criteria()]
    assert header[0] == "AGS" and "Criterion ID" in header and "Level" in header
    assert [row[header.index("Criterion ID")] for row in body] == ids
    source = json.loads(MUSTERSTADT_2025.read_text(encoding="utf-8"))
    levels = {r["criterion"]: str(r["level"]) for r in source["responses"]}
    assert {row[header.index("Criterion ID")]: row[header.index("Level")] for row in body} == (
        levels
    )

    missing = nhm_cli("export", "--ags", "05199000", "--period", "2019", "--out",
                      str(tmp_path / "nichts.json"), "--db", db)  # fmt: skip
    assert missing.returncode == 1
    assert missing.stderr.strip() == "error: there is no assessment of 05199000 for 2019"
    assert not (tmp_path / "nichts.json").exists()
    _no_traceback(missing)


def test_schema_assessment_prints_a_json_schema(nhm_cli: Cli) -> None:
    result = nhm_cli("schema", "assessment")
    assert result.returncode == 0, result.stderr
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["properties"]["format"]["const"] == "nhm-assessment/1"
    assert {"format", "municipality", "period"} <= set(schema["required"])


# --- a database held by another process ------------------------------------------------------


def test_database_held_by_another_process_exits_2(
    tmp_path: Path, nhm_cli: Cli, hold_database: Callable[[Path], int]
) -> None:
    db = tmp_path / "held.duckdb"
    pid = hold_database(db)
    result = nhm_cli("assessments", "list", "--db", str(db))
    assert result.returncode == 2, result.stderr
    assert str(db) in result.stderr
    assert f"PID {pid}" in result.stderr
    _no_traceback(result)


# --- an import killed halfway through --------------------------------------------------------

KILLED_IMPORT = textwrap.dedent(
    """
    import json
    import sys
    import time
    from pathlib import Path

    import nhm.store.assessments as assessments
    from nhm.catalog import load_catalog
    from nhm.exchange.importer import import_assessment_files
    from nhm.store import open_store

    db, folder, marker, example = map(Path, sys.argv[1:5])
    base = json.loads(example.read_text(encoding="utf-8"))
    paths = []
    for number in range(1, 301):
        data = dict(base)
        data["municipality"] = dict(
            base["municipality"],
            ags=f"05199{number:03d}",
            name=f"Demodorf {number}",
            kind="gemeinde",
        )
        path = folder / f"demodorf-{number:03d}.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        paths.append(path)

    original = assessments._append_responses

    def stall(cursor, rows):
        original(cursor, rows)
        written = cursor.execute("SELECT count(*) FROM response").fetchone()[0]
        marker.write_text(str(written))  # inside the open transaction, nothing committed yet
        time.sleep(60)

    assessments._append_responses = stall
    catalog, _ = load_catalog()
    with open_store(db) as store:
        report = import_assessment_files(store, paths, catalog, "child")
    print("the import finished; it should have been killed", report.ok, flush=True)
    sys.exit(3)
    """
)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_import_killed_halfway_leaves_the_database_as_it_was(tmp_path: Path) -> None:
    db = tmp_path / "nhm.duckdb"
    catalog, _ = load_catalog()
    with open_store(db) as store:
        report = import_assessment_files(store, [KLEINMUSTERDORF], catalog, "tester")
        assert report.ok, report.errors
    before = db_snapshot_of(db)
    assert counts(before)["response"] > 0

    script = tmp_path / "killed_import.py"
    script.write_text(KILLED_IMPORT, encoding="utf-8")
    folder = tmp_path / "files"
    folder.mkdir()
    marker = tmp_path / "halfway"
    child = subprocess.Popen(
        [sys.executable, str(script), str(db), str(folder), str(marker), str(MUSTERSTADT_2025)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists() or not marker.read_text():
            if child.poll() is not None:
                _, err = child.communicate()
                pytest.fail(f"the child ended before the marker (rc {child.returncode}):\n{err}")
            if time.monotonic() > deadline:
                pytest.fail("the child did not reach the middle of the import within 60 s")
            time.sleep(0.05)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.communicate()
    assert child.returncode == -signal.SIGKILL
    in_transaction = int(marker.read_text())
    assert in_transaction >= counts(before)["response"] + 300 * 44  # really written, uncommitted

    after = db_snapshot_of(db)  # opens (replaying the WAL) without error
    assert after == before
    with open_store(db) as store:  # and is usable: the same import now goes through
        report = import_assessment_files(store, [MUSTERSTADT_2025], catalog, "tester")
        assert report.ok, report.errors
        assert [r.action for r in report.results] == ["created"]


def test_usage_errors_exit_1_without_traceback(nhm_cli: Cli) -> None:
    """Exit code 2 means "database unavailable"; a mistyped option is invalid input (1)."""
    result = nhm_cli("export", "--ags", "05916000", "--period", "abc", "--out", "x.json")
    assert result.returncode == 1, result.stderr
    assert "--period" in result.stderr
    _no_traceback(result)

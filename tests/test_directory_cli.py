"""Loading the official municipality directory through the command, as a user does."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SHARED

DIRECTORY = SHARED / "reference" / "gemeindeverzeichnis-auszug-2020q4.csv"

pytestmark = pytest.mark.skipif(
    not DIRECTORY.is_file(),
    reason=f"the GV-ISys reference file is not available at {DIRECTORY}",
)

Cli = Callable[..., subprocess.CompletedProcess[str]]


def listed(nhm_cli: Cli, db: Path, *options: str) -> list[dict[str, object]]:
    result = nhm_cli("municipalities", "list", "--json", "--db", str(db), *options)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_directory_import_counts_classes_and_reimport(nhm_cli: Cli, tmp_path: Path) -> None:
    db = tmp_path / "nhm.duckdb"
    first = nhm_cli("municipalities", "import", str(DIRECTORY), "--db", str(db))
    assert first.returncode == 0, first.stderr
    assert "11,004 Gemeinden and 401 Kreise" in first.stdout
    assert "11,298 new" in first.stdout

    everything = listed(nhm_cli, db)
    assert len(everything) == 11_004 + 294
    assert set(everything[0]) == {"ags", "name", "kind", "land", "population", "size_class"}
    by_ags = {row["ags"]: row for row in everything}
    assert by_ags["05916000"] == {
        "ags": "05916000",
        "name": "Herne, Stadt",
        "kind": "kreisfreie_stadt",
        "land": "05",
        "population": 156_449,
        "size_class": "GK3",
    }
    assert by_ags["08335043"]["size_class"] == "GK4"
    assert by_ags["08335043"]["kind"] == "grosse_kreisstadt"
    assert by_ags["09472175"]["size_class"] == "GK6"
    assert by_ags["09472175"]["population"] == 13_263
    # Landkreis Konstanz: the file gives no population, so it is the sum of its Gemeinden
    konstanz_county = sum(
        row["population"] or 0
        for row in everything
        if str(row["ags"]).startswith("08335") and row["ags"] != "08335000"
    )
    assert by_ags["08335000"]["population"] == konstanz_county
    assert by_ags["08335000"]["size_class"] == "GK1"  # counties: >= 250,000

    assert len(listed(nhm_cli, db, "--level", "gemeinde")) == 11_004
    assert len(listed(nhm_cli, db, "--level", "kreis")) == 401

    again = nhm_cli("municipalities", "import", str(DIRECTORY), "--db", str(db))
    assert again.returncode == 0, again.stderr
    assert "0 new, 11,298 updated" in again.stdout
    assert len(listed(nhm_cli, db)) == 11_298

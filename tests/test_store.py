"""The DuckDB store, on real database files: opening, migrations, the lock held by another
process, municipalities, the assessment lifecycle, rings, the audit log and atomicity."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import platformdirs
import pytest
from conftest import HOLDER_SCRIPT

from nhm.assessment import AssessmentStatus, EvidenceStatus, Response
from nhm.catalog import load_catalog
from nhm.model import Catalog
from nhm.municipality import Municipality, MunicipalityKind
from nhm.store import (
    ConflictError,
    DatabaseLockedError,
    DatabaseUnavailableError,
    InvalidDataError,
    NotFoundError,
    ReadOnlyError,
    StaleWriteError,
    Store,
    StoreError,
    database,
    open_store,
    resolve_db_path,
)
from nhm.store import audit as audit_module
from nhm.store.assessments import AssessmentRecord
from nhm.store.errors import SchemaTooNewError

K = MunicipalityKind
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "nhm" / "store" / "migrations"
MANDATE = "governance_actors.council_mandate"
LEADERSHIP = "governance_actors.administrative_leadership"
COMPANIES = "governance_actors.municipal_companies"
HERNE = "05916000"
KEY_R1 = f"{HERNE}/2025/r1"
KEY_R2 = f"{HERNE}/2025/r2"


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def no_db_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The caller's NHM_DB must not leak into the tests (clean_env leaves it alone)."""
    monkeypatch.delenv("NHM_DB", raising=False)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    """The real catalog of the built-in dimensions, loaded once. Module-scoped fixtures are
    set up before the autouse ``clean_env``, so clear the plugin variables here as well."""
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("NHM_PLUGIN_DIRS", raising=False)
        mp.delenv("NHM_DISABLE_PLUGINS", raising=False)
        loaded, _ = load_catalog()
    assert len(loaded.dimensions) == 5
    assert sum(1 for _ in loaded.iter_criteria()) == 44
    return loaded


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "nhm.duckdb"


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> dict[str, Path]:
    """Database files made once through the real write path and copied for each test (much
    faster than migrating and filling a new file every time): an empty one, and one holding
    Herne (saved by admin) with the draft revision 1 of its 2025 assessment (by alice)."""
    folder = tmp_path_factory.mktemp("templates")
    empty, with_draft = folder / "empty.duckdb", folder / "draft.duckdb"
    with open_store(empty):
        pass
    with open_store(with_draft) as store:
        store.municipalities.save(HERNE_CITY, "admin")
        store.assessments.create_draft(HERNE, 2025, catalog, "alice")
    assert sorted(p.name for p in folder.iterdir()) == ["draft.duckdb", "empty.duckdb"]
    return {"empty": empty, "draft": with_draft}


@pytest.fixture
def store(
    request: pytest.FixtureRequest, db_path: Path, templates: dict[str, Path]
) -> Iterator[Store]:
    """An open store on a file of its own: a copy of the draft template when the test uses
    the ``draft`` fixture, else of the empty one."""
    template = templates["draft" if "draft" in request.fixturenames else "empty"]
    db_path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, db_path)
    with open_store(db_path) as opened:
        yield opened


def municipality(ags: str, name: str, kind: K = K.STADT, **more: Any) -> Municipality:
    return Municipality(ags=ags, name=name, kind=kind, **more)


HERNE_CITY = municipality(
    HERNE,
    "Herne",
    K.KREISFREIE_STADT,
    population=148_000,
    population_date=date(2024, 12, 31),
    source="gv-isys",
)


@pytest.fixture
def draft(store: Store) -> AssessmentRecord:
    """Revision 1 of Herne's 2025 assessment, a draft without answers (from the template)."""
    record = store.assessments.get(HERNE, 2025)
    assert record is not None and record.is_draft and record.version == 1
    return record


def level(value: int, **more: Any) -> Response:
    return Response(level=value, **more)


NOT_APPLICABLE = Response(not_applicable=True, justification="Die Stadt hat keine Beteiligungen.")


def row_count(store: Store, table: str) -> int:
    with store.cursor() as cursor:
        row = cursor.execute(f"SELECT count(*) FROM {table}").fetchone()
    assert row is not None
    return int(row[0])


# --- location ------------------------------------------------------------------------------


def test_explicit_path_wins_over_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("NHM_DB", str(tmp_path / "from-env.duckdb"))
    assert resolve_db_path(tmp_path / "explicit.duckdb") == tmp_path / "explicit.duckdb"
    assert resolve_db_path(str(tmp_path / "explicit.duckdb")) == tmp_path / "explicit.duckdb"


def test_environment_wins_over_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NHM_DB", f"  {tmp_path / 'from-env.duckdb'}  ")
    assert resolve_db_path() == tmp_path / "from-env.duckdb"
    assert resolve_db_path(None) == tmp_path / "from-env.duckdb"
    assert resolve_db_path("") == tmp_path / "from-env.duckdb"


@pytest.mark.parametrize("value", [None, "", "   "])
def test_default_is_the_per_user_data_folder(
    monkeypatch: pytest.MonkeyPatch, value: str | None
) -> None:
    if value is not None:
        monkeypatch.setenv("NHM_DB", value)
    expected = Path(platformdirs.user_data_dir("nhm", appauthor=False)) / "nhm.duckdb"
    assert resolve_db_path() == expected


@pytest.mark.skipif(sys.platform != "linux", reason="XDG_DATA_HOME applies on Linux")
def test_default_follows_xdg_data_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert resolve_db_path() == tmp_path / "xdg" / "nhm" / "nhm.duckdb"


def test_home_folder_is_expanded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert resolve_db_path("~/explicit.duckdb") == tmp_path / "explicit.duckdb"
    monkeypatch.setenv("NHM_DB", "~/env.duckdb")
    assert resolve_db_path() == tmp_path / "env.duckdb"


# --- opening and migrations ----------------------------------------------------------------


def schema_rows(store: Store) -> list[tuple[int, str, datetime]]:
    with store.cursor() as cursor:
        return cursor.execute(
            "SELECT version, name, applied_at FROM schema_version ORDER BY version"
        ).fetchall()


def test_open_creates_file_and_applies_every_migration(db_path: Path) -> None:
    files = sorted(MIGRATIONS_DIR.glob("*.sql"))
    assert files, "no migrations found"
    assert not db_path.parent.exists()
    with open_store(db_path) as store:
        assert db_path.is_file()
        rows = schema_rows(store)
        assert [row[0] for row in rows] == list(range(1, len(files) + 1))
        assert [f"{v:04d}_{name}.sql" for v, name, _ in rows] == [f.name for f in files]
        assert store.schema_version() == len(files)
        for table in ("municipality", "assessment", "response", "ring", "audit_log"):
            assert row_count(store, table) == 0


def test_reopening_does_not_apply_migrations_again(db_path: Path) -> None:
    with open_store(db_path) as store:
        first = schema_rows(store)
        store.municipalities.save(HERNE_CITY, "admin")
    with open_store(db_path) as store:
        assert schema_rows(store) == first
        assert store.municipalities.get(HERNE) == HERNE_CITY


def test_only_missing_migrations_are_applied_each_in_one_transaction(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(db_path) as store:
        first = schema_rows(store)
    shipped = database.migrations()
    broken = (len(shipped) + 1, "broken", "CREATE TABLE half (x INTEGER); SELECT * FROM nowhere")
    monkeypatch.setattr(database, "migrations", lambda: [*shipped, broken])
    with pytest.raises(duckdb.Error, match="nowhere"):
        open_store(db_path)
    extra = (len(shipped) + 1, "extra", "CREATE TABLE extra (x INTEGER)")
    monkeypatch.setattr(database, "migrations", lambda: [*shipped, extra])
    with open_store(db_path) as store:
        rows = schema_rows(store)
        assert rows[:-1] == first  # the shipped ones are not applied again
        assert [(v, name) for v, name, _ in rows[-1:]] == [(len(shipped) + 1, "extra")]
        assert store.schema_version() == len(shipped) + 1
        with store.cursor() as cursor:
            tables = {
                r[0] for r in cursor.execute("SELECT table_name FROM duckdb_tables()").fetchall()
            }
        assert "extra" in tables
        assert "half" not in tables  # the failed migration left nothing behind


def test_file_from_newer_nhm_is_refused(db_path: Path) -> None:
    with open_store(db_path) as store, store.transaction() as cursor:
        cursor.execute("INSERT INTO schema_version VALUES (999, 'future', now()::TIMESTAMP)")
    with pytest.raises(SchemaTooNewError, match="update nhm") as info:
        open_store(db_path)
    assert isinstance(info.value, DatabaseUnavailableError)
    assert info.value.path == db_path
    assert "999" in str(info.value)
    assert str(db_path) in str(info.value)
    # The refused open closed its connection: the file can be opened (and repaired) again.
    connection = duckdb.connect(str(db_path))
    try:
        connection.execute("DELETE FROM schema_version WHERE version = 999")
    finally:
        connection.close()
    with open_store(db_path) as store:
        assert store.schema_version() == len(list(MIGRATIONS_DIR.glob("*.sql")))


def test_text_file_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.duckdb"
    path.write_text("Dies ist keine Datenbank.\n" * 100, encoding="utf-8")
    with pytest.raises(DatabaseUnavailableError) as info:
        open_store(path)
    assert not isinstance(info.value, DatabaseLockedError)
    assert str(path) in str(info.value)
    assert info.value.path == path
    assert path.read_text(encoding="utf-8") == "Dies ist keine Datenbank.\n" * 100


def test_folder_is_not_a_database(tmp_path: Path) -> None:
    with pytest.raises(DatabaseUnavailableError, match="is a folder, not a database") as info:
        open_store(tmp_path)
    assert str(tmp_path) in str(info.value)


def test_database_below_a_file_is_refused(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(DatabaseUnavailableError) as info:
        open_store(blocker / "nhm.duckdb")
    assert str(blocker / "nhm.duckdb") in str(info.value)


def test_closed_store_refuses_cursors(db_path: Path) -> None:
    store = open_store(db_path)
    store.close()
    store.close()  # closing twice is harmless
    with pytest.raises(DatabaseUnavailableError, match=r"is closed$"), store.cursor():
        pass
    with pytest.raises(DatabaseUnavailableError, match=r"is closed$"):
        store.municipalities.get(HERNE)


def test_store_errors_share_a_base_class() -> None:
    for error in (
        ConflictError,
        DatabaseUnavailableError,
        InvalidDataError,
        NotFoundError,
        ReadOnlyError,
        StaleWriteError,
    ):
        assert issubclass(error, StoreError)
    assert issubclass(StaleWriteError, ConflictError)
    assert issubclass(ReadOnlyError, ConflictError)


# --- the lock held by another process ------------------------------------------------------


def test_file_held_by_another_process_is_locked(db_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER_SCRIPT, str(db_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        line = holder.stdout.readline()
        assert line.strip() == "ready", holder.stderr.read() if holder.stderr else line
        with pytest.raises(DatabaseLockedError) as info:
            open_store(db_path)
        assert info.value.pid == holder.pid
        assert f"PID {holder.pid}" in str(info.value)
        assert str(db_path) in str(info.value)
        assert info.value.path == db_path
    finally:
        if holder.stdin is not None:
            holder.stdin.close()
        try:
            holder.wait(timeout=20)
        except subprocess.TimeoutExpired:
            holder.kill()
            holder.wait()
    assert holder.returncode == 0
    with open_store(db_path) as store:  # released when the other process ends
        assert store.schema_version() >= 1


# --- municipalities ------------------------------------------------------------------------

DIRECTORY = [
    HERNE_CITY,
    municipality("05962000", "Märkischer Kreis", K.KREIS, population=400_000),
    municipality("05962004", "Altena, Stadt", K.STADT, kreis_ags="05962000", population=16_000),
    municipality("08111000", "Stuttgart, Landeshauptstadt", K.STADTKREIS, population=630_000),
    municipality("09462000", "Bayreuth", K.KREISFREIE_STADT, population=74_000),
    municipality("09472000", "Bayreuth", K.LANDKREIS, population=103_000),
    municipality("09472175", "Pegnitz, St", K.STADT, kreis_ags="09472000", population=13_400),
    municipality("09472116", "Gesees", K.GEMEINDE, kreis_ags="09472000"),
    municipality("05199000", "Musterstadt", K.KREISFREIE_STADT, is_demo=True),
]


@pytest.fixture
def directory(store: Store) -> Store:
    store.municipalities.save_many(DIRECTORY, "importer", "imported")
    return store


def ags_of(municipalities: list[Municipality]) -> list[str]:
    return [m.ags for m in municipalities]


def test_save_get_and_require(store: Store) -> None:
    assert store.municipalities.get(HERNE) is None
    store.municipalities.save(HERNE_CITY, "admin")
    assert store.municipalities.get(HERNE) == HERNE_CITY
    assert store.municipalities.require(HERNE) == HERNE_CITY
    assert store.municipalities.count() == 1
    with pytest.raises(NotFoundError, match="no municipality with AGS 01001000") as info:
        store.municipalities.require("01001000")
    assert "nhm municipalities import" in str(info.value)


def test_save_replaces_the_stored_values(store: Store) -> None:
    store.municipalities.save(HERNE_CITY, "admin")
    changed = HERNE_CITY.model_copy(update={"name": "Herne, Stadt", "population": 160_000})
    store.municipalities.save(changed, "admin")
    assert store.municipalities.count() == 1
    assert store.municipalities.require(HERNE) == changed


def test_save_many_upserts_in_place(directory: Store) -> None:
    assert directory.municipalities.count() == len(DIRECTORY)
    pegnitz = directory.municipalities.require("09472175")
    update = [
        pegnitz.model_copy(update={"name": "Pegnitz, Stadt", "population": 9_000}),
        municipality("09472117", "Glashütten", K.GEMEINDE, kreis_ags="09472000"),
    ]
    directory.municipalities.save_many(update, "importer", "imported")
    assert directory.municipalities.count() == len(DIRECTORY) + 1
    stored = directory.municipalities.require("09472175")
    assert (stored.name, stored.population, stored.kreis_ags) == (
        "Pegnitz, Stadt",
        9_000,
        "09472000",
    )
    assert stored.size_class == "GK7"
    with directory.cursor() as cursor:  # the cached size class column follows the update
        row = cursor.execute(
            "SELECT size_class, land, is_county FROM municipality WHERE ags = '09472175'"
        ).fetchone()
    assert row == ("GK7", "09", False)
    assert directory.municipalities.require("09472117").name == "Glashütten"
    assert directory.municipalities.require(HERNE) == HERNE_CITY  # untouched


def test_save_many_of_nothing_writes_nothing(store: Store) -> None:
    store.municipalities.save_many([], "importer", "imported")
    assert store.municipalities.count() == 0
    assert store.audit.entries() == []


def test_list_is_ordered_by_ags(directory: Store) -> None:
    assert ags_of(directory.municipalities.list()) == sorted(m.ags for m in DIRECTORY)
    assert ags_of(directory.municipalities.list(limit=2)) == ["05199000", HERNE]


def test_list_by_land_and_kind(directory: Store) -> None:
    assert ags_of(directory.municipalities.list(land="08")) == ["08111000"]
    assert ags_of(directory.municipalities.list(land="05")) == [
        "05199000",
        HERNE,
        "05962000",
        "05962004",
    ]
    assert ags_of(directory.municipalities.list(kind=K.KREISFREIE_STADT)) == [
        "05199000",
        HERNE,
        "09462000",
    ]
    assert ags_of(directory.municipalities.list(land="09", kind=K.STADT)) == ["09472175"]
    assert directory.municipalities.list(land="16") == []


def test_list_by_level(directory: Store) -> None:
    gemeinden = ags_of(directory.municipalities.list(level="gemeinde"))
    kreise = ags_of(directory.municipalities.list(level="kreis"))
    assert gemeinden == [
        "05199000",
        HERNE,
        "05962004",
        "08111000",
        "09462000",
        "09472116",
        "09472175",
    ]
    assert kreise == ["05199000", HERNE, "05962000", "08111000", "09462000", "09472000"]
    # kreisfreie Städte and Stadtkreise are Gemeinde and Kreis at once
    assert set(gemeinden) & set(kreise) == {"05199000", HERNE, "08111000", "09462000"}
    assert ags_of(directory.municipalities.list(land="09", level="kreis")) == [
        "09462000",
        "09472000",
    ]


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("bayreuth", ["09462000", "09472000"]),
        ("BAYREUTH", ["09462000", "09472000"]),
        ("reut", ["09462000", "09472000"]),
        ("  pegnitz ", ["09472175"]),
        ("märkischer", ["05962000"]),
        ("MÄRKISCHER", ["05962000"]),
        ("stadt", ["05962004", "08111000", "05199000"]),
        ("0947", ["09472000", "09472116", "09472175"]),
        ("05962", ["05962000", "05962004"]),
        ("59", []),  # AGS by prefix only, not anywhere inside
        ("%", []),
        ("_", []),
        ("b%th", []),
        ("bay_euth", []),
        ("Pegnitz, St", ["09472175"]),
    ],
)
def test_list_search(directory: Store, search: str, expected: list[str]) -> None:
    assert ags_of(directory.municipalities.list(search=search)) == sorted(expected)


def test_search_text_with_wildcards_is_literal(store: Store) -> None:
    store.municipalities.save_many(
        [
            municipality("09472175", "Pegnitz, St", K.STADT),
            municipality("09472176", "Test_Ort 100%", K.GEMEINDE),
            municipality("09472177", "TestXOrt 1000", K.GEMEINDE),
        ],
        "importer",
        "imported",
    )
    assert ags_of(store.municipalities.list(search="_")) == ["09472176"]
    assert ags_of(store.municipalities.list(search="test_ort")) == ["09472176"]
    assert ags_of(store.municipalities.list(search="100%")) == ["09472176"]
    assert ags_of(store.municipalities.list(search="%")) == ["09472176"]


def test_existing(directory: Store) -> None:
    assert directory.municipalities.existing([HERNE, "01001000", "09472175"]) == {
        HERNE,
        "09472175",
    }
    assert directory.municipalities.existing([]) == set()
    assert directory.municipalities.existing(["01001000"]) == set()


def test_municipality_writes_are_audited(store: Store) -> None:
    store.municipalities.save(HERNE_CITY, "admin")
    store.municipalities.save_many(DIRECTORY[1:4], "importer", "imported")
    newest, first = store.audit.entries(entity="municipality")
    assert (first.actor, first.action, first.entity_key) == ("admin", "municipality.saved", HERNE)
    assert first.detail is not None
    assert first.detail["name"] == "Herne"
    assert first.detail["population"] == 148_000
    assert (newest.actor, newest.action, newest.entity_key) == (
        "importer",
        "municipality.imported",
        "*",
    )
    assert newest.detail == {"count": 3, "sources": ["manual"]}
    assert first.at.tzinfo is None  # naive UTC, like every TIMESTAMP column
    assert abs((datetime.now(UTC).replace(tzinfo=None) - first.at).total_seconds()) < 60


# --- assessments ---------------------------------------------------------------------------


def test_create_draft_needs_a_known_municipality(store: Store, catalog: Catalog) -> None:
    with pytest.raises(NotFoundError, match=HERNE):
        store.assessments.create_draft(HERNE, 2025, catalog, "alice")
    assert row_count(store, "assessment") == 0
    assert row_count(store, "assessment_dimension") == 0
    assert store.audit.entries() == []


def test_create_draft(draft: AssessmentRecord, store: Store, catalog: Catalog) -> None:
    assert (draft.ags, draft.period, draft.revision) == (HERNE, 2025, 1)
    assert draft.status is AssessmentStatus.DRAFT
    assert draft.is_draft
    assert draft.version == 1
    assert draft.responses == {} and draft.response_versions == {}
    assert draft.created_by == draft.updated_by == "alice"
    assert draft.submitted_at is None and draft.submitted_by is None
    assert draft.key == KEY_R1
    assert draft.dimension_versions == catalog.versions()
    assert len(draft.dimension_versions) == 5
    assert draft.response_version(MANDATE) == 0
    assert store.assessments.get(HERNE, 2025) == draft


def test_second_draft_for_same_period_conflicts(
    draft: AssessmentRecord, store: Store, catalog: Catalog
) -> None:
    with pytest.raises(ConflictError, match="already exists"):
        store.assessments.create_draft(HERNE, 2025, catalog, "bob")
    other = store.assessments.create_draft(HERNE, 2024, catalog, "bob")
    assert (other.period, other.revision) == (2024, 1)
    assert other.id != draft.id
    assert row_count(store, "assessment") == 2


def test_save_response_with_versions(
    draft: AssessmentRecord, store: Store, catalog: Catalog
) -> None:
    first = store.assessments.save_response(draft.id, MANDATE, level(2), 0, catalog, "alice")
    assert first.responses[MANDATE].level == 2
    assert first.response_version(MANDATE) == first.version == 2  # the assessment's counter
    second = store.assessments.save_response(
        draft.id,
        MANDATE,
        level(3, evidence_status=EvidenceStatus.DOCUMENTED, evidence_reference="Ratsbeschluss"),
        first.response_version(MANDATE),
        catalog,
        "bob",
    )
    answer = second.responses[MANDATE]
    assert (answer.level, answer.evidence_status, answer.evidence_reference) == (
        3,
        EvidenceStatus.DOCUMENTED,
        "Ratsbeschluss",
    )
    assert answer.answered_by == "bob"
    assert second.response_version(MANDATE) == second.version == 3
    assert second.updated_by == "bob"
    assert store.assessments.get(HERNE, 2025) == second


def test_stale_write_is_refused_and_changes_nothing(
    draft: AssessmentRecord, store: Store, catalog: Catalog
) -> None:
    seen_by_bob = store.assessments.save_response(draft.id, MANDATE, level(1), 0, catalog, "alice")
    current = store.assessments.save_response(
        draft.id, MANDATE, level(2), seen_by_bob.response_version(MANDATE), catalog, "alice"
    )
    with pytest.raises(StaleWriteError, match="changed meanwhile") as info:
        store.assessments.save_response(
            draft.id, MANDATE, level(4), seen_by_bob.response_version(MANDATE), catalog, "bob"
        )
    assert "alice" in str(info.value)
    assert MANDATE in str(info.value)
    after = store.assessments.get_by_id(draft.id)
    assert after == current
    assert after.responses[MANDATE].level == 2
    assert after.response_version(MANDATE) == current.response_version(MANDATE)


def test_expected_version_from_the_future_is_stale(
    draft: AssessmentRecord, store: Store, catalog: Catalog
) -> None:
    with pytest.raises(StaleWriteError, match="changed meanwhile"):
        store.assessments.save_response(draft.id, MANDATE, level(1), 1, catalog, "alice")
    assert store.assessments.get_by_id(draft.id).responses == {}


def test_first_answer_race_second_writer_is_stale(
    draft: AssessmentRecord, store: Store, catalog: Catalog
) -> None:
    store.assessments.save_response(draft.id, MANDATE, level(1), 0, catalog, "alice")
    with pytest.raises(StaleWriteError, match="changed meanwhile by alice"):
        store.assessments.save_response(draft.id, MANDATE, level(4), 0, catalog, "bob")
    stored = store.assessments.get_by_id(draft.id)
    assert stored.responses[MANDATE].level == 1
    assert stored.responses[MANDATE].answered_by == "alice"
    assert stored.version == 2


def run_together(workers: list[Callable[[], Any]]) -> list[BaseException | Any]:
    """Run the callables in threads started at the same moment; return results or errors."""
    barrier = threading.Barrier(len(workers))
    results: list[BaseException | Any] = [None] * len(workers)

    def run(index: int) -> None:
        barrier.wait(timeout=10)
        try:
            results[index] = workers[index]()
        except BaseException as exc:
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(workers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return results


def test_simultaneous_first_answers_one_wins_the_others_are_stale(
    draft: AssessmentRecord, store: Store, catalog: Catalog
) -> None:
    def answer(value: int) -> Callable[[], AssessmentRecord]:
        return lambda: store.assessments.save_response(
            draft.id, MANDATE, level(value), 0, catalog, f"user{value}"
        )

    results = run_together([answer(value) for value in range(4)])
    winners = [r for r in results if isinstance(r, AssessmentRecord)]
    losers = [r for r in results if not isinstance(r, AssessmentRecord)]
    assert len(winners) == 1, results
    assert all(isinstance(r, StaleWriteError) for r in losers), losers
    stored = store.assessments.get_by_id(draft.id)
    assert stored.response_version(MANDATE) == stored.version == 2
    assert stored.responses[MANDATE] == winners[0].responses[MANDATE]


def test_not_applicable_where_not_allowed_is_invalid(
    draft: AssessmentRecord, store: Store, catalog: Catalog
) -> None:
    with pytest.raises(InvalidDataError, match="not applicable is not allowed") as info:
        store.assessments.save_response(draft.id, MANDATE, NOT_APPLICABLE, 0, catalog, "alice")
    assert MANDATE in str(info.value)
    assert isinstance(info.value, ValueError)
    stored = store.assessments.get_by_id(draft.id)
    assert stored.responses == {}
    assert stored.version == draft.version


def test_only_municipal_companies_allow_not_applicable(catalog: Catalog) -> None:
    allowed = [d.full_id(c) for d, c in catalog.iter_criteria() if c.na_allowed]
    assert allowed == [COMPANIES]


def test_not_applicable_with_justification_where_allowed(
    draft: AssessmentRecord, store: Store, catalog: Catalog
) -> None:
    record = store.assessments.save_response(
        draft.id, COMPANIES, NOT_APPLICABLE, 0, catalog, "alice"
    )
    answer = record.responses[COMPANIES]
    assert answer.not_applicable is True
    assert answer.level is None
    assert answer.justification == "Die Stadt hat keine Beteiligungen."
    assert record.not_applicable == 1
    assert record.answered == 1


@pytest.mark.parametrize(
    "criterion",
    ["governance_actors.no_such_criterion", "no_such_dimension.council_mandate", "council_mandate"],
)
def test_unknown_criterion_is_invalid(
    draft: AssessmentRecord, store: Store, catalog: Catalog, criterion: str
) -> None:
    with pytest.raises(InvalidDataError, match="unknown criterion"):
        store.assessments.save_response(draft.id, criterion, level(2), 0, catalog, "alice")
    assert row_count(store, "response") == 0


def test_save_to_unknown_assessment_is_not_found(store: Store, catalog: Catalog) -> None:
    with pytest.raises(NotFoundError, match="assessment 42"):
        store.assessments.save_response(42, MANDATE, level(2), 0, catalog, "alice")
    with pytest.raises(NotFoundError):
        store.assessments.get_by_id(42)


def test_answer_is_stamped_with_actor_and_utc_time(
    draft: AssessmentRecord, store: Store, catalog: Catalog
) -> None:
    before = datetime.now(UTC)
    claimed = level(2, answered_by="mallory", answered_at=datetime(2000, 1, 1, tzinfo=UTC))
    store.assessments.save_response(draft.id, MANDATE, claimed, 0, catalog, "alice")
    after = datetime.now(UTC)
    answer = store.assessments.get_by_id(draft.id).responses[MANDATE]
    assert answer.answered_by == "alice"
    assert answer.answered_at is not None
    assert answer.answered_at.utcoffset() is not None
    assert answer.answered_at.utcoffset().total_seconds() == 0  # type: ignore[union-attr]
    assert before <= answer.answered_at <= after


def test_clear_response(draft: AssessmentRecord, store: Store, catalog: Catalog) -> None:
    answered = store.assessments.save_response(draft.id, MANDATE, level(2), 0, catalog, "alice")
    with pytest.raises(StaleWriteError, match="changed meanwhile"):
        store.assessments.clear_response(draft.id, MANDATE, 0, "bob")
    assert store.assessments.get_by_id(draft.id) == answered
    cleared = store.assessments.clear_response(
        draft.id, MANDATE, answered.response_version(MANDATE), "bob"
    )
    assert MANDATE not in cleared.responses
    assert cleared.response_version(MANDATE) == 0
    assert cleared.version == answered.version + 1
    assert cleared.updated_by == "bob"
    # clearing an unanswered criterion changes nothing
    assert store.assessments.clear_response(draft.id, MANDATE, 0, "bob") == cleared
    # and it can be answered again from version 0
    again = store.assessments.save_response(draft.id, MANDATE, level(3), 0, catalog, "alice")
    assert again.response_version(MANDATE) == again.version  # never a version used before


def test_submit_needs_the_current_assessment_version(
    draft: AssessmentRecord, store: Store, catalog: Catalog
) -> None:
    reviewed = store.assessments.save_response(draft.id, MANDATE, level(2), 0, catalog, "alice")
    store.assessments.save_response(draft.id, LEADERSHIP, level(1), 0, catalog, "bob")
    with pytest.raises(StaleWriteError, match="changed meanwhile"):
        store.assessments.submit(draft.id, reviewed.version, "alice")
    assert store.assessments.get_by_id(draft.id).status is AssessmentStatus.DRAFT
    current = store.assessments.get_by_id(draft.id)
    submitted = store.assessments.submit(draft.id, current.version, "alice")
    assert submitted.status is AssessmentStatus.SUBMITTED
    assert not submitted.is_draft
    assert submitted.submitted_by == "alice"
    assert submitted.submitted_at is not None
    assert submitted.version == current.version + 1
    assert submitted.responses == current.responses


@pytest.fixture
def submitted(draft: AssessmentRecord, store: Store, catalog: Catalog) -> AssessmentRecord:
    store.assessments.save_response(draft.id, MANDATE, level(2), 0, catalog, "alice")
    record = store.assessments.save_response(
        draft.id, COMPANIES, NOT_APPLICABLE, 0, catalog, "alice"
    )
    return store.assessments.submit(draft.id, record.version, "alice")


def test_submitted_assessment_is_read_only(
    submitted: AssessmentRecord, store: Store, catalog: Catalog
) -> None:
    attempts: list[Callable[[], Any]] = [
        lambda: store.assessments.save_response(
            submitted.id, LEADERSHIP, level(1), 0, catalog, "bob"
        ),
        lambda: store.assessments.save_response(
            submitted.id, MANDATE, level(4), submitted.response_version(MANDATE), catalog, "bob"
        ),
        lambda: store.assessments.clear_response(
            submitted.id, MANDATE, submitted.response_version(MANDATE), "bob"
        ),
        lambda: store.assessments.submit(submitted.id, submitted.version, "bob"),
    ]
    for attempt in attempts:
        with pytest.raises(ReadOnlyError, match="new revision"):
            attempt()
    assert store.assessments.get_by_id(submitted.id) == submitted


def test_start_revision_copies_answers_and_keeps_history(
    submitted: AssessmentRecord, store: Store, catalog: Catalog
) -> None:
    revision = store.assessments.start_revision(HERNE, 2025, submitted.version, catalog, "bob")
    assert revision.revision == 2
    assert revision.id != submitted.id
    assert revision.status is AssessmentStatus.DRAFT
    assert revision.version == 1
    assert revision.created_by == "bob"
    assert revision.responses == submitted.responses
    assert revision.response_versions == {MANDATE: 1, COMPANIES: 1}
    assert revision.dimension_versions == catalog.versions()
    changed = store.assessments.save_response(
        revision.id, MANDATE, level(4), revision.response_version(MANDATE), catalog, "bob"
    )
    assert changed.responses[MANDATE].level == 4
    old = store.assessments.get(HERNE, 2025, revision=1)
    assert old == submitted
    assert old is not None and old.responses[MANDATE].level == 2
    assert store.assessments.get(HERNE, 2025) == changed
    assert store.assessments.get(HERNE, 2025, revision=2) == changed
    assert store.assessments.get(HERNE, 2025, revision=3) is None
    assert store.assessments.get(HERNE, 2024) is None


def test_start_revision_rules(submitted: AssessmentRecord, store: Store, catalog: Catalog) -> None:
    with pytest.raises(NotFoundError):
        store.assessments.start_revision(HERNE, 2024, 1, catalog, "bob")
    with pytest.raises(StaleWriteError, match="changed meanwhile"):
        store.assessments.start_revision(HERNE, 2025, submitted.version - 1, catalog, "bob")
    store.assessments.start_revision(HERNE, 2025, submitted.version, catalog, "bob")
    with pytest.raises(ConflictError, match="still a draft"):
        store.assessments.start_revision(HERNE, 2025, submitted.version, catalog, "bob")
    assert [a.revision for a in store.assessments.list()] == [1, 2]


def test_start_revision_of_a_draft_conflicts(
    draft: AssessmentRecord, store: Store, catalog: Catalog
) -> None:
    with pytest.raises(ConflictError, match="still a draft"):
        store.assessments.start_revision(HERNE, 2025, draft.version, catalog, "bob")
    assert row_count(store, "assessment") == 1


def test_list_counts_answers_and_filters(
    submitted: AssessmentRecord, store: Store, catalog: Catalog
) -> None:
    revision = store.assessments.start_revision(HERNE, 2025, submitted.version, catalog, "bob")
    store.assessments.save_response(revision.id, LEADERSHIP, level(3), 0, catalog, "bob")
    store.municipalities.save(municipality("09472175", "Pegnitz, St"), "admin")
    store.assessments.create_draft("09472175", 2025, catalog, "carol")
    store.assessments.create_draft(HERNE, 2024, catalog, "alice")

    everything = store.assessments.list()
    assert [(a.ags, a.period, a.revision) for a in everything] == [
        (HERNE, 2024, 1),
        (HERNE, 2025, 1),
        (HERNE, 2025, 2),
        ("09472175", 2025, 1),
    ]
    assert [(a.answered, a.not_applicable) for a in everything] == [(0, 0), (2, 1), (3, 1), (0, 0)]
    assert [a.status for a in everything] == [
        AssessmentStatus.DRAFT,
        AssessmentStatus.SUBMITTED,
        AssessmentStatus.DRAFT,
        AssessmentStatus.DRAFT,
    ]
    latest = store.assessments.list(latest_only=True)
    assert [a.key for a in latest] == [f"{HERNE}/2024/r1", KEY_R2, "09472175/2025/r1"]
    assert [a.key for a in store.assessments.list(ags=HERNE, period=2025)] == [KEY_R1, KEY_R2]
    assert [a.key for a in store.assessments.list(period=2025, latest_only=True)] == [
        KEY_R2,
        "09472175/2025/r1",
    ]
    assert store.assessments.list(ags="01001000") == []


def test_concurrent_writers_on_one_draft_all_succeed(
    draft: AssessmentRecord, store: Store, catalog: Catalog
) -> None:
    criteria = [d.full_id(c) for d, c in catalog.iter_criteria()][:20]  # 5 per writer
    rounds = 2

    def writer(mine: list[str]) -> int:
        versions = dict.fromkeys(mine, 0)
        writes = 0
        for round_number in range(rounds):
            for criterion in mine:
                record = store.assessments.save_response(
                    draft.id,
                    criterion,
                    level(round_number + 1),
                    versions[criterion],
                    catalog,
                    f"writer-{mine[0]}",
                )
                versions[criterion] = record.response_version(criterion)
                writes += 1
        return writes

    results = run_together([lambda part=criteria[i::4]: writer(part) for i in range(4)])
    assert all(isinstance(r, int) for r in results), results
    assert sum(results) == len(criteria) * rounds
    stored = store.assessments.get_by_id(draft.id)
    assert stored.version == 1 + len(criteria) * rounds
    assert set(stored.responses) == set(criteria)
    assert {r.level for r in stored.responses.values()} == {rounds}
    # each answer carries the assessment version of its last write: all distinct, the newest
    # one is the assessment's version
    assert len(set(stored.response_versions.values())) == len(criteria)
    assert max(stored.response_versions.values()) == stored.version
    assert len(store.audit.entries(action_prefix="response.saved")) == len(criteria) * rounds


# --- audit ---------------------------------------------------------------------------------


def test_assessment_lifecycle_is_audited(
    draft: AssessmentRecord, store: Store, catalog: Catalog
) -> None:
    first = store.assessments.save_response(draft.id, MANDATE, level(1), 0, catalog, "alice")
    second = store.assessments.save_response(
        draft.id, MANDATE, level(2), first.response_version(MANDATE), catalog, "bob"
    )
    third = store.assessments.save_response(draft.id, LEADERSHIP, level(3), 0, catalog, "bob")
    cleared = store.assessments.clear_response(
        draft.id, LEADERSHIP, third.response_version(LEADERSHIP), "bob"
    )
    submitted = store.assessments.submit(draft.id, cleared.version, "alice")
    store.assessments.start_revision(HERNE, 2025, submitted.version, catalog, "carol")

    r1 = list(reversed(store.audit.entries(entity="assessment", entity_key=KEY_R1)))
    assert [(e.actor, e.action) for e in r1] == [
        ("alice", "assessment.created"),
        ("alice", "response.saved"),
        ("bob", "response.saved"),
        ("bob", "response.saved"),
        ("bob", "response.cleared"),
        ("alice", "assessment.submitted"),
    ]
    assert all(e.entity == "assessment" for e in r1)

    saved_first, saved_second = r1[1], r1[2]
    assert saved_first.detail is not None and saved_second.detail is not None
    assert saved_first.detail["criterion"] == MANDATE
    assert saved_first.detail["before"] is None
    assert saved_first.detail["after"]["level"] == 1
    assert saved_first.detail["after"]["answered_by"] == "alice"
    assert saved_second.detail["before"]["level"] == 1
    assert saved_second.detail["before"]["answered_by"] == "alice"
    assert saved_second.detail["after"]["level"] == 2
    assert saved_second.detail["after"]["answered_by"] == "bob"
    assert second.responses[MANDATE].answered_by == "bob"
    assert first.responses[MANDATE].level == 1

    cleared_entry = r1[4]
    assert cleared_entry.detail is not None
    assert cleared_entry.detail["criterion"] == LEADERSHIP
    assert cleared_entry.detail["before"]["level"] == 3

    (started,) = store.audit.entries(entity="assessment", entity_key=KEY_R2)
    assert (started.actor, started.action) == ("carol", "assessment.revision_started")
    assert started.detail == {"from_revision": 1}


def test_refused_writes_leave_no_audit_entry(
    draft: AssessmentRecord, store: Store, catalog: Catalog
) -> None:
    before = store.audit.entries()
    with pytest.raises(InvalidDataError):
        store.assessments.save_response(draft.id, MANDATE, NOT_APPLICABLE, 0, catalog, "bob")
    with pytest.raises(StaleWriteError):
        store.assessments.save_response(draft.id, MANDATE, level(1), 3, catalog, "bob")
    with pytest.raises(ConflictError):
        store.assessments.create_draft(HERNE, 2025, catalog, "bob")
    assert store.audit.entries() == before


def test_audit_filters(draft: AssessmentRecord, store: Store, catalog: Catalog) -> None:
    store.assessments.save_response(draft.id, MANDATE, level(1), 0, catalog, "alice")
    everything = store.audit.entries()
    assert [e.action for e in everything] == [
        "response.saved",
        "assessment.created",
        "municipality.saved",
    ]
    assert [e.id for e in everything] == sorted((e.id for e in everything), reverse=True)
    assert [e.action for e in store.audit.entries(action_prefix="assessment.")] == [
        "assessment.created"
    ]
    assert [e.action for e in store.audit.entries(limit=1)] == ["response.saved"]
    assert store.audit.entries(entity="assessment", entity_key=KEY_R2) == []


# --- rings ---------------------------------------------------------------------------------


def test_create_ring(store: Store) -> None:
    ring = store.rings.create("  Ruhrgebiet  ", "Herne", "alice", period=2025, min_group_size=3)
    assert ring.name == "Ruhrgebiet"
    assert (ring.coordinator, ring.period, ring.min_group_size) == ("Herne", 2025, 3)
    assert ring.created_by == "alice"
    assert not ring.is_demo
    assert store.rings.get(ring.id) == ring
    assert store.rings.list() == [ring]
    assert store.rings.create("Bayern", "Pegnitz", "alice").min_group_size == 5
    assert [r.name for r in store.rings.list()] == ["Bayern", "Ruhrgebiet"]


@pytest.mark.parametrize(
    ("name", "coordinator", "more", "message"),
    [
        ("", "Herne", {}, "needs a name"),
        ("   ", "Herne", {}, "needs a name"),
        ("Ruhr", " ", {}, "needs a coordinator"),
        ("Ruhr", "Herne", {"min_group_size": 2}, "at least 3, found 2"),
        ("Ruhr", "Herne", {"min_group_size": 0}, "at least 3"),
        ("Ruhr", "Herne", {"period": 1989}, "period"),
    ],
)
def test_invalid_ring_is_refused(
    store: Store, name: str, coordinator: str, more: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidDataError, match=message):
        store.rings.create(name, coordinator, "alice", **more)
    assert store.rings.list() == []


def test_duplicate_ring_name_conflicts(store: Store) -> None:
    store.rings.create("Ruhrgebiet", "Herne", "alice")
    with pytest.raises(ConflictError, match="already exists"):
        store.rings.create(" Ruhrgebiet ", "Bochum", "bob")
    assert len(store.rings.list()) == 1


def test_ring_members_and_consent(directory: Store) -> None:
    rings = directory.rings
    ring = rings.create("Franken", "Bayreuth", "alice", min_group_size=3)
    with pytest.raises(NotFoundError, match="01001000"):
        rings.add_member(ring.id, "01001000", "alice")
    with pytest.raises(NotFoundError, match="no ring with id 999"):
        rings.add_member(999, "09472175", "alice")
    rings.add_member(ring.id, "09472175", "alice", consent_named=True)
    rings.add_member(ring.id, "09462000", "alice")
    with pytest.raises(ConflictError, match="already a member"):
        rings.add_member(ring.id, "09472175", "bob")

    pegnitz, bayreuth = sorted(rings.members(ring.id), key=lambda m: m.ags, reverse=True)
    assert (pegnitz.ags, pegnitz.name, pegnitz.consent_named) == ("09472175", "Pegnitz, St", True)
    assert pegnitz.consent_by == "alice" and pegnitz.consent_at is not None
    assert (bayreuth.ags, bayreuth.name, bayreuth.consent_named) == ("09462000", "Bayreuth", False)
    assert bayreuth.consent_by is None and bayreuth.consent_at is None
    assert [m.ags for m in rings.members(ring.id)] == ["09462000", "09472175"]

    rings.set_consent(ring.id, "09462000", True, "carol")
    bayreuth = rings.members(ring.id)[0]
    assert (bayreuth.consent_named, bayreuth.consent_by) == (True, "carol")
    assert bayreuth.consent_at is not None
    rings.set_consent(ring.id, "09472175", False, "carol")
    assert rings.members(ring.id)[1].consent_named is False
    with pytest.raises(NotFoundError, match="not a member"):
        rings.set_consent(ring.id, HERNE, True, "carol")

    rings.remove_member(ring.id, "09472175", "dave")
    assert [m.ags for m in rings.members(ring.id)] == ["09462000"]
    with pytest.raises(NotFoundError, match="not a member"):
        rings.remove_member(ring.id, "09472175", "dave")
    assert rings.members(999) == []

    entries = list(reversed(directory.audit.entries(entity="ring")))
    assert [(e.actor, e.action, e.entity_key) for e in entries] == [
        ("alice", "ring.created", str(ring.id)),
        ("alice", "ring.member_added", str(ring.id)),
        ("alice", "ring.member_added", str(ring.id)),
        ("carol", "ring.consent_changed", str(ring.id)),
        ("carol", "ring.consent_changed", str(ring.id)),
        ("dave", "ring.member_removed", str(ring.id)),
    ]
    assert entries[0].detail == {"name": "Franken", "coordinator": "Bayreuth", "min_group_size": 3}
    assert entries[1].detail == {"ags": "09472175", "consent_named": True}
    assert entries[3].detail == {"ags": "09462000", "consent_named": True}
    assert entries[5].detail == {"ags": "09472175"}


# --- atomicity -----------------------------------------------------------------------------


class BoomError(Exception):
    pass


def test_exception_inside_transaction_leaves_nothing(store: Store) -> None:
    with pytest.raises(BoomError), store.transaction() as cursor:
        store.municipalities.save_on(cursor, [HERNE_CITY], "admin", "saved")
        assert cursor.execute("SELECT count(*) FROM municipality").fetchone() == (1,)
        raise BoomError
    assert store.municipalities.get(HERNE) is None
    assert store.municipalities.count() == 0
    assert store.audit.entries() == []


def test_dry_run_transaction_is_rolled_back(store: Store) -> None:
    with store.transaction(commit=False) as cursor:
        store.municipalities.save_on(cursor, [HERNE_CITY], "admin", "saved")
    assert store.municipalities.count() == 0
    assert store.audit.entries() == []
    assert store.write(
        lambda cursor: cursor.execute("SELECT count(*) FROM audit_log").fetchone(), commit=False
    ) == (0,)


def test_change_and_audit_entry_are_one_unit(
    draft: AssessmentRecord, store: Store, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing_record(*args: Any, **kwargs: Any) -> None:
        raise BoomError

    monkeypatch.setattr(audit_module, "record", failing_record)
    with pytest.raises(BoomError):
        store.assessments.save_response(draft.id, MANDATE, level(2), 0, catalog, "alice")
    with pytest.raises(BoomError):
        store.municipalities.save(municipality("09472175", "Pegnitz, St"), "admin")
    with pytest.raises(BoomError):
        store.rings.create("Ruhrgebiet", "Herne", "alice")
    assert store.assessments.get_by_id(draft.id) == draft
    assert store.municipalities.get("09472175") is None
    assert store.rings.list() == []


def test_committed_data_survives_reopening(db_path: Path, catalog: Catalog) -> None:
    with open_store(db_path) as store:
        store.municipalities.save(HERNE_CITY, "admin")
        record = store.assessments.create_draft(HERNE, 2025, catalog, "alice")
        record = store.assessments.save_response(record.id, MANDATE, level(2), 0, catalog, "alice")
    with open_store(db_path) as store:
        assert store.assessments.get(HERNE, 2025) == record
        assert len(store.audit.entries()) == 3


def test_environment_is_not_consulted_by_open_store(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("NHM_DB", str(tmp_path / "env.duckdb"))
    with open_store(tmp_path / "explicit.duckdb"):
        pass
    assert (tmp_path / "explicit.duckdb").exists()
    assert not (tmp_path / "env.duckdb").exists()
    assert os.environ["NHM_DB"] == str(tmp_path / "env.duckdb")


def test_an_assessment_is_demo_exactly_when_its_municipality_is(
    store: Store, catalog: Catalog
) -> None:
    store.municipalities.save(
        Municipality(ags="05199000", name="Musterstadt", kind="kreisfreie_stadt", is_demo=True),
        "alice",
    )
    store.municipalities.save(
        Municipality(ags="05916000", name="Herne, Stadt", kind="kreisfreie_stadt"), "alice"
    )
    assert store.assessments.create_draft("05199000", 2025, catalog, "alice").is_demo
    assert not store.assessments.create_draft("05916000", 2025, catalog, "alice").is_demo


def test_a_cleared_and_reanswered_criterion_never_reuses_a_version(
    draft: AssessmentRecord, store: Store, catalog: Catalog
) -> None:
    """ABA: Alice reads an answer; Bob clears it and answers again; Alice's save is stale."""
    seen_by_alice = store.assessments.save_response(draft.id, MANDATE, level(1), 0, catalog, "bob")
    version_alice_saw = seen_by_alice.response_version(MANDATE)
    cleared = store.assessments.clear_response(draft.id, MANDATE, version_alice_saw, "bob")
    again = store.assessments.save_response(draft.id, MANDATE, level(4), 0, catalog, "bob")
    assert again.response_version(MANDATE) != version_alice_saw
    assert cleared.version < again.version
    with pytest.raises(StaleWriteError, match="changed meanwhile"):
        store.assessments.save_response(
            draft.id, MANDATE, level(2), version_alice_saw, catalog, "alice"
        )
    assert store.assessments.get_by_id(draft.id).responses[MANDATE].level == 4

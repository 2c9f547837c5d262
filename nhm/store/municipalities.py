"""Municipalities and counties: entered by hand or loaded from the official directory."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, Literal

import duckdb
import pyarrow as pa

from nhm.municipality import Municipality, MunicipalityKind
from nhm.store import audit
from nhm.store.database import utc_now
from nhm.store.errors import NotFoundError

if TYPE_CHECKING:
    from nhm.store.database import Store

_COLUMNS = (
    "ags, name, kind, land, kreis_ags, population, population_date, size_class, is_county, "
    "is_demo, source, updated_at"
)
_SELECT = (
    "SELECT ags, name, kind, kreis_ags, population, population_date, is_demo, source "
    "FROM municipality"
)
_UPSERT = (
    f"INSERT INTO municipality ({_COLUMNS}) SELECT {_COLUMNS} FROM incoming "
    "ON CONFLICT (ags) DO UPDATE SET name = excluded.name, kind = excluded.kind, "
    "land = excluded.land, kreis_ags = excluded.kreis_ags, population = excluded.population, "
    "population_date = CASE WHEN excluded.population_date IS NULL AND "
    "excluded.population IS NOT DISTINCT FROM municipality.population "
    "THEN municipality.population_date ELSE excluded.population_date END, "
    "size_class = excluded.size_class, "
    "is_county = excluded.is_county, is_demo = excluded.is_demo, source = excluded.source, "
    "updated_at = excluded.updated_at"
)


def _from_row(row: tuple) -> Municipality:  # type: ignore[type-arg]
    return Municipality(
        ags=row[0],
        name=row[1],
        kind=MunicipalityKind(row[2]),
        kreis_ags=row[3],
        population=row[4],
        population_date=row[5],
        is_demo=row[6],
        source=row[7],
    )


def _as_table(municipalities: Sequence[Municipality]) -> pa.Table:
    now = utc_now()
    return pa.table(
        {
            "ags": [m.ags for m in municipalities],
            "name": [m.name for m in municipalities],
            "kind": [m.kind.value for m in municipalities],
            "land": [m.land for m in municipalities],
            "kreis_ags": pa.array([m.kreis_ags for m in municipalities], pa.string()),
            "population": pa.array([m.population for m in municipalities], pa.int32()),
            "population_date": pa.array([m.population_date for m in municipalities], pa.date32()),
            "size_class": pa.array([m.size_class for m in municipalities], pa.string()),
            "is_county": [m.kind.is_county for m in municipalities],
            "is_demo": [m.is_demo for m in municipalities],
            "source": [m.source for m in municipalities],
            "updated_at": pa.array([now] * len(municipalities), pa.timestamp("us")),
        }
    )


class MunicipalityRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    def save(self, municipality: Municipality, actor: str) -> None:
        """Insert or update one municipality (entered by hand or from an exchange file)."""
        self._store.write(lambda cursor: self.save_on(cursor, [municipality], actor, "saved"))

    def save_many(self, municipalities: Sequence[Municipality], actor: str, action: str) -> None:
        """Insert or update many municipalities in one transaction (a directory import)."""
        self._store.write(lambda cursor: self.save_on(cursor, municipalities, actor, action))

    def save_on(
        self,
        cursor: duckdb.DuckDBPyConnection,
        municipalities: Sequence[Municipality],
        actor: str,
        action: str,
    ) -> None:
        """Upsert inside the caller's transaction (bulk, through an Arrow scan)."""
        if not municipalities:
            return
        incoming = _as_table(municipalities)
        cursor.register("incoming", incoming)
        try:
            cursor.execute(_UPSERT)
        finally:
            cursor.unregister("incoming")
        if len(municipalities) == 1:
            only = municipalities[0]
            audit.record(
                cursor,
                actor,
                f"municipality.{action}",
                "municipality",
                only.ags,
                only.model_dump(mode="json"),
            )
        else:
            sources = sorted({m.source for m in municipalities})
            audit.record(
                cursor,
                actor,
                f"municipality.{action}",
                "municipality",
                "*",
                {"count": len(municipalities), "sources": sources},
            )

    def get(self, ags: str) -> Municipality | None:
        with self._store.cursor() as cursor:
            row = cursor.execute(f"{_SELECT} WHERE ags = ?", [ags]).fetchone()
        return _from_row(row) if row else None

    def require(self, ags: str) -> Municipality:
        municipality = self.get(ags)
        if municipality is None:
            raise NotFoundError(
                f"no municipality with AGS {ags}: import the official directory "
                "(`nhm municipalities import FILE`) or add it (`nhm municipalities add`)"
            )
        return municipality

    def list(
        self,
        *,
        land: str | None = None,
        kind: MunicipalityKind | None = None,
        level: Literal["gemeinde", "kreis"] | None = None,
        search: str | None = None,
        limit: int | None = None,
        only: Collection[str] | None = None,
    ) -> list[Municipality]:
        """Municipalities ordered by AGS, filtered by Land, kind, level or a name/AGS search,
        and to the AGS in ``only`` when given (what a user may read).

        Level "gemeinde" holds the municipalities (not the counties); level "kreis" the
        counties and the kreisfreie Städte/Stadtkreise, which are Gemeinde and Kreis at once.
        """
        where, params = ["true"], []
        if land is not None:
            where.append("land = ?")
            params.append(land)
        if kind is not None:
            where.append("kind = ?")
            params.append(kind.value)
        if level == "gemeinde":
            where.append("NOT is_county")
        elif level == "kreis":
            where.append("(is_county OR kind IN ('kreisfreie_stadt', 'stadtkreis'))")
        if search:
            where.append("(starts_with(ags, ?) OR contains(lower(name), lower(?)))")
            params.extend([search.strip(), search.strip()])
        if only is not None:
            where.append("list_contains(?, ags)")
            params.append(sorted(only))
        sql = f"{_SELECT} WHERE {' AND '.join(where)} ORDER BY ags"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        with self._store.cursor() as cursor:
            rows = cursor.execute(sql, params).fetchall()
        return [_from_row(row) for row in rows]

    def count(self) -> int:
        with self._store.cursor() as cursor:
            row = cursor.execute("SELECT count(*) FROM municipality").fetchone()
        return int(row[0]) if row else 0

    def names(self, ags_values: Sequence[str]) -> dict[str, str]:
        """AGS -> name for those of ``ags_values`` that are stored (one query)."""
        if not ags_values:
            return {}
        with self._store.cursor() as cursor:
            rows = cursor.execute(
                "SELECT ags, name FROM municipality WHERE list_contains(?, ags)",
                [list(set(ags_values))],
            ).fetchall()
        return dict(rows)

    def existing(self, ags_values: Sequence[str]) -> set[str]:
        """Which of ``ags_values`` are stored."""
        return set(self.names(ags_values))

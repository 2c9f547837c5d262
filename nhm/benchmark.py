"""Peer-group benchmarks, computed in DuckDB SQL.

Rules (docs/scoring.md explains them for users):

* Only submitted assessments count, the latest submitted revision per municipality and
  period. Demo municipalities are compared only with demo municipalities, real ones only with
  real ones.
* A peer group is all municipalities, or those sharing the municipality's KGSt size class,
  kind (county or city/municipality) or Land, or the members of a Vergleichsring, or any
  combination of these.
* A group (or a single statistic) with fewer members than the minimum group size (default 5,
  never below 3; a ring uses its own minimum) shows no numbers, only the reason; its exact
  size is not shown either. Minimum and maximum appear only from 10 members on.
* Names appear only in a ring and only for members who consented; everyone else is "Kommune
  A", "Kommune B" … in an order that does not follow the AGS.
* Dimension scores follow :mod:`nhm.scoring` (the same formula in SQL); dimensions that a
  plugin scores are scored by the plugin in Python and joined in.
* The percentile rank is the mid-rank: the share of the group below the municipality plus
  half the share level with it, in percent.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import duckdb

from nhm.model import Catalog, LocalizedText
from nhm.municipality import LAENDER, Municipality
from nhm.scoring import score_dimension
from nhm.store.database import Store
from nhm.store.errors import NotFoundError
from nhm.store.municipalities import MunicipalityRepository
from nhm.store.rings import Ring, RingRepository
from nhm.store.score_cache import SCORE_SQL, WEIGHTS_SQL, ScoreCache

DEFAULT_MIN_GROUP_SIZE = 5
ABSOLUTE_MIN_GROUP_SIZE = 3
MIN_SIZE_FOR_EXTREMES = 10
QUARTILES = (0.25, 0.5, 0.75)

GROUP_PARTS = ("all", "size_class", "kind", "land", "ring:ID")


class BenchmarkError(ValueError):
    """A benchmark request that cannot be answered (unknown group, missing size class …)."""


@dataclass(frozen=True)
class PeerGroupSpec:
    """Which properties the peers share with the municipality; ``all`` is none of them."""

    size_class: bool = False
    kind: bool = False
    land: bool = False
    ring_id: int | None = None

    @classmethod
    def parse(cls, text: str) -> PeerGroupSpec:
        """``all``, ``size_class``, ``kind``, ``land``, ``ring:ID`` or a ``+``-combination."""
        parts = [p.strip() for p in text.replace(",", "+").split("+") if p.strip()]
        if not parts:
            raise BenchmarkError(f"empty peer group; use one of {', '.join(GROUP_PARTS)}")
        flags: dict[str, Any] = {}
        for part in parts:
            if part == "all":
                continue
            if part in ("size_class", "kind", "land"):
                flags[part] = True
            elif part.startswith("ring:") and part[5:].isdigit():
                flags["ring_id"] = int(part[5:])
            else:
                raise BenchmarkError(
                    f"unknown peer group {part!r}; use {', '.join(GROUP_PARTS)} or a "
                    "combination such as size_class+land"
                )
        if "all" in parts and flags:
            raise BenchmarkError("'all' cannot be combined with other peer groups")
        return cls(**flags)

    def __str__(self) -> str:
        parts = [p for p in ("size_class", "kind", "land") if getattr(self, p)]
        if self.ring_id is not None:
            parts.append(f"ring:{self.ring_id}")
        return "+".join(parts) or "all"


@dataclass(frozen=True)
class PeerGroup:
    """A resolved peer group: the values the peers share and a label for people."""

    spec: PeerGroupSpec
    label: LocalizedText
    is_demo: bool
    size_class: str | None = None
    is_county: bool | None = None
    land: str | None = None
    ring: Ring | None = None
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE


@dataclass(frozen=True)
class Statistics:
    n: int
    median: float
    q1: float
    q3: float
    mean: float
    minimum: float | None = None  # only from MIN_SIZE_FOR_EXTREMES on
    maximum: float | None = None


@dataclass(frozen=True)
class DimensionBenchmark:
    dimension_id: str
    statistics: Statistics | None
    suppressed: LocalizedText | None
    own_score: float | None
    percentile_rank: float | None


@dataclass(frozen=True)
class CriterionBenchmark:
    criterion_id: str  # full id
    statistics: Statistics | None
    suppressed: LocalizedText | None
    distribution: dict[int, int] | None  # level → number of municipalities
    not_applicable: int | None
    own_level: int | None
    own_not_applicable: bool
    percentile_rank: float | None


@dataclass(frozen=True)
class TrendPoint:
    period: int
    n: int | None  # None where the group is below the minimum
    median: float | None
    q1: float | None
    q3: float | None
    own_score: float | None


@dataclass(frozen=True)
class RingMemberScores:
    label: str
    named: bool
    is_self: bool
    scores: dict[str, float | None]


@dataclass(frozen=True)
class BenchmarkResult:
    ags: str
    period: int
    group: PeerGroup
    group_size: int | None  # None where suppressed
    suppressed: LocalizedText | None
    own_status: str | None  # "submitted", "draft" or None (no assessment for the period)
    dimensions: list[DimensionBenchmark]
    criteria: list[CriterionBenchmark]
    trends: dict[str, list[TrendPoint]]
    members: list[RingMemberScores] = field(default_factory=list)
    # "differencing" when the group is refused because a broader group of the same
    # municipality differs from it by fewer than the minimum (``suppressed`` says which)
    refusal: str | None = None

    def dimension(self, dimension_id: str) -> DimensionBenchmark:
        for item in self.dimensions:
            if item.dimension_id == dimension_id:
                return item
        raise KeyError(dimension_id)


def suppression_reason(min_size: int) -> LocalizedText:
    return LocalizedText(
        de=f"Keine Statistik: Weniger als {min_size} Kommunen mit eingereichter Bewertung "
        f"in dieser Vergleichsgruppe. Ab {min_size} werden Werte gezeigt, damit keine "
        "einzelne Kommune erkennbar wird.",
        en=f"No statistics: fewer than {min_size} municipalities with a submitted "
        f"assessment in this peer group. Figures are shown from {min_size} on, so that no "
        "single municipality can be identified.",
    )


def differencing_reason(broader: PeerGroup, min_size: int) -> LocalizedText:
    return LocalizedText(
        de=f"Keine Statistik für diese Auswahl: Sie unterscheidet sich um weniger als {min_size} "
        f"Kommunen von der größeren Gruppe {broader.label.de}. Wer beide Ergebnisse "
        "vergleicht, könnte daraus die Werte dieser wenigen Kommunen errechnen. Bitte wählen "
        "Sie die größere Gruppe oder eine andere Kombination.",
        en=f"No statistics for this choice: it differs by fewer than {min_size} municipalities "
        f"from the broader group {broader.label.en}. Comparing both results would reveal the "
        "figures of those few municipalities. Please choose the broader group or another "
        "combination.",
    )


def sibling_reason(parent: PeerGroup, min_size: int) -> LocalizedText:
    return LocalizedText(
        de="Keine Statistik für diese Auswahl: Zusammen mit den anderen gezeigten Teilgruppen "
        f"der größeren Gruppe ({parent.label.de}) bliebe eine Restgruppe von weniger als "
        f"{min_size} Kommunen, deren Werte sich errechnen ließen. Bitte wählen Sie die größere "
        "Gruppe oder eine andere Kombination.",
        en="No statistics for this choice: together with the other subgroups shown of the "
        f"broader group ({parent.label.en}) it would leave a remainder of fewer than "
        f"{min_size} municipalities whose figures could be worked out. Please choose the "
        "broader group or another combination.",
    )


def check_min_group_size(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise BenchmarkError(f"the minimum group size must be a whole number, got {value!r}")
    if value < ABSOLUTE_MIN_GROUP_SIZE:
        raise BenchmarkError(
            f"the minimum group size must be at least {ABSOLUTE_MIN_GROUP_SIZE} "
            f"(statistical confidentiality), got {value}"
        )
    return value


# --- the queries ---------------------------------------------------------------------------

_PEERS = """
    SELECT a.id, a.ags, a.period FROM assessment a JOIN municipality m ON m.ags = a.ags
    WHERE a.status = 'submitted' AND a.period {cmp} $period AND m.is_demo = $is_demo {filters}
    QUALIFY row_number() OVER (PARTITION BY a.ags, a.period ORDER BY a.revision DESC) = 1
"""
_OWN = """
    SELECT id, ags, period FROM assessment WHERE ags = $ags AND period {cmp} $period
    QUALIFY row_number() OVER (
        PARTITION BY period ORDER BY (status = 'submitted') DESC, revision DESC) = 1
"""
_WEIGHTS = WEIGHTS_SQL

_DIMENSION_SQL = f"""
WITH weights AS ({_WEIGHTS}),
peers AS ({_PEERS}),
own AS ({_OWN}),
ids AS (
    SELECT id, any_value(period) AS period, bool_or(is_peer) AS is_peer,
           bool_or(NOT is_peer) AS is_own
    FROM (SELECT id, period, true AS is_peer FROM peers
          UNION ALL SELECT id, period, false FROM own)
    GROUP BY id
),
computed AS (
    -- submitted assessments: from the score cache (see nhm.store.score_cache)
    SELECT c.assessment_id AS id, c.dimension_id, c.score
    FROM score_cache c JOIN ids i ON i.id = c.assessment_id
    WHERE c.fingerprint = $fingerprint AND c.dimension_id <> '*' AND c.score IS NOT NULL
    UNION ALL
    -- the municipality's own draft, if that is what it has
    SELECT i.id, w.dimension_id, {SCORE_SQL} AS score
    FROM ids i JOIN assessment a ON a.id = i.id AND a.status = 'draft'
    JOIN response r ON r.assessment_id = i.id
    JOIN weights w ON w.criterion_id = r.criterion_id
    WHERE r.level IS NOT NULL
    GROUP BY ALL
    {{plugin_union}}
),
scores AS (
    SELECT i.period, i.is_peer, i.is_own, c.dimension_id, c.score
    FROM computed c JOIN ids i ON i.id = c.id
),
own_scores AS (SELECT period, dimension_id, score AS own FROM scores WHERE is_own),
peer_stats AS (
    SELECT period, dimension_id, count(*) AS n,
           quantile_cont(score, {list(QUARTILES)}) AS q, avg(score) AS mean,
           min(score) AS lo, max(score) AS hi
    FROM scores WHERE is_peer GROUP BY ALL
),
ranks AS (
    SELECT s.period, s.dimension_id, count(*) FILTER (WHERE s.score < o.own) AS below,
           count(*) FILTER (WHERE s.score = o.own) AS level_with
    FROM scores s JOIN own_scores o USING (period, dimension_id)
    WHERE s.is_peer GROUP BY ALL
)
SELECT coalesce(p.period, o.period), coalesce(p.dimension_id, o.dimension_id),
       p.n, p.q, p.mean, p.lo, p.hi, o.own, r.below, r.level_with
FROM peer_stats p
FULL JOIN own_scores o ON o.period = p.period AND o.dimension_id = p.dimension_id
LEFT JOIN ranks r
    ON r.period = coalesce(p.period, o.period)
    AND r.dimension_id = coalesce(p.dimension_id, o.dimension_id)
"""

_CRITERION_SQL = f"""
WITH criteria AS (SELECT unnest($criterion_ids) AS criterion_id),
peers AS ({_PEERS}),
own AS ({_OWN}),
answers AS (
    SELECT r.criterion_id, r.level, r.not_applicable
    FROM peers p JOIN response r ON r.assessment_id = p.id
),
own_answers AS (
    SELECT r.criterion_id, r.level, r.not_applicable
    FROM own JOIN response r ON r.assessment_id = own.id
)
SELECT c.criterion_id, count(a.level) AS n, count(*) FILTER (WHERE a.not_applicable) AS na,
       quantile_cont(a.level, {list(QUARTILES)}), avg(a.level), min(a.level), max(a.level),
       count(*) FILTER (WHERE a.level = 0), count(*) FILTER (WHERE a.level = 1),
       count(*) FILTER (WHERE a.level = 2), count(*) FILTER (WHERE a.level = 3),
       count(*) FILTER (WHERE a.level = 4),
       any_value(o.level), coalesce(bool_or(o.not_applicable), false),
       count(*) FILTER (WHERE a.level < o.level), count(*) FILTER (WHERE a.level = o.level)
FROM criteria c
LEFT JOIN answers a ON a.criterion_id = c.criterion_id
LEFT JOIN own_answers o ON o.criterion_id = c.criterion_id
GROUP BY c.criterion_id
"""

# peers per period and cell of the partition by size class, kind, Land and ring membership:
# the group sizes and both refusal rules (differencing, remainders) are sums over these cells
_PARTITION_SQL = f"""
WITH peers AS ({_PEERS})
SELECT p.period, m.size_class, m.is_county, substr(m.ags, 1, 2) AS land, {{in_ring}}, count(*)
FROM peers p JOIN municipality m ON m.ags = p.ags
GROUP BY ALL
"""
_IN_RING = "p.ags IN (SELECT ags FROM ring_member WHERE ring_id = $ring_id)"


@dataclass(frozen=True)
class _Cell:
    period: int
    size_class: str | None
    is_county: bool
    land: str
    in_ring: bool
    n: int


_MEMBER_SQL = f"""
WITH peers AS ({_PEERS})
SELECT p.id, p.ags, c.dimension_id, c.score
FROM peers p JOIN score_cache c ON c.assessment_id = p.id
WHERE c.fingerprint = $fingerprint AND c.dimension_id <> '*' AND c.score IS NOT NULL
"""


class BenchmarkService:
    """Benchmarks of one store against the catalog's dimensions."""

    def __init__(
        self,
        store: Store,
        catalog: Catalog,
        plugin_scores: PluginScores | None = None,
        min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
    ) -> None:
        self.store = store
        self.catalog = catalog
        self.plugin_scores = plugin_scores
        self.min_group_size = check_min_group_size(min_group_size)
        self._fingerprint = ""  # of the score cache, set by each benchmark
        self._partitions: dict[tuple[int, bool], list[_Cell]] = {}
        """Partitions without a ring by (period, demo flag), valid for ``_partition_version``:
        the same for every municipality and group, so a series of benchmarks counts the peers
        once."""
        self._partition_version: object = None

    # -- groups ---------------------------------------------------------------------------
    def resolve(self, municipality: Municipality, spec: PeerGroupSpec) -> PeerGroup:
        """The concrete peer group of ``municipality``; BenchmarkError if it has no such group."""
        de: list[str] = []
        en: list[str] = []
        values: dict[str, Any] = {}
        if spec.size_class:
            if municipality.size_class is None:
                raise BenchmarkError(
                    f"{municipality.name} ({municipality.ags}) has no KGSt size class: its "
                    "population is not recorded (import the municipality directory)"
                )
            values["size_class"] = municipality.size_class
            # size classes are defined per type: county GK1 and municipality GK1 differ
            values["is_county"] = municipality.kind.is_county
            kind = "Kreise" if municipality.kind.is_county else "Städte und Gemeinden"
            kind_en = "counties" if municipality.kind.is_county else "cities and municipalities"
            de.append(f"KGSt-Größenklasse {municipality.size_class} ({kind})")
            en.append(f"KGSt size class {municipality.size_class} ({kind_en})")
        if spec.kind and not spec.size_class:  # a size class already implies the kind
            values["is_county"] = municipality.kind.is_county
            de.append("Kreise" if municipality.kind.is_county else "Städte und Gemeinden")
            en.append("counties" if municipality.kind.is_county else "cities and municipalities")
        if spec.land:
            values["land"] = municipality.land
            de.append(LAENDER[municipality.land])
            en.append(LAENDER[municipality.land])
        min_size = self.min_group_size
        if spec.ring_id is not None:
            ring = RingRepository(self.store).get(spec.ring_id)
            if ring is None:
                raise BenchmarkError(f"there is no Vergleichsring with id {spec.ring_id}")
            if not any(
                m.ags == municipality.ags for m in RingRepository(self.store).members(ring.id)
            ):
                raise BenchmarkError(
                    f"{municipality.name} ({municipality.ags}) is not a member of the "
                    f"Vergleichsring {ring.name!r}; a ring is compared only among its members"
                )
            values["ring"] = ring
            min_size = max(ring.min_group_size, ABSOLUTE_MIN_GROUP_SIZE)
            de.append(f"Vergleichsring „{ring.name}“")
            en.append(f"benchmarking ring “{ring.name}”")
        label = LocalizedText(
            de=" · ".join(de) or "alle Kommunen", en=" · ".join(en) or "all municipalities"
        )
        return PeerGroup(
            spec=spec,
            label=label,
            is_demo=municipality.is_demo,
            min_group_size=min_size,
            **values,
        )

    # -- the benchmark --------------------------------------------------------------------
    def benchmark(self, ags: str, period: int, spec: PeerGroupSpec) -> BenchmarkResult:
        municipality = MunicipalityRepository(self.store).get(ags)
        if municipality is None:
            raise NotFoundError(f"municipality {ags} is not in the database")
        group = self.resolve(municipality, spec)
        plugin_dims = self.plugin_scores.dimensions if self.plugin_scores else set()
        weights = self._weights(plugin_dims)
        self._fingerprint = ScoreCache(self.store).refresh(
            weights["criterion_ids"], weights["dimension_ids"], weights["weights"]
        )
        with self.store.cursor() as cursor:
            cells = self._partition(cursor, group, ags, period)
            sizes: dict[int, int] = {}
            for cell in cells:
                if _in_group(cell, group):
                    sizes[cell.period] = sizes.get(cell.period, 0) + cell.n
            dimension_rows = self._dimension_rows(cursor, group, ags, period)
            criterion_rows = self._run(
                cursor,
                _CRITERION_SQL,
                group,
                ags,
                period,
                extra={"criterion_ids": self._weights(set())["criterion_ids"]},
            )
            own_status = cursor.execute(
                "SELECT status FROM assessment WHERE ags = ? AND period = ? "
                "ORDER BY (status = 'submitted') DESC, revision DESC LIMIT 1",
                [ags, period],
            ).fetchone()
            members = self._members(cursor, group, ags, period) if group.ring else []
            refused = self._sibling_refusals(cells, municipality, group)
            refused.update(self._differencing(cells, municipality, group))
        group_size = sizes.get(period, 0)
        enough = group_size >= group.min_group_size
        reason = suppression_reason(group.min_group_size)
        if enough and period in refused:
            enough = False
            reason = refused[period]
        result = BenchmarkResult(
            ags=ags,
            period=period,
            group=group,
            group_size=group_size if enough else None,
            suppressed=None if enough else reason,
            own_status=own_status[0] if own_status else None,
            dimensions=self._dimensions(dimension_rows, period, group, enough),
            criteria=self._criteria(criterion_rows, group, enough),
            trends=self._trends(dimension_rows, sizes, group, set(refused)),
            members=members if enough else [],
            refusal="differencing" if period in refused and not enough else None,
        )
        if result.refusal:  # the own scores stay; every figure about the peers goes
            result = replace(
                result,
                dimensions=[replace(d, suppressed=reason) for d in result.dimensions],
                criteria=[replace(c, suppressed=reason) for c in result.criteria],
            )
        return result

    def _partition(
        self, cursor: duckdb.DuckDBPyConnection, group: PeerGroup, ags: str, period: int
    ) -> list[_Cell]:
        """The peers of every period up to ``period`` (same demo flag), counted per cell."""
        everyone = PeerGroup(spec=PeerGroupSpec(), label=group.label, is_demo=group.is_demo)
        ring = group.ring.id if group.ring is not None else None
        key = None
        if ring is None:  # ring memberships are not part of the peer-data version
            version = self.store.assessments.peer_data_version()
            if version != self._partition_version:
                self._partitions, self._partition_version = {}, version
            key = (period, group.is_demo)
            if key in self._partitions:
                return self._partitions[key]
        sql = _PARTITION_SQL.replace("{in_ring}", _IN_RING if ring is not None else "false")
        extra = {"ring_id": ring} if ring is not None else None
        rows = self._run(cursor, sql, everyone, ags, period, all_periods=True, extra=extra)
        cells = [_Cell(*row) for row in rows]
        if key is not None:
            self._partitions[key] = cells
        return cells

    def _sibling_refusals(
        self, all_cells: list[_Cell], municipality: Municipality, group: PeerGroup
    ) -> dict[int, LocalizedText]:
        """Periods in which the group must be refused because of its siblings.

        A parent group (the Land, say) splits into siblings (its size classes and kinds). When
        the siblings that are shown leave a remainder of 1 to min-1 peers of a shown parent,
        parent minus siblings would reveal that remainder; so the smallest shown siblings are
        refused too (secondary suppression) until the remainder reaches the minimum. The
        choice depends only on the counts, so every municipality gets the same answer.
        Rings are left to the nested check (``_differencing``): their members are no
        partition of anything a user can choose."""
        spec = group.spec
        if spec.ring_id is not None or not (spec.size_class or spec.kind or spec.land):
            return {}
        minimum = group.min_group_size
        own = (municipality.size_class, municipality.kind.is_county, municipality.land)
        # a cell's key per part: size = (size class, kind), kind, land
        keys = {
            "size": lambda c: (c[0], c[1]),
            "kind": lambda c: c[1],
            "land": lambda c: c[2],
        }
        parts = ["size"] if spec.size_class else ["kind"] if spec.kind else []
        if spec.land:
            parts.append("land")
        # (parent's parts, the part the siblings differ in): size within its kind, then any
        parents: list[tuple[list[str], str]] = []
        for part in parts:
            rest = [p for p in parts if p != part]
            if part == "size":
                parents.append(([*rest, "kind"], "size"))
            parents.append((rest, part))
        refused: dict[int, LocalizedText] = {}
        for year in sorted({cell.period for cell in all_cells}):
            cells = [
                (c.size_class, c.is_county, c.land, c.n) for c in all_cells if c.period == year
            ]
            for parent_parts, varying in parents:
                inside = [c for c in cells if all(keys[p](c) == keys[p](own) for p in parent_parts)]
                parent_n = sum(c[3] for c in inside)
                siblings: dict[Any, int] = {}
                for cell in inside:
                    key = tuple(keys[p](cell) for p in (*parent_parts, varying))
                    siblings[key] = siblings.get(key, 0) + cell[3]
                mine = tuple(keys[p](own) for p in (*parent_parts, varying))
                if parent_n < minimum or siblings.get(mine, 0) < minimum:
                    continue
                shown = sorted(
                    ((n, str(key)) for key, n in siblings.items() if n >= minimum),
                    key=lambda item: item,
                )
                remainder = parent_n - sum(n for n, _ in shown)
                withheld = set()
                while 0 < remainder < minimum and shown:
                    n, key = shown.pop(0)
                    withheld.add(key)
                    remainder += n
                if str(mine) in withheld:
                    names = ["size_class" if p == "size" else p for p in parent_parts]
                    parent = self.resolve(municipality, _spec_of(names, None))
                    refused[year] = sibling_reason(parent, minimum)
                    break
        return refused

    def _differencing(
        self, all_cells: list[_Cell], municipality: Municipality, group: PeerGroup
    ) -> dict[int, LocalizedText]:
        """Periods (up to ``period``) in which the group must be refused: some broader group of
        the municipality (fewer of the same parts: Land without size class, the kind instead
        of the size class, all municipalities …) is shown and holds 1 to min-1 more peers,
        so the figures of those few would follow from comparing both.

        The narrower group is the one refused, always, so whichever is asked first, the pair
        is never shown together. Only nested groups are compared here; siblings are the
        other rule (``_sibling_refusals``)."""
        spec = group.spec
        parts = [p for p in ("size_class", "kind", "land") if getattr(spec, p)]
        if spec.size_class and "kind" not in parts:
            parts.append("kind")  # the kind is broader than the size class, and selectable
        if spec.ring_id is not None:
            parts.append("ring")
        if not parts:
            return {}
        own_size, own_county, own_land = (
            municipality.size_class,
            municipality.kind.is_county,
            municipality.land,
        )
        shares: dict[str, Any] = {
            "size_class": lambda c: c.size_class == own_size and c.is_county == own_county,
            "kind": lambda c: c.is_county == own_county,
            "land": lambda c: c.land == own_land,
            "ring": lambda c: c.in_ring,
        }
        chosen = {
            "size_class": spec.size_class,
            "kind": spec.kind or spec.size_class,
            "land": spec.land,
            "ring": spec.ring_id is not None,
        }
        refused: dict[int, LocalizedText] = {}
        broader_groups = [
            (subset, self.resolve(municipality, _spec_of(subset, spec.ring_id)))
            for size in range(len(parts))
            for subset in itertools.combinations(parts, size)
        ]
        # per cell once: which parts its peers share with the municipality
        flags = [(cell.period, cell.n, [shares[p](cell) for p in parts]) for cell in all_cells]
        positions = {p: i for i, p in enumerate(parts)}
        wanted = [p for p in parts if chosen[p]]
        for year in sorted({cell.period for cell in all_cells}):
            cells = [(n, shared) for period_, n, shared in flags if period_ == year]

            def count(required: Sequence[str], cells: list[tuple[int, list[bool]]] = cells) -> int:
                at = [positions[p] for p in required]
                return sum(n for n, shared in cells if all(shared[i] for i in at))

            own_n = count(wanted)
            for subset, broader in broader_groups:
                min_size = max(group.min_group_size, broader.min_group_size)
                broader_n = count(subset)
                if (
                    own_n >= group.min_group_size
                    and 0 < broader_n - own_n < min_size
                    and broader_n >= broader.min_group_size
                ):
                    refused[year] = differencing_reason(broader, min_size)
                    break
        return refused

    # -- internals ------------------------------------------------------------------------
    def _run(
        self,
        cursor: duckdb.DuckDBPyConnection,
        sql: str,
        group: PeerGroup,
        ags: str,
        period: int,
        all_periods: bool = False,
        extra: dict[str, Any] | None = None,
        plugin_union: str = "",
    ) -> list[tuple[Any, ...]]:
        """Run one of the query templates for ``group``: this period or all up to it."""
        filters = []
        params: dict[str, Any] = {
            "is_demo": group.is_demo,
            "period": period,
            "ags": ags,
            "fingerprint": self._fingerprint,
        }
        if group.size_class is not None:
            filters.append("AND m.size_class = $size_class")
            params["size_class"] = group.size_class
        if group.is_county is not None:
            filters.append("AND m.is_county = $is_county")
            params["is_county"] = group.is_county
        if group.land is not None:
            filters.append("AND substr(m.ags, 1, 2) = $land")
            params["land"] = group.land
        if group.ring is not None:
            filters.append("AND a.ags IN (SELECT ags FROM ring_member WHERE ring_id = $ring_id)")
            params["ring_id"] = group.ring.id
        text = (
            sql.replace("{filters}", " ".join(filters))
            .replace("{plugin_union}", plugin_union)
            .replace("{cmp}", "<=" if all_periods else "=")
        )
        params.update(extra or {})
        return cursor.execute(text, {k: v for k, v in params.items() if f"${k}" in text}).fetchall()

    def _weights(self, skip: set[str]) -> dict[str, list[Any]]:
        rows = [
            (d.full_id(c), d.id, float(c.weight))
            for d, c in self.catalog.iter_criteria()
            if d.id not in skip
        ]
        return {
            "criterion_ids": [r[0] for r in rows],
            "dimension_ids": [r[1] for r in rows],
            "weights": [r[2] for r in rows],
        }

    def _dimension_rows(
        self, cursor: duckdb.DuckDBPyConnection, group: PeerGroup, ags: str, period: int
    ) -> list[tuple[Any, ...]]:
        plugin_dims = self.plugin_scores.dimensions if self.plugin_scores else set()
        weights = self._weights(plugin_dims)
        if not plugin_dims:
            return self._run(
                cursor, _DIMENSION_SQL, group, ags, period, all_periods=True, extra=weights
            )
        assert self.plugin_scores is not None
        ids = self._run(
            cursor,
            "WITH peers AS (" + _PEERS + "), own AS (" + _OWN + ") "
            "SELECT id FROM peers UNION SELECT id FROM own",
            group,
            ags,
            period,
            all_periods=True,
        )
        table = self.plugin_scores.table(cursor, [row[0] for row in ids])
        cursor.register("nhm_plugin_scores", table)
        try:
            return self._run(
                cursor,
                _DIMENSION_SQL,
                group,
                ags,
                period,
                all_periods=True,
                extra=weights,
                plugin_union="UNION ALL SELECT id, dimension_id, round(score, 6) "
                "FROM nhm_plugin_scores WHERE score IS NOT NULL",
            )
        finally:
            cursor.unregister("nhm_plugin_scores")

    def _dimensions(
        self, rows: list[tuple[Any, ...]], period: int, group: PeerGroup, enough: bool
    ) -> list[DimensionBenchmark]:
        current = {row[1]: row for row in rows if row[0] == period}
        found = []
        for dimension in self.catalog.dimensions:
            row = current.get(dimension.id)
            own = row[7] if row else None
            stats = _statistics(row[2], row[3], row[4], row[5], row[6]) if row and row[2] else None
            shown = enough and stats is not None and stats.n >= group.min_group_size
            found.append(
                DimensionBenchmark(
                    dimension_id=dimension.id,
                    statistics=stats if shown else None,
                    suppressed=None if shown else suppression_reason(group.min_group_size),
                    own_score=own,
                    percentile_rank=_rank(row[8], row[9], stats.n)
                    if shown and row and stats and own is not None
                    else None,
                )
            )
        return found

    def _criteria(
        self, rows: list[tuple[Any, ...]], group: PeerGroup, enough: bool
    ) -> list[CriterionBenchmark]:
        by_id = {row[0]: row for row in rows}
        found = []
        for dimension, criterion in self.catalog.iter_criteria():
            full_id = dimension.full_id(criterion)
            row = by_id.get(full_id)
            n = row[1] if row else 0
            shown = enough and n >= group.min_group_size
            stats = _statistics(n, row[3], row[4], row[5], row[6]) if shown and row else None
            own_level = row[12] if row else None
            found.append(
                CriterionBenchmark(
                    criterion_id=full_id,
                    statistics=stats,
                    suppressed=None if shown else suppression_reason(group.min_group_size),
                    distribution=dict(enumerate(row[7:12])) if shown and row else None,
                    not_applicable=row[2] if shown and row else None,
                    own_level=own_level,
                    own_not_applicable=bool(row[13]) if row else False,
                    percentile_rank=_rank(row[14], row[15], n)
                    if shown and row and own_level is not None
                    else None,
                )
            )
        return found

    def _trends(
        self,
        rows: list[tuple[Any, ...]],
        sizes: dict[int, int],
        group: PeerGroup,
        refused: set[int],
    ) -> dict[str, list[TrendPoint]]:
        trends: dict[str, list[TrendPoint]] = {d.id: [] for d in self.catalog.dimensions}
        for row in sorted(rows, key=lambda r: r[0]):
            period, dimension_id = row[0], row[1]
            if dimension_id not in trends:
                continue
            n = row[2] or 0
            shown = (
                sizes.get(period, 0) >= group.min_group_size
                and n >= group.min_group_size
                and period not in refused
            )
            q = row[3] if shown else None
            trends[dimension_id].append(
                TrendPoint(
                    period=period,
                    n=n if shown else None,
                    median=q[1] if q else None,
                    q1=q[0] if q else None,
                    q3=q[2] if q else None,
                    own_score=row[7],
                )
            )
        return trends

    def _members(
        self, cursor: duckdb.DuckDBPyConnection, group: PeerGroup, ags: str, period: int
    ) -> list[RingMemberScores]:
        """Each ring member's scores; names only for members who consented.

        Anonymous members get letters in an order set by the ring's secret salt, so the
        labels reveal nothing about the AGS; named members use no letter.
        """
        ring = group.ring
        assert ring is not None
        plugin_dims = self.plugin_scores.dimensions if self.plugin_scores else set()
        rows = self._run(cursor, _MEMBER_SQL, group, ags, period)
        ids: dict[int, str] = dict(
            self._run(
                cursor, f"WITH peers AS ({_PEERS}) SELECT id, ags FROM peers", group, ags, period
            )
        )
        scores: dict[str, dict[str, float | None]] = {member: {} for member in ids.values()}
        for _, member_ags, dimension_id, score in rows:
            scores[member_ags][dimension_id] = score
        if plugin_dims:
            assert self.plugin_scores is not None
            table = self.plugin_scores.table(cursor, list(ids))
            for assessment_id, dimension_id, score in zip(
                *(table.column(name).to_pylist() for name in ("id", "dimension_id", "score")),
                strict=True,
            ):
                scores[ids[assessment_id]][dimension_id] = score
        salt_row = cursor.execute("SELECT label_salt FROM ring WHERE id = ?", [ring.id]).fetchone()
        salt = salt_row[0] if salt_row and salt_row[0] else ""
        consent = {m.ags: m.consent_named for m in RingRepository(self.store).members(ring.id)}
        names = MunicipalityRepository(self.store).names(list(scores))
        named = sorted((a for a in scores if consent.get(a)), key=lambda a: names.get(a, a))
        anonymous = sorted(
            (a for a in scores if not consent.get(a)),
            key=lambda a: hashlib.sha256(f"{salt}:{a}".encode()).hexdigest(),
        )
        labels = {a: names.get(a, a) for a in named}
        labels.update({a: anonymous_label(i) for i, a in enumerate(anonymous)})
        return [
            RingMemberScores(
                label=labels[member_ags],
                named=member_ags in named,
                is_self=member_ags == ags,
                scores={d.id: scores[member_ags].get(d.id) for d in self.catalog.dimensions},
            )
            for member_ags in [*named, *anonymous]
        ]


class PluginScores:
    """Scores of the dimensions a plugin scores, computed in Python for a set of assessments."""

    def __init__(self, catalog: Catalog, dimensions: set[str], scorer: Any) -> None:
        self.catalog = catalog
        self.dimensions = dimensions
        self.scorer = scorer

    @classmethod
    def from_host(cls, host: Any, catalog: Catalog) -> PluginScores | None:
        """The plugin scores of ``host``'s plugins, or None when no plugin scores a dimension."""
        from nhm.evaluation import plugin_scored_dimensions, plugin_scorer

        dimensions = plugin_scored_dimensions(host, catalog)
        return cls(catalog, dimensions, plugin_scorer(host)) if dimensions else None

    def table(self, cursor: duckdb.DuckDBPyConnection, assessment_ids: Sequence[int]) -> Any:
        import pyarrow as pa

        from nhm.store.assessments import load_responses

        ids: list[int] = []
        dims: list[str] = []
        values: list[float | None] = []
        answers = load_responses(cursor, assessment_ids, self.dimensions)
        for assessment_id in assessment_ids:
            by_dimension = answers.get(assessment_id, {})
            for dimension_id in sorted(self.dimensions):
                dimension = self.catalog.dimension(dimension_id)
                responses = by_dimension.get(dimension_id, {})
                # an unusable plugin result falls back to the default, as in nhm.evaluation
                result = self.scorer(dimension, responses) or score_dimension(dimension, responses)
                ids.append(assessment_id)
                dims.append(dimension_id)
                values.append(result.score)
        return pa.table(
            {
                "id": pa.array(ids, pa.int32()),
                "dimension_id": pa.array(dims, pa.string()),
                "score": pa.array(values, pa.float64()),
            }
        )


def _in_group(cell: _Cell, group: PeerGroup) -> bool:
    """Whether the peers of ``cell`` belong to ``group`` (the filters of ``_run``)."""
    return (
        (group.size_class is None or cell.size_class == group.size_class)
        and (group.is_county is None or cell.is_county == group.is_county)
        and (group.land is None or cell.land == group.land)
        and (group.ring is None or cell.in_ring)
    )


def _spec_of(parts: Sequence[str], ring_id: int | None) -> PeerGroupSpec:
    return PeerGroupSpec(
        size_class="size_class" in parts,
        kind="kind" in parts and "size_class" not in parts,
        land="land" in parts,
        ring_id=ring_id if "ring" in parts else None,
    )


def anonymous_label(index: int) -> str:
    """'Kommune A' … 'Kommune Z', then 'Kommune AA' …"""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"Kommune {letters}"


def _statistics(
    n: int, quartiles: Sequence[float], mean: float, lo: float, hi: float
) -> Statistics:
    extremes = n >= MIN_SIZE_FOR_EXTREMES
    return Statistics(
        n=n,
        q1=float(quartiles[0]),
        median=float(quartiles[1]),
        q3=float(quartiles[2]),
        mean=float(mean),
        minimum=float(lo) if extremes else None,
        maximum=float(hi) if extremes else None,
    )


def _rank(below: int | None, level_with: int | None, n: int) -> float | None:
    if not n or below is None:
        return None
    return 100.0 * (below + 0.5 * (level_with or 0)) / n

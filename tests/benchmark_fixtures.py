"""A fictional benchmark data set written through the repositories, and helpers around it.

Real-looking municipalities (``is_demo=False``; names invented) and demo ones (AGS with 99 in
digits 4–5). Every answer is derived from a seed, so tests can recompute any score in Python
independently of the SQL in ``nhm.benchmark``.

Who is in which group (period 2025, submitted):

* Land 05 (NRW): 12 — 3 kreisfreie Städte (GK3), 1 kreisfreie Stadt GK1, 2 Kreise (county GK1),
  1 Stadt GK4 and 5 GK6 municipalities; plus ``DRAFT_ONLY`` with a draft only.
  ``REVISED`` has revision 1 and 2 submitted; ``REVISED_DRAFT`` revision 1 submitted and
  revision 2 a draft.
* Land 01: exactly 5 (2 of them GK6).
* Land 09: 4 real (2 GK6) and 6 demo ones.
* Land 03: ``NO_POPULATION`` (no population, no assessment).

Real GK6 municipalities: 5 + 2 + 2 = 9. Periods: every Land 05 member also has 2024 and 2026;
only three have 2023.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from nhm.assessment import Assessment, AssessmentStatus, Response
from nhm.model import Catalog
from nhm.municipality import Municipality, MunicipalityKind
from nhm.scoring import score_dimension
from nhm.store import Store, open_store
from nhm.store.assessments import ImportedAssessment

K = MunicipalityKind
ACTOR = "benchmark-test"
PERIOD = 2025
NA_REASON = "Die Kommune hat keine eigenen Unternehmen."


@dataclass(frozen=True)
class Place:
    ags: str
    name: str
    kind: MunicipalityKind
    population: int | None

    @property
    def is_demo(self) -> bool:
        return self.ags[3:5] == "99"

    def municipality(self) -> Municipality:
        return Municipality(
            ags=self.ags,
            name=self.name,
            kind=self.kind,
            population=self.population,
            is_demo=self.is_demo,
        )


LAND05 = [
    Place("05111000", "Rheinhafen", K.KREISFREIE_STADT, 150_000),
    Place("05112000", "Erzberg", K.KREISFREIE_STADT, 180_000),
    Place("05113000", "Kohlfeld", K.KREISFREIE_STADT, 120_000),
    Place("05315000", "Domstadt", K.KREISFREIE_STADT, 1_000_000),
    Place("05158000", "Kreis Bergland", K.KREIS, 480_000),
    Place("05162000", "Kreis Auenland", K.KREIS, 260_000),
    Place("05158004", "Talhausen", K.STADT, 60_000),
    Place("05158012", "Lindenbruch", K.STADT, 15_000),
    Place("05158016", "Quellenmoor", K.GEMEINDE, 12_000),
    Place("05162004", "Steinfurtingen", K.STADT, 22_000),
    Place("05162008", "Hohenweide", K.STADT, 18_000),
    Place("05162012", "Birkenhain", K.GEMEINDE, 11_000),
]
LAND01 = [
    Place("01001000", "Fördestadt", K.KREISFREIE_STADT, 90_000),
    Place("01002000", "Kielhafen", K.KREISFREIE_STADT, 240_000),
    Place("01003000", "Travenburg", K.KREISFREIE_STADT, 210_000),
    Place("01051011", "Deichhusen", K.STADT, 15_000),
    Place("01051012", "Marschkoog", K.GEMEINDE, 13_000),
]
LAND09 = [
    Place("09162000", "Isarbrück", K.KREISFREIE_STADT, 1_500_000),
    Place("09161000", "Donaufeld", K.KREISFREIE_STADT, 140_000),
    Place("09184112", "Almhofen", K.GEMEINDE, 14_000),
    Place("09184113", "Bergwinkl", K.GEMEINDE, 16_000),
]
DEMO = [Place(f"0919900{i}", f"Demodorf {i}", K.GEMEINDE, 15_000) for i in range(1, 7)]
DRAFT_ONLY = Place("05162016", "Entwurfsheim", K.GEMEINDE, 12_500)
NO_POPULATION = Place("03101000", "Ohnezahlstadt", K.KREISFREIE_STADT, None)

REAL_SUBMITTED = LAND05 + LAND01 + LAND09
ALL_PLACES = [*REAL_SUBMITTED, *DEMO, DRAFT_ONLY, NO_POPULATION]

REVISED = "05111000"  # revision 1 and 2 submitted: revision 2 counts
REVISED_DRAFT = "05112000"  # revision 1 submitted, revision 2 draft: revision 1 counts
NA_COMPANIES = {"05113000", "05158012", "05162008", "01001000"}  # municipal_companies N/A
COMPANIES = "governance_actors.municipal_companies"

# ring of six, two of them consent to be named; viewed by RING_SELF (not consenting)
RING_MEMBERS = ["05158004", "05158012", "05158016", "05162004", "05162008", "05162012"]
RING_CONSENTING = {"05158012", "05162004"}
RING_SELF = "05158004"
# ring of five with one draft-only member: four submitted, below the minimum of 5
SMALL_RING_MEMBERS = ["01001000", "01002000", "01003000", "01051011", DRAFT_ONLY.ags]


def place(ags: str) -> Place:
    return next(p for p in ALL_PLACES if p.ags == ags)


def seeded_responses(catalog: Catalog, seed: str, na: Iterable[str] = ()) -> dict[str, Response]:
    """Levels 0–4 drawn from ``seed``; about one criterion in 15 left unanswered; the full ids
    in ``na`` not applicable."""
    rng = random.Random(seed)
    skip = set(na)
    found: dict[str, Response] = {}
    for dim, criterion in catalog.iter_criteria():
        full_id = dim.full_id(criterion)
        draw = rng.random()
        level = rng.randint(0, 4)
        if full_id in skip:
            found[full_id] = Response(not_applicable=True, justification=NA_REASON)
        elif draw >= 1 / 15:
            found[full_id] = Response(level=level)
    return found


def imported(
    ags: str,
    period: int,
    responses: dict[str, Response],
    status: AssessmentStatus = AssessmentStatus.SUBMITTED,
    revision: int = 1,
    catalog: Catalog | None = None,
) -> ImportedAssessment:
    return ImportedAssessment(
        assessment=Assessment(
            ags=ags,
            period=period,
            revision=revision,
            status=status,
            responses=responses,
            dimension_versions=catalog.versions() if catalog else {},
        ),
        revision=revision,
        is_demo=ags[3:5] == "99",
        source="benchmark-test",
    )


def write(store: Store, items: list[ImportedAssessment]) -> None:
    store.write(lambda cursor: store.assessments.write_imported(cursor, items, ACTOR))


@dataclass
class BenchmarkData:
    """The template database and what the tests need to recompute its statistics."""

    path: Path
    catalog: Catalog
    ring_id: int
    small_ring_id: int
    counted: dict[tuple[str, int], Assessment] = field(default_factory=dict)
    """(AGS, period) → the assessment that must count (latest submitted revision)."""
    own: dict[tuple[str, int], Assessment] = field(default_factory=dict)
    """(AGS, period) → the assessment the benchmark shows as the municipality's own."""

    def scores(self, ags: str, period: int = PERIOD) -> dict[str, float | None]:
        """Python dimension scores of the counted assessment, rounded like the SQL."""
        assessment = self.counted[(ags, period)]
        return python_scores(self.catalog, assessment)

    def group_scores(
        self, members: Iterable[str], dimension_id: str, period: int = PERIOD
    ) -> list[float]:
        return [
            s
            for ags in members
            if (ags, period) in self.counted
            and (s := self.scores(ags, period)[dimension_id]) is not None
        ]

    def copy_to(self, target: Path) -> Path:
        shutil.copyfile(self.path, target)
        return target


def python_scores(catalog: Catalog, assessment: Assessment) -> dict[str, float | None]:
    found: dict[str, float | None] = {}
    for dim in catalog.dimensions:
        score = score_dimension(dim, assessment.responses_for(dim.id)).score
        found[dim.id] = None if score is None else round(score, 6)
    return found


def build_benchmark_data(path: Path, catalog: Catalog) -> BenchmarkData:
    """Write the data set described in the module docstring into a new database at ``path``."""
    counted: dict[tuple[str, int], Assessment] = {}
    own: dict[tuple[str, int], Assessment] = {}
    first: list[ImportedAssessment] = []

    def add(ags: str, period: int, seed: str, status: AssessmentStatus, revision: int = 1) -> None:
        na = [COMPANIES] if ags in NA_COMPANIES else []
        item = imported(ags, period, seeded_responses(catalog, seed, na), status, revision, catalog)
        if revision == 1:
            first.append(item)
        else:
            second.append(item)
        if status is AssessmentStatus.SUBMITTED:
            counted[(ags, period)] = item.assessment
            own[(ags, period)] = item.assessment
        else:
            own.setdefault((ags, period), item.assessment)

    second: list[ImportedAssessment] = []
    submitted = AssessmentStatus.SUBMITTED
    for p in REAL_SUBMITTED + DEMO:
        add(p.ags, PERIOD, f"{p.ags}-{PERIOD}-1", submitted)
    for p in LAND05:
        add(p.ags, 2024, f"{p.ags}-2024-1", submitted)
        add(p.ags, 2026, f"{p.ags}-2026-1", submitted)
    for p in LAND05[:3]:
        add(p.ags, 2023, f"{p.ags}-2023-1", submitted)
    add(DRAFT_ONLY.ags, PERIOD, f"{DRAFT_ONLY.ags}-{PERIOD}-1", AssessmentStatus.DRAFT)
    add(REVISED, PERIOD, f"{REVISED}-{PERIOD}-2", submitted, revision=2)
    add(REVISED_DRAFT, PERIOD, f"{REVISED_DRAFT}-{PERIOD}-2", AssessmentStatus.DRAFT, revision=2)

    with open_store(path) as store:
        store.municipalities.save_many([p.municipality() for p in ALL_PLACES], ACTOR, "saved")
        write(store, first)
        write(store, second)
        ring = store.rings.create("Ring Niederrhein", "Talhausen", ACTOR, period=PERIOD)
        for ags in RING_MEMBERS:
            store.rings.add_member(ring.id, ags, ACTOR, consent_named=ags in RING_CONSENTING)
        small = store.rings.create("Ring Nord", "Fördestadt", ACTOR, period=PERIOD)
        for ags in SMALL_RING_MEMBERS:
            store.rings.add_member(small.id, ags, ACTOR, consent_named=True)
    return BenchmarkData(path, catalog, ring.id, small.id, counted, own)

"""Fictional demo data: municipalities, assessments over several periods and Vergleichsringe.

Everything is drawn from one ``random.Random(seed)`` with exact arithmetic only (no ``math``
functions, whose last bit may differ between platforms), so a seed gives the same data on
every machine. Nothing depends on today's date.

**AGS scheme** ``LL R 99 GGG``: Land, Regierungsbezirk digit, the Kreis number 99 that no real
Kreis uses (:data:`nhm.municipality.DEMO_KREIS`), Gemeinde. A slot ``LLR99000`` is a county or
a kreisfreie Stadt; the Gemeinden of a county are ``LLR99001``–``LLR99999``. The generator uses
the Regierungsbezirk digits 0, 2 and 4–9 only: 1 and 3 are left to the hand-written examples in
``assessments/`` (Musterstadt 05199000, Kleinmusterdorf 03399021 …), so generated and
hand-written demo municipalities can never collide. One Kreis number per Land allows at most
eight slots per Land: at national scale there are fewer and larger counties than in reality
(at most six per Land, about 80 instead of 294).

**Sizes** follow the Destatis municipality directory (GV-ISys "Auszug GV", 31 Dec 2020): the
share of each KGSt size class among all Gemeinden, the size classes within each Land, the
number of Gemeinden, Kreise and kreisfreie Städte per Land. A county's population is drawn
(50,000–700,000, in the real mix of county size classes), not summed from its Gemeinden.

**Maturity**: every municipality has a latent maturity (larger ones and counties higher on
average), an offset per dimension that partly follows it, and a growth rate per period; every
criterion a fixed difficulty derived from the seed and its id. Levels therefore mostly rise from
period to period and drop rarely.
"""

from __future__ import annotations

import gc
import random
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

import duckdb

from nhm.assessment import Assessment, AssessmentStatus, EvidenceStatus, Response
from nhm.model import Catalog
from nhm.municipality import LAENDER, Municipality, MunicipalityKind
from nhm.store.assessments import ImportedAssessment
from nhm.store.demo import delete_demo_data, demo_counts
from nhm.store.errors import ConflictError

if TYPE_CHECKING:
    from nhm.store.database import Store

MAX_MUNICIPALITIES = 20_000
MAX_PERIODS = 10
GENERATOR = "Demo-Generator"
"""``answered_by`` of every generated answer."""
RING_COORDINATOR = "Demo-Koordination (fiktiv)"
MUSTERREGION_RING = "Demo-Vergleichsring Musterregion"
COUNTY_RING = "Demo-Vergleichsring Kreise"
MUSTERREGION_SIZE = 12
MUSTERREGION_NAMED = 7
MAX_COUNTY_RING_SIZE = 15

K = TypeVar("K", bound=Hashable)

# --- real proportions (Destatis GV-ISys "Auszug GV", 4th quarter 2020) ----------------------

SIZE_CLASSES = ("GK1", "GK2", "GK3", "GK4", "GK5", "GK6", "GK7")
COUNTY_SIZE_CLASSES = ("GK1", "GK2", "GK3")

_GEMEINDEN_BY_CLASS: dict[str, tuple[int, ...]] = {
    # Land: populated Gemeinden (kreisfreie Städte included) in GK1 … GK7
    "01": (0, 2, 0, 3, 10, 39, 1052),
    "02": (1, 0, 0, 0, 0, 0, 0),
    "03": (1, 1, 6, 11, 44, 141, 740),
    "04": (1, 0, 1, 0, 0, 0, 0),
    "05": (5, 10, 15, 47, 93, 173, 53),
    "06": (1, 2, 2, 7, 30, 128, 252),
    "07": (0, 1, 4, 5, 9, 28, 2255),
    "08": (1, 3, 5, 15, 51, 185, 841),
    "09": (2, 1, 5, 9, 33, 182, 1824),
    "10": (0, 0, 1, 0, 7, 29, 15),
    "11": (1, 0, 0, 0, 0, 0, 0),
    "12": (0, 0, 1, 3, 15, 51, 347),
    "13": (0, 1, 0, 4, 2, 14, 705),
    "14": (2, 1, 0, 3, 10, 52, 351),
    "15": (0, 2, 0, 1, 14, 37, 164),
    "16": (0, 1, 1, 2, 9, 22, 598),
}
SIZE_CLASS_SHARES: dict[str, float] = {
    size_class: sum(row[i] for row in _GEMEINDEN_BY_CLASS.values())
    / sum(sum(row) for row in _GEMEINDEN_BY_CLASS.values())
    for i, size_class in enumerate(SIZE_CLASSES)
}
"""Share of each KGSt class among all Gemeinden (GK7 ≈ 85 %, GK6 ≈ 10 %, … GK1 ≈ 0.14 %)."""

_KREISE = {  # Landkreise and Kreise per Land
    "01": 11, "03": 37, "05": 31, "06": 21, "07": 24, "08": 35, "09": 71,
    "10": 6, "12": 14, "13": 6, "14": 10, "15": 11, "16": 17,
}  # fmt: skip
_KREISFREIE = {  # kreisfreie Städte and Stadtkreise per Land (city states apart)
    "01": 4, "03": 8, "05": 22, "06": 5, "07": 12, "08": 9, "09": 25,
    "10": 0, "12": 4, "13": 2, "14": 3, "15": 3, "16": 6,
}  # fmt: skip
_KREISFREIE_BY_CLASS = {"GK1": 14, "GK2": 24, "GK3": 30, "GK4": 23, "GK5": 16}
_COUNTIES_BY_CLASS = {"GK1": 69, "GK2": 83, "GK3": 142}
_ALL_ENTITIES, _ALL_COUNTIES, _ALL_KREISFREIE = 11_298, 294, 107

TERRITORIAL_LAENDER = tuple(land for land in LAENDER if land not in {"02", "04", "11"})
_CITY_STATES = (  # (AGS, population range): Hamburg, Bremen and Bremerhaven-like, Berlin
    ("02099000", "GK1", 1_700_000, 1_900_000),
    ("04099000", "GK1", 500_000, 600_000),
    ("04299000", "GK3", 100_000, 130_000),
    ("11099000", "GK1", 3_400_000, 3_800_000),
)
_CITY_STATES_FROM_KREISFREIE = 20  # with fewer kreisfreie Städte, the city states are left out
_REGIERUNGSBEZIRK_DIGITS = "02456789"  # 1 and 3: hand-written examples (see module docstring)
_MAX_COUNTIES_PER_LAND = 6  # of the eight slots, so every Land keeps room for kreisfreie Städte
_GEMEINDEN_PER_COUNTY = 950  # planning capacity; the AGS scheme allows 999

_POPULATION_RANGES = {  # (lowest, highest, power): a higher power favours the lower end
    "GK1": (400_000, 3_700_000, 4),
    "GK2": (200_000, 399_999, 2),
    "GK3": (100_000, 199_999, 2),
    "GK4": (50_000, 99_999, 2),
    "GK5": (25_000, 49_999, 2),
    "GK6": (10_000, 24_999, 2),
    "GK7": (50, 9_999, 0),  # 0: the deciles below
}
_GEMEINDE_DECILES = (50, 247, 446, 669, 953, 1_319, 1_882, 2_714, 4_013, 6_128, 9_999)
"""Deciles of the population of the Gemeinden under 10,000 (skewed: the median is 1,319)."""
_COUNTY_POPULATION_RANGES = {
    "GK1": (250_000, 700_000, 2),
    "GK2": (150_000, 249_999, 1),
    "GK3": (50_000, 149_999, 1),
}

# --- maturity model ----------------------------------------------------------------------------

_BASE_MATURITY = {
    "GK1": 2.3, "GK2": 2.1, "GK3": 1.9, "GK4": 1.7, "GK5": 1.5, "GK6": 1.25, "GK7": 0.95,
}  # fmt: skip
_COUNTY_BASE_MATURITY = {"GK1": 1.9, "GK2": 1.75, "GK3": 1.6}
_MATURITY_SPREAD = 0.55
_DIMENSION_SPREAD = 0.3
_CRITERION_SPREAD = 0.9  # width of the persistent per-criterion noise
_PERIOD_NOISE = 0.25  # width of the noise that changes from period to period
_GROWTH_MEAN, _GROWTH_SPREAD, _GROWTH_FLOOR = 0.18, 0.1, -0.05
_DOCUMENTED = (0.0, 0.2, 0.5, 0.72, 0.85)  # P(documented or better) by level
_VERIFIED = (0.0, 0.0, 0.02, 0.12, 0.25)  # P(externally verified) by level
_NOT_APPLICABLE = 0.04
_COMMENTED = 0.03
_DRAFT_SHARE = 0.15
_DRAFT_COVERAGE = (0.40, 0.95)
_SECOND_REVISION = 0.03
_ANSWER_MONTHS = (3, 5, 6, 9, 10)
_NOT_APPLICABLE_REASONS = (
    "Demo: Die Aufgabe liegt bei einer anderen Verwaltungsebene.",
    "Demo: Die Kommune hat in diesem Bereich keine eigenen Einrichtungen.",
    "Demo: Für die Kommune ohne Bedeutung; die Begründung liegt der Verwaltung vor.",
)
_COMMENTS = (
    "Umsetzung läuft seit dem Frühjahr.",
    "Abstimmung mit dem Kreis steht noch aus.",
    "Zuständigkeit wurde im Haushaltsjahr neu geregelt.",
    "Wird im nächsten Bericht an den Rat ausführlicher dargestellt.",
    "Einschätzung der Stabsstelle Nachhaltigkeit.",
    "Pilotprojekt in zwei Fachbereichen.",
    "Personalstelle derzeit unbesetzt.",
    "Beschlussvorlage ist in Vorbereitung.",
)
_DOCUMENTS = ("Demo-Dienstanweisung", "Demo-Sachstandsbericht", "Demo-Verwaltungsvorlage")

# --- invented names --------------------------------------------------------------------------

_STEMS = (
    # trees, shrubs and plants
    "Buchen", "Erlen", "Tannen", "Fichten", "Eschen", "Ulmen", "Holunder", "Schlehen",
    "Wacholder", "Mispel", "Ahorn", "Kastanien", "Kirsch", "Apfel", "Birn", "Hopfen", "Flachs",
    "Hafer", "Roggen", "Gersten", "Klee", "Farn", "Ginster", "Lilien", "Nessel", "Distel",
    "Kalmus", "Binsen", "Schilf", "Quendel", "Salbei", "Minzen", "Efeu", "Mistel", "Lauch",
    "Rüben", "Möhren", "Linsen", "Bohnen", "Erbsen", "Dinkel", "Hirse", "Senf", "Kümmel",
    "Fenchel", "Dill", "Waid", "Krapp", "Wermut", "Rainfarn", "Schafgarben", "Wegwarten",
    "Kamillen", "Thymian", "Lavendel", "Holler", "Elsbeeren", "Speierling", "Wildbirn",
    "Hagebutten", "Brombeer", "Himbeer", "Heidelbeer", "Preisel", "Moltebeer", "Sanddorn",
    "Quitten", "Pflaumen", "Mirabellen", "Walnuss", "Maronen",
    # animals
    "Wolfs", "Fuchs", "Dachs", "Biber", "Otter", "Adler", "Raben", "Kranich", "Storchen",
    "Schwanen", "Tauben", "Finken", "Lerchen", "Eulen", "Hasen", "Bären", "Luchs", "Geißen",
    "Ochsen", "Hummel", "Forellen", "Hecht", "Dohlen", "Reiher", "Specht", "Amsel", "Drossel",
    "Meisen", "Wiesel", "Marder", "Igel", "Hamster", "Wachtel", "Stieglitz", "Zeisig", "Kauz",
    "Sperber", "Kiebitz", "Unken", "Molch", "Kröten", "Schnecken", "Wespen", "Grillen",
    "Käfer",
    # land and water
    "Kiesel", "Lehm", "Kalk", "Mergel", "Torf", "Quell", "Brunnen", "Weiher", "Teich", "Moor",
    "Anger", "Hügel", "Kuppen", "Senken", "Mulden", "Klippen", "Schotter",
    # colours and metals
    "Roten", "Silber", "Kupfer", "Zinn",
    # trades and buildings
    "Hammer", "Kessel", "Köhler", "Ziegel", "Glas", "Salz", "Pech", "Teer", "Zoll", "Schmiede",
    "Wagner", "Seiler", "Gerber", "Färber", "Weber", "Drechsler", "Töpfer", "Imker", "Flößer",
)  # fmt: skip
_LAND_SUFFIXES: dict[str, tuple[str, ...]] = {  # endings typical of a Land's place names
    "01": ("büttel", "stedt", "horst", "au", "dorf", "hagen", "wede"),
    "03": ("büttel", "horst", "stedt", "hausen", "rode", "loh", "beck", "hude", "wede"),
    "05": ("scheid", "beck", "hausen", "hagen", "kirchen", "rath", "loh", "berg"),
    "06": ("hausen", "bach", "heim", "rode", "born", "au", "feld"),
    "07": ("heim", "bach", "scheid", "weiler", "born", "rath", "feld"),
    "08": ("hofen", "heim", "hausen", "bach", "weiler", "stetten", "berg"),
    "09": ("hofen", "reuth", "grün", "ried", "moos", "kirchen", "dorf", "zell"),
    "10": ("weiler", "bach", "heim", "hausen", "berg"),
    "12": ("walde", "werder", "hagen", "felde", "dorf", "berg", "luch"),
    "13": ("hagen", "dorf", "hof", "beck", "felde", "werder", "holm"),
    "14": ("grün", "hain", "walde", "dorf", "au", "berg", "tal"),
    "15": ("leben", "stedt", "rode", "dorf", "felde", "hausen"),
    "16": ("leben", "roda", "rode", "stedt", "hausen", "feld"),
}
_TOWN_SUFFIXES = (
    "burg", "berg", "heim", "hausen", "furt", "feld", "stein", "brück", "born", "au", "kirchen",
    "hagen",
)  # fmt: skip
_OTHER_SUFFIXES = ("wald", "tal", "winkel", "wiesen", "heide", "holz", "brunn", "mühlen", "bruch")
_SUFFIXES = tuple(
    sorted(
        {s for endings in _LAND_SUFFIXES.values() for s in endings}
        | set(_TOWN_SUFFIXES)
        | set(_OTHER_SUFFIXES)
    )
)
_PREFIXES = (
    "Ober", "Nieder", "Unter", "Mittel", "Alt", "Neu", "Groß", "Klein", "Hohen", "Wester",
    "Oster", "Nord", "Süd", "Hinter", "Vorder",
)  # fmt: skip
_SAINTS = (
    "Gerwin", "Odilo", "Hiltrud", "Reinold", "Ansgar", "Bonifaz", "Irmgard", "Notburga",
    "Radegund", "Theodul", "Wunibald", "Lioba", "Emmeram", "Korbinian", "Willibrord", "Hubertus",
    "Gertrud", "Benno", "Fridolin", "Pirmin", "Rupert", "Wendelin", "Adelheid", "Meinrad",
)  # fmt: skip
_LOCATIVES = (
    "an der Lauter", "an der Murr", "an der Ahle", "an der Selke", "an der Wern", "an der Ohm",
    "am Wald", "am Kamm", "am See", "am Hohen Stein", "im Grund", "im Winkel",
)  # fmt: skip
_REAL_NAMES = frozenset(
    {
        # Combinations that are real municipality names in the Destatis directory (checked by
        # tests/test_demo_data.py against the GV-ISys file): never generated, nor is any name
        # built on them (no "Oberwolfsburg").
        "Ahorntal", "Apfeldorf", "Biberbach", "Bibertal", "Birnbach", "Buchenbach",
        "Buchenberg", "Bärenbach", "Bärenstein", "Dachsbach", "Dachsberg", "Erlenbach",
        "Erlenmoos", "Eschenbach", "Eschenburg", "Eulenberg", "Fichtenau", "Fichtenberg",
        "Fuchshofen", "Fuchstal", "Gerstenberg", "Gerstengrund", "Glasau", "Hammerstedt",
        "Hammerstein", "Hechthausen", "Hummelfeld", "Hummeltal", "Kalkhorst", "Kirschweiler",
        "Kranichfeld", "Kupferberg", "Kupferzell", "Kuppenheim", "Lauchheim", "Meisenheim",
        "Mistelbach", "Möhrendorf", "Ochsenfurt", "Ochsenhausen", "Otterbach", "Otterberg",
        "Pechbrunn", "Rabenau", "Rabenholz", "Roggenburg", "Roggendorf", "Rotenburg",
        "Rotenhain", "Salzburg", "Salzhausen", "Schmiedehausen", "Schneckenhausen",
        "Silberstedt", "Tannenberg", "Unkenbach", "Waidhofen", "Wolfsburg", "Wolfsheim",
        "Bad Schmiedeberg", "Bad Birnbach",
    }
)  # fmt: skip
# Name forms and how often each is tried: plain (Buchenfeld), with a prefix (Oberbuchenfeld),
# spa (Bad Buchenfeld), saint (Sankt Gerwin), with a location (Buchenfeld an der Lauter).
_FORMS = ("plain", "prefixed", "spa", "saint", "located")
_FORM_WEIGHTS = (0.62, 0.25, 0.03, 0.004, 0.096)
_TOWN_FORM_WEIGHTS = (0.75, 0.15, 0.05, 0.0, 0.05)
_NAME_ATTEMPTS = 40
_IMPORT_BATCH = 10_000  # assessments per importer call when writing


@dataclass(frozen=True)
class DemoSpec:
    """What to generate: how many municipalities (counties and kreisfreie Städte included) over
    how many periods (years ``last_period - periods + 1`` … ``last_period``)."""

    municipalities: int
    periods: int
    seed: int = 1
    last_period: int = 2025
    rings: bool = True

    def __post_init__(self) -> None:
        if not 1 <= self.municipalities <= MAX_MUNICIPALITIES:
            raise ValueError(
                f"municipalities must be 1–{MAX_MUNICIPALITIES}, found {self.municipalities}"
            )
        if not 1 <= self.periods <= MAX_PERIODS:
            raise ValueError(f"periods must be 1–{MAX_PERIODS}, found {self.periods}")
        if self.last_period > 2100 or self.first_period < 1990:
            raise ValueError(
                f"the periods {self.first_period}–{self.last_period} must lie within 1990–2100"
            )

    @property
    def first_period(self) -> int:
        return self.last_period - self.periods + 1

    @property
    def period_years(self) -> tuple[int, ...]:
        return tuple(range(self.first_period, self.last_period + 1))


@dataclass(frozen=True)
class DemoRing:
    name: str
    period: int
    members: tuple[tuple[str, bool], ...]  # (AGS, consents to be shown by name)


@dataclass(frozen=True)
class DemoData:
    municipalities: list[Municipality]
    assessments: list[ImportedAssessment]
    rings: list[DemoRing]


@dataclass(frozen=True)
class DemoSummary:
    """What a demo data set holds (and, after ``replace``, what was deleted first)."""

    municipalities: int
    counties: int
    kreisfreie: int
    assessments: int  # (municipality, period) pairs
    revisions: int  # stored revisions: assessments plus second revisions
    drafts: int
    responses: int
    rings: int
    ring_members: int
    periods: tuple[int, ...]
    deleted: dict[str, int] | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "municipalities": self.municipalities,
            "counties": self.counties,
            "kreisfreie": self.kreisfreie,
            "assessments": self.assessments,
            "revisions": self.revisions,
            "drafts": self.drafts,
            "responses": self.responses,
            "rings": self.rings,
            "ring_members": self.ring_members,
            "periods": list(self.periods),
            "deleted": self.deleted,
        }


# --- generation --------------------------------------------------------------------------------


def generate(spec: DemoSpec, catalog: Catalog) -> DemoData:
    """Fictional municipalities with assessments for every period and, optionally, rings.

    Pure: the same spec and catalog always give the same data."""
    if not any(True for _ in catalog.iter_criteria()):
        raise ValueError("the catalog has no criteria: demo assessments need installed dimensions")
    rng = random.Random(spec.seed)
    with _gc_paused():
        entities = _entities(rng, spec.municipalities)
        municipalities = [_municipality(entity, spec) for entity in entities]
        assessments = _Answers(rng, spec, catalog).assessments(entities)
        rings = _rings(rng, spec, entities) if spec.rings else []
    return DemoData(municipalities=municipalities, assessments=assessments, rings=rings)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of long-lived objects are created:
    each collection would scan all of them again (about a third of the run time at national
    scale). The objects made here hold no reference cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def summarize(data: DemoData, deleted: dict[str, int] | None = None) -> DemoSummary:
    pairs = {(item.assessment.ags, item.assessment.period) for item in data.assessments}
    return DemoSummary(
        municipalities=len(data.municipalities),
        counties=sum(1 for m in data.municipalities if m.kind.is_county),
        kreisfreie=sum(
            1
            for m in data.municipalities
            if m.kind in {MunicipalityKind.KREISFREIE_STADT, MunicipalityKind.STADTKREIS}
        ),
        assessments=len(pairs),
        revisions=len(data.assessments),
        drafts=sum(
            1 for item in data.assessments if item.assessment.status is AssessmentStatus.DRAFT
        ),
        responses=sum(len(item.assessment.responses) for item in data.assessments),
        rings=len(data.rings),
        ring_members=sum(len(ring.members) for ring in data.rings),
        periods=tuple(sorted({period for _, period in pairs})),
        deleted=deleted,
    )


@dataclass
class _Entity:
    ags: str
    role: str  # "county", "kreisfrei" or "gemeinde"
    kreis_ags: str | None = None
    size_class: str = "GK7"
    population: int = 0
    kind: MunicipalityKind = MunicipalityKind.GEMEINDE
    name: str = ""

    @property
    def land(self) -> str:
        return self.ags[:2]


def _entities(rng: random.Random, total: int) -> list[_Entity]:
    """Place counties, kreisfreie Städte and Gemeinden on AGS slots, then give them sizes,
    kinds and names."""
    counties, kreisfreie, gemeinden = _entity_counts(total)
    city_states = len(_CITY_STATES) if kreisfreie >= _CITY_STATES_FROM_KREISFREIE else 0
    counties_by_land = _apportion(
        rng, counties, _KREISE, dict.fromkeys(_KREISE, _MAX_COUNTIES_PER_LAND)
    )
    kreisfreie_by_land = _apportion(
        rng,
        kreisfreie - city_states,
        _KREISFREIE,
        {land: len(_REGIERUNGSBEZIRK_DIGITS) - counties_by_land[land] for land in _KREISFREIE},
    )
    gemeinden_by_land = _gemeinden_by_land(rng, gemeinden, counties_by_land)
    entities: list[_Entity] = []
    for ags, size_class, low, high in _CITY_STATES[:city_states]:
        entities.append(
            _Entity(ags, "kreisfrei", size_class=size_class, population=_draw(rng, low, high, 1))
        )
    for land in TERRITORIAL_LAENDER:
        entities += _land_entities(
            rng,
            land,
            counties_by_land[land],
            kreisfreie_by_land[land],
            gemeinden_by_land.get(land, 0),
        )
    _size_counties(rng, [e for e in entities if e.role == "county"])
    _size_kreisfreie(rng, [e for e in entities if e.role == "kreisfrei" and not e.population])
    _size_gemeinden(rng, entities)
    used: set[str] = set()
    for entity in entities:
        entity.kind = _kind(rng, entity)
        entity.name = _entity_name(rng, entity, used)
    entities.sort(key=lambda e: e.ags)
    return entities


def _entity_counts(total: int) -> tuple[int, int, int]:
    """(counties, kreisfreie Städte, kreisangehörige Gemeinden) for ``total`` entities: the
    real proportions, within the slots the AGS scheme offers, at least one county from five
    entities and one kreisfreie Stadt from three."""
    counties = (total * _ALL_COUNTIES + _ALL_ENTITIES // 2) // _ALL_ENTITIES
    kreisfreie = (total * _ALL_KREISFREIE + _ALL_ENTITIES // 2) // _ALL_ENTITIES
    if total >= 5:
        counties = max(counties, 1)
    if total >= 3:
        kreisfreie = max(kreisfreie, 1)
    counties = min(counties, _MAX_COUNTIES_PER_LAND * len(_KREISE))
    city_states = len(_CITY_STATES) if kreisfreie >= _CITY_STATES_FROM_KREISFREIE else 0
    slots = len(_REGIERUNGSBEZIRK_DIGITS) * len(TERRITORIAL_LAENDER)
    kreisfreie = min(kreisfreie, city_states + slots - counties)
    return counties, kreisfreie, total - counties - kreisfreie


def _gemeinden_by_land(
    rng: random.Random, gemeinden: int, counties_by_land: dict[str, int]
) -> dict[str, int]:
    """Gemeinden go to the Länder that have a county, in proportion to the real number of
    Gemeinden; without any county (fewer than five entities) to any Land."""
    with_county = [land for land in TERRITORIAL_LAENDER if counties_by_land[land]]
    lands = with_county or list(TERRITORIAL_LAENDER)
    weights = {land: sum(_GEMEINDEN_BY_CLASS[land]) for land in lands}
    caps = {
        land: _GEMEINDEN_PER_COUNTY * counties_by_land[land] if with_county else 999
        for land in lands
    }
    return _apportion(rng, gemeinden, weights, caps)


def _land_entities(
    rng: random.Random, land: str, counties: int, kreisfreie: int, gemeinden: int
) -> list[_Entity]:
    digits = list(_REGIERUNGSBEZIRK_DIGITS)
    rng.shuffle(digits)
    county_slots = [f"{land}{digit}99" for digit in digits[:counties]]
    free_slots = [f"{land}{digit}99" for digit in digits[counties:]]
    entities = [_Entity(slot + "000", "county") for slot in county_slots]
    entities += [_Entity(slot + "000", "kreisfrei") for slot in free_slots[:kreisfreie]]
    if not gemeinden:
        return entities
    if county_slots:
        weights = {slot: 0.4 + rng.random() for slot in county_slots}
        per_slot = _apportion(rng, gemeinden, weights, dict.fromkeys(county_slots, 999))
    else:  # no county at all: the Gemeinden share a slot of their own, without a Kreis
        per_slot = {free_slots[kreisfreie]: gemeinden}
    for slot, count in per_slot.items():
        kreis = slot + "000" if slot in county_slots else None
        for number in sorted(rng.sample(range(1, 1000), count)):
            entities.append(_Entity(f"{slot}{number:03d}", "gemeinde", kreis_ags=kreis))
    return entities


def _size_counties(rng: random.Random, counties: list[_Entity]) -> None:
    classes = _shuffled_classes(rng, _apportion(rng, len(counties), _COUNTIES_BY_CLASS))
    for entity, size_class in zip(counties, classes, strict=True):
        low, high, power = _COUNTY_POPULATION_RANGES[size_class]
        entity.size_class = size_class
        entity.population = _draw(rng, low, high, power)


def _size_kreisfreie(rng: random.Random, kreisfreie: list[_Entity]) -> None:
    classes = _shuffled_classes(rng, _apportion(rng, len(kreisfreie), _KREISFREIE_BY_CLASS))
    for entity, size_class in zip(kreisfreie, classes, strict=True):
        _set_size(rng, entity, size_class)


def _size_gemeinden(rng: random.Random, entities: list[_Entity]) -> None:
    """Size classes of the kreisangehörige Gemeinden: together with the kreisfreie Städte they
    match the real shares; each class goes preferably to Länder where it is common."""
    towns = [e for e in entities if e.role == "kreisfrei"]
    gemeinden = [e for e in entities if e.role == "gemeinde"]
    taken = {c: sum(1 for e in towns if e.size_class == c) for c in SIZE_CLASSES}
    wanted = {
        c: max(SIZE_CLASS_SHARES[c] * (len(towns) + len(gemeinden)) - taken[c], 0.0)
        for c in SIZE_CLASSES
    }
    counts = _apportion(rng, len(gemeinden), wanted)
    remaining: dict[str, list[_Entity]] = {}
    for entity in gemeinden:
        remaining.setdefault(entity.land, []).append(entity)
    for index, size_class in enumerate(SIZE_CLASSES):
        weights = {
            land: len(members) * _class_affinity(land, index) for land, members in remaining.items()
        }
        caps = {land: len(members) for land, members in remaining.items()}
        for land, count in _apportion(rng, counts[size_class], weights, caps).items():
            members = remaining[land]
            for position in sorted(rng.sample(range(len(members)), count), reverse=True):
                _set_size(rng, members.pop(position), size_class)


def _class_affinity(land: str, class_index: int) -> float:
    """How common a size class is among a Land's Gemeinden (smoothed: never zero)."""
    row = _GEMEINDEN_BY_CLASS[land]
    return (row[class_index] + 0.2) / (sum(row) + 1.4)


def _set_size(rng: random.Random, entity: _Entity, size_class: str) -> None:
    low, high, power = _POPULATION_RANGES[size_class]
    entity.size_class = size_class
    if power:
        entity.population = _draw(rng, low, high, power)
    else:  # interpolate between the real deciles
        position = rng.random() * 10
        decile = int(position)
        below, above = _GEMEINDE_DECILES[decile], _GEMEINDE_DECILES[decile + 1]
        entity.population = below + int((above - below) * (position - decile))


def _shuffled_classes(rng: random.Random, counts: dict[str, int]) -> list[str]:
    classes = [c for c, n in counts.items() for _ in range(n)]
    rng.shuffle(classes)
    return classes


def _draw(rng: random.Random, low: int, high: int, power: int) -> int:
    """An integer in low..high; a higher ``power`` favours the lower end (u**power, computed
    by multiplication so it is exact everywhere)."""
    u = rng.random()
    x = u
    for _ in range(power - 1):
        x *= u
    return low + int((high - low + 1) * x)


def _kind(rng: random.Random, entity: _Entity) -> MunicipalityKind:
    land = entity.land
    if entity.role == "county":
        return MunicipalityKind.KREIS if land in {"01", "05"} else MunicipalityKind.LANDKREIS
    if entity.role == "kreisfrei":
        return MunicipalityKind.STADTKREIS if land == "08" else MunicipalityKind.KREISFREIE_STADT
    u = rng.random()
    if land in {"08", "09"} and entity.population >= 20_000 and u < 0.5:
        return MunicipalityKind.GROSSE_KREISSTADT
    town_share = {"GK6": 0.6, "GK5": 0.9}.get(entity.size_class, 0.97)
    if entity.size_class == "GK7":  # small towns are mostly above 2,000 inhabitants
        town_share = 0.21 if entity.population >= 2_000 else 0.02
    if u < town_share:
        return MunicipalityKind.STADT
    if land == "09" and entity.size_class in {"GK7", "GK6"} and rng.random() < 0.2:
        return MunicipalityKind.MARKT
    return MunicipalityKind.GEMEINDE


def _entity_name(rng: random.Random, entity: _Entity, used: set[str]) -> str:
    if entity.role == "county":
        base = _draw_name(rng, entity.land, used, plain_only=True)
        prefix = "Kreis" if entity.kind is MunicipalityKind.KREIS else "Landkreis"
        return f"{prefix} {base}"
    town = entity.role == "kreisfrei" or entity.size_class in {"GK1", "GK2", "GK3", "GK4"}
    return _draw_name(rng, entity.land, used, town=town)


def _municipality(entity: _Entity, spec: DemoSpec) -> Municipality:
    return Municipality(
        ags=entity.ags,
        name=entity.name,
        kind=entity.kind,
        population=entity.population,
        population_date=date(spec.last_period - 1, 12, 31),
        kreis_ags=entity.kreis_ags,
        is_demo=True,
        source=f"nhm demo-data seed {spec.seed}",
    )


# --- names ---------------------------------------------------------------------------------


def _plain(stem: str, suffix: str) -> str:
    return stem + suffix


def _prefixed(prefix: str, plain: str) -> str:
    return prefix + plain[0].lower() + plain[1:]


@cache
def _plain_names() -> frozenset[str]:
    names = {
        _plain(stem, suffix)
        for stem in _STEMS
        for suffix in _SUFFIXES
        if stem[-2:] != suffix[0] * 2  # no "Zollloh"
    }
    return frozenset(names - _REAL_NAMES)


@cache
def name_pool() -> frozenset[str]:
    """Every base name the generator can produce (counties add "Landkreis " or "Kreis ")."""
    plain = _plain_names()
    names = set(plain)
    names |= {_prefixed(prefix, p) for prefix in _PREFIXES for p in plain}
    names |= {f"Bad {p}" for p in plain}
    names |= {f"Sankt {saint}" for saint in _SAINTS}
    names |= {f"{p} {where}" for p in plain for where in _LOCATIVES}
    return frozenset(names - _REAL_NAMES)


@cache
def _sorted_pool() -> tuple[str, ...]:
    return tuple(sorted(name_pool()))


def _draw_name(
    rng: random.Random, land: str, used: set[str], *, town: bool = False, plain_only: bool = False
) -> str:
    """A name not used before in this run: drawn by form, with the Land's typical endings;
    when the forms are crowded, the first free name of the pool from a random start."""
    pool = name_pool()
    for _ in range(_NAME_ATTEMPTS):
        name = _candidate(rng, land, town=town, plain_only=plain_only)
        if name in pool and name not in used:
            used.add(name)
            return name
    names = _sorted_pool()
    start = rng.randrange(len(names))
    for offset in range(len(names)):
        name = names[(start + offset) % len(names)]
        if name not in used:
            used.add(name)
            return name
    raise AssertionError("the name pool is exhausted")  # it holds far more than 20,000 names


def _candidate(rng: random.Random, land: str, *, town: bool, plain_only: bool) -> str:
    if plain_only:
        form = "plain" if rng.random() < 0.85 else "prefixed"
    else:
        weights = _TOWN_FORM_WEIGHTS if town else _FORM_WEIGHTS
        form = rng.choices(_FORMS, weights)[0]
    if form == "saint":
        return f"Sankt {rng.choice(_SAINTS)}"
    typical = _TOWN_SUFFIXES if town else _LAND_SUFFIXES.get(land, _TOWN_SUFFIXES)
    suffix = rng.choice(typical) if rng.random() < 0.65 else rng.choice(_SUFFIXES)
    plain = _plain(rng.choice(_STEMS), suffix)
    if form == "prefixed":
        return _prefixed(rng.choice(_PREFIXES), plain)
    if form == "spa":
        return f"Bad {plain}"
    if form == "located":
        return f"{plain} {rng.choice(_LOCATIVES)}"
    return plain


# --- assessments -------------------------------------------------------------------------------


@dataclass
class _Profile:
    """What stays the same for one municipality across periods."""

    base: list[float]  # value of each criterion in the first period, before noise
    growth: float
    not_applicable: list[int | None]  # index of the N/A reason, or None
    evidence: list[float]  # propensity to document (lower: documented already at lower levels)
    references: list[tuple[int, int, int]]  # (document type, year, number)
    county: bool


@dataclass
class _Answers:
    """Turns municipalities into assessments, one per period (plus a few second revisions)."""

    rng: random.Random
    spec: DemoSpec
    catalog: Catalog
    criteria: list[tuple[str, int, float, bool]] = field(init=False)  # id, dim., difficulty, N/A
    dimensions: list[tuple[float, float]] = field(init=False)  # shift, slope per dimension
    versions: dict[str, str] = field(init=False)
    cache: dict[tuple[Any, ...], Response] = field(init=False, default_factory=dict)
    texts: dict[tuple[int, int, int, bool], str] = field(init=False)

    def __post_init__(self) -> None:
        seed = self.spec.seed
        index = {d.id: i for i, d in enumerate(self.catalog.dimensions)}
        self.criteria = []
        for dimension, criterion in self.catalog.iter_criteria():
            full_id = dimension.full_id(criterion)
            difficulty = (random.Random(f"{seed}/criterion/{full_id}").random() - 0.5) * 1.4
            self.criteria.append((full_id, index[dimension.id], difficulty, criterion.na_allowed))
        self.dimensions = []
        for dimension in self.catalog.dimensions:
            own = random.Random(f"{seed}/dimension/{dimension.id}")
            self.dimensions.append((own.random() * 0.7 - 0.35, (own.random() * 2 - 1) * 0.15))
        self.versions = self.catalog.versions()
        self.texts = {}

    def assessments(self, entities: Sequence[_Entity]) -> list[ImportedAssessment]:
        items: list[ImportedAssessment] = []
        for entity in entities:
            items += self._assessments_of(entity)
        return items

    def _assessments_of(self, entity: _Entity) -> Iterator[ImportedAssessment]:
        profile = self._profile(entity)
        periods = self.spec.period_years
        for t, period in enumerate(periods):
            draft = period == periods[-1] and self.rng.random() < _DRAFT_SHARE
            when = _answer_time(period, self.rng.choice(_ANSWER_MONTHS))
            levels = self._levels(profile, self._answered(draft), t)
            responses = self._responses(profile, levels, when)
            status = AssessmentStatus.DRAFT if draft else AssessmentStatus.SUBMITTED
            yield self._item(entity, period, 1, status, responses)
            if not draft and self.rng.random() < _SECOND_REVISION:
                revised = self._revise(profile, levels, responses, _answer_time(period, 12))
                yield self._item(entity, period, 2, AssessmentStatus.SUBMITTED, revised)

    def _profile(self, entity: _Entity) -> _Profile:
        r = self.rng.random
        county = entity.role == "county"
        base = (_COUNTY_BASE_MATURITY if county else _BASE_MATURITY)[entity.size_class]
        latent = base + _MATURITY_SPREAD * _normal(r)
        growth = max(_GROWTH_FLOOR, _GROWTH_MEAN + _GROWTH_SPREAD * _normal(r))
        offsets = [
            shift + slope * (latent - 1.5) + _DIMENSION_SPREAD * _normal(r)
            for shift, slope in self.dimensions
        ]
        first = self.spec.first_period
        return _Profile(
            base=[
                latent + offsets[dimension] - difficulty + _CRITERION_SPREAD * (r() + r() - 1)
                for _, dimension, difficulty, _ in self.criteria
            ],
            growth=growth,
            not_applicable=[
                self.rng.randrange(len(_NOT_APPLICABLE_REASONS))
                if na_allowed and r() < _NOT_APPLICABLE
                else None
                for *_, na_allowed in self.criteria
            ],
            evidence=[r() for _ in self.criteria],
            references=[
                (
                    self.rng.randrange(len(_DOCUMENTS) + 1),
                    first - self.rng.randrange(4),
                    self.rng.randrange(1, 61),
                )
                for _ in self.criteria
            ],
            county=county,
        )

    def _answered(self, draft: bool) -> list[int]:
        everything = range(len(self.criteria))
        if not draft:
            return list(everything)
        low, high = _DRAFT_COVERAGE
        share = low + (high - low) * self.rng.random()
        count = max(1, int(share * len(self.criteria) + 0.5))
        return sorted(self.rng.sample(everything, count))

    def _levels(self, profile: _Profile, answered: list[int], t: int) -> dict[int, int | None]:
        """The level of each answered criterion in period ``t`` (None: not applicable)."""
        r = self.rng.random
        shift = profile.growth * t + 0.5  # + 0.5: int() then rounds to the nearest level
        base, not_applicable = profile.base, profile.not_applicable
        levels: dict[int, int | None] = {}
        for j in answered:
            if not_applicable[j] is not None:
                levels[j] = None
                continue
            value = base[j] + shift + _PERIOD_NOISE * (r() + r() - 1)
            levels[j] = 0 if value < 0 else 4 if value >= 4 else int(value)
        return levels

    def _responses(
        self, profile: _Profile, levels: dict[int, int | None], when: datetime
    ) -> dict[str, Response]:
        """Hot path (millions of answers): kept flat, with local names."""
        r, cache, criteria = self.rng.random, self.cache, self.criteria
        responses: dict[str, Response] = {}
        for j, level in levels.items():
            key = self._key(profile, j, level, when)
            if r() < _COMMENTED:
                key = (*key, self.rng.choice(_COMMENTS))
            response = cache.get(key)
            if response is None:
                response = cache[key] = _make_response(key)
            responses[criteria[j][0]] = response
        return responses

    def _key(self, profile: _Profile, j: int, level: int | None, when: datetime) -> tuple[Any, ...]:
        """What a response holds, as a hashable key: (when, N/A reason) or (when, level,
        evidence status, reference), then optionally a comment."""
        if level is None:
            return (when, profile.not_applicable[j])
        propensity = profile.evidence[j]
        if propensity < _VERIFIED[level]:
            status = EvidenceStatus.EXTERNALLY_VERIFIED
        elif propensity < _DOCUMENTED[level]:
            status = EvidenceStatus.DOCUMENTED
        else:
            return (when, level, EvidenceStatus.SELF_DECLARED, None)
        return (when, level, status, self._reference(profile.references[j], profile.county))

    def _reference(self, parts: tuple[int, int, int], county: bool) -> str:
        """E.g. "Demo-Ratsbeschluss 2022/017" (a Kreistagsbeschluss for counties)."""
        key = (*parts, county)
        text = self.texts.get(key)
        if text is None:
            kind, year, number = parts
            decision = "Demo-Kreistagsbeschluss" if county else "Demo-Ratsbeschluss"
            document = (decision, *_DOCUMENTS)[kind]
            text = self.texts[key] = f"{document} {year}/{number:03d}"
        return text

    def _revise(
        self,
        profile: _Profile,
        levels: dict[int, int | None],
        responses: dict[str, Response],
        when: datetime,
    ) -> dict[str, Response]:
        """A second revision: the same answers with one to four levels changed (mostly up)."""
        changeable = [j for j, level in levels.items() if level is not None]
        changed: dict[int, int | None] = {}
        for j in self.rng.sample(changeable, min(len(changeable), self.rng.randint(1, 4))):
            level = levels[j]
            assert level is not None
            step = 1 if self.rng.random() < 0.8 else -1
            changed[j] = level + step if 0 <= level + step <= 4 else level - step
        return {**responses, **self._responses(profile, changed, when)}

    def _item(
        self,
        entity: _Entity,
        period: int,
        revision: int,
        status: AssessmentStatus,
        responses: dict[str, Response],
    ) -> ImportedAssessment:
        assessment = Assessment(
            ags=entity.ags,
            period=period,
            revision=revision,
            status=status,
            responses=responses,
            dimension_versions=self.versions,
        )
        return ImportedAssessment(
            assessment=assessment,
            revision=revision,
            is_demo=True,
            source=f"nhm demo-data seed {self.spec.seed}",
        )


def _normal(r: Callable[[], float]) -> float:
    """About standard normal: the sum of four uniforms, centred and scaled (exact arithmetic,
    unlike random.gauss, so identical on every platform)."""
    return (r() + r() + r() + r() - 2.0) * 1.7320508075688772


def _answer_time(period: int, month: int) -> datetime:
    day = 1 if month == 12 else 15
    return datetime(period, month, day, 10, 0, tzinfo=UTC)


def _make_response(key: tuple[Any, ...]) -> Response:
    """The (validated) Response a key of ``_Answers._key`` describes."""
    if len(key) in {2, 3}:  # (when, reason[, comment]): not applicable
        return Response(
            not_applicable=True,
            justification=_NOT_APPLICABLE_REASONS[key[1]],
            comment=key[2] if len(key) == 3 else None,
            answered_by=GENERATOR,
            answered_at=key[0],
        )
    return Response(
        level=key[1],
        evidence_status=key[2],
        evidence_reference=key[3],
        comment=key[4] if len(key) == 5 else None,
        answered_by=GENERATOR,
        answered_at=key[0],
    )


# --- rings -------------------------------------------------------------------------------------


def _rings(rng: random.Random, spec: DemoSpec, entities: list[_Entity]) -> list[DemoRing]:
    rings: list[DemoRing] = []
    if len(entities) >= MUSTERREGION_SIZE:
        rings.append(_musterregion(rng, spec, entities))
    counties = [e for e in entities if e.role == "county"]
    if len(entities) >= 40 and len(counties) >= 6:
        chosen = sorted(rng.sample(counties, min(len(counties), MAX_COUNTY_RING_SIZE)), key=_ags)
        members = tuple((e.ags, rng.random() < 0.5) for e in chosen)
        rings.append(DemoRing(COUNTY_RING, spec.last_period, members))
    return rings


def _musterregion(rng: random.Random, spec: DemoSpec, entities: list[_Entity]) -> DemoRing:
    """Twelve municipalities of the Land with the most of them (others fill up if it has
    fewer); seven agree to be shown by name."""
    towns = [e for e in entities if e.role != "county"]
    by_land: dict[str, list[_Entity]] = {}
    for entity in towns:
        by_land.setdefault(entity.land, []).append(entity)
    land = max(sorted(by_land), key=lambda code: len(by_land[code]))
    chosen = rng.sample(by_land[land], min(len(by_land[land]), MUSTERREGION_SIZE))
    for fill in ([e for e in towns if e.land != land], [e for e in entities if e.role == "county"]):
        needed = MUSTERREGION_SIZE - len(chosen)
        chosen += rng.sample(fill, min(len(fill), needed))
    chosen.sort(key=_ags)
    named = set(rng.sample(range(MUSTERREGION_SIZE), MUSTERREGION_NAMED))
    members = tuple((e.ags, i in named) for i, e in enumerate(chosen))
    return DemoRing(MUSTERREGION_RING, spec.last_period, members)


def _ags(entity: _Entity) -> str:
    return entity.ags


# --- apportioning ------------------------------------------------------------------------------


def _apportion(
    rng: random.Random,
    total: int,
    weights: dict[K, float] | dict[K, int],
    caps: dict[K, int] | None = None,
) -> dict[K, int]:
    """Split ``total`` over the keys in proportion to their weights, never above a key's cap.

    Each key gets the whole part of its share; the units left over go to keys drawn by the
    fractional parts of their shares (stochastic rounding: large totals follow the weights
    closely, small ones still vary by seed). Keys of weight 0 get units only when no other
    key has room left."""
    result = dict.fromkeys(weights, 0)
    left = total
    while left > 0:
        room = {k: left if caps is None else caps[k] - result[k] for k in weights}
        open_keys = [k for k in weights if room[k] > 0 and weights[k] > 0]
        if not open_keys:
            open_keys = [k for k in weights if room[k] > 0]
            if not open_keys:
                raise ValueError(f"no room for {left} more in {sorted(map(str, weights))}")
        scale = sum(weights[k] or 1 for k in open_keys)
        shares = {k: left * (weights[k] or 1) / scale for k in open_keys}
        for k in open_keys:
            whole = min(int(shares[k]), room[k])
            result[k] += whole
            left -= whole
            room[k] -= whole
        candidates = [k for k in open_keys if room[k] > 0]
        while left > 0 and candidates:
            fractions = [shares[k] - int(shares[k]) + 1e-9 for k in candidates]
            chosen = rng.choices(candidates, fractions)[0]
            result[chosen] += 1
            left -= 1
            candidates.remove(chosen)
    return result


# --- writing -------------------------------------------------------------------------------


def _import_batches(items: Sequence[ImportedAssessment]) -> Iterator[list[ImportedAssessment]]:
    """The assessments in batches for the importer: revision 1 before revision 2 (an import
    takes each AGS and period once per call), at most ``_IMPORT_BATCH`` at a time, which keeps
    the memory of a national-scale write in bounds."""
    by_revision: dict[int, list[ImportedAssessment]] = {}
    for item in items:
        by_revision.setdefault(item.revision or 1, []).append(item)
    for revision in sorted(by_revision):
        batch = by_revision[revision]
        for start in range(0, len(batch), _IMPORT_BATCH):
            yield batch[start : start + _IMPORT_BATCH]


def existing_demo_data(store: Store) -> dict[str, int]:
    """How many demo municipalities, demo assessment revisions and demo rings are stored."""
    with store.cursor() as cursor:
        return demo_counts(cursor)


def demo_data_conflict(store: Store, counts: dict[str, int]) -> ConflictError:
    """The refusal to write demo data over existing demo data."""
    return ConflictError(
        f"the database {store.path} already holds demo data "
        f"({counts['municipalities']:,} demo municipalities, {counts['assessments']:,} demo "
        f"assessment revisions, {counts['rings']} demo rings): replace it (nhm demo-data "
        "--replace deletes all demo data, and only demo data, before writing the new set) "
        "or use another database"
    )


def write_demo_data(
    store: Store, data: DemoData, actor: str, *, replace: bool = False
) -> DemoSummary:
    """Write the demo data in one transaction: if anything fails, nothing is written.

    Municipalities go in like a directory import, assessments through the importer's write
    path. Refuses (ConflictError) when the database already holds demo data, unless
    ``replace``, which first deletes all demo data (and only demo data) in the same
    transaction."""

    def unit(cursor: duckdb.DuckDBPyConnection) -> DemoSummary:
        deleted = None
        if replace:
            deleted = delete_demo_data(cursor, actor)
        elif any((counts := demo_counts(cursor)).values()):
            raise demo_data_conflict(store, counts)
        store.municipalities.save_on(cursor, data.municipalities, actor, "demo_generated")
        for batch in _import_batches(data.assessments):
            store.assessments.write_imported(cursor, batch, actor)
        for ring in data.rings:
            ring_id = store.rings.create_on(
                cursor, ring.name, RING_COORDINATOR, actor, period=ring.period, is_demo=True
            )
            for ags, consent_named in ring.members:
                store.rings.add_member_on(cursor, ring_id, ags, actor, consent_named=consent_named)
        return summarize(data, deleted)

    with _gc_paused():
        return store.write(unit)

"""Municipalities: the AGS key, kinds, Länder and the KGSt size classes.

KGSt size classes (Einwohner-Größenklassen) as the KGSt publishes them:

- cities and municipalities: GK1 > 400,000; GK2 200,000–400,000; GK3 100,000–200,000;
  GK4 50,000–100,000; GK5 25,000–50,000; GK6 10,000–25,000; GK7 < 10,000;
- counties (Landkreise, Kreise, Regionalverband): GK1 > 250,000; GK2 150,000–250,000;
  GK3 < 150,000.

The published ranges share their boundary values (200,000 is in GK2 and GK3). nhm treats every
class as a half-open interval that includes its lower bound: a municipality with exactly
200,000 inhabitants is GK2, one with exactly 10,000 is GK6 and a county with exactly 150,000
is GK2. This agrees with the strict bounds "< 10,000" and "< 150,000"; only a population of
exactly 400,000 (GK1) or a county of exactly 250,000 (GK1) reads differently from "> …".
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

AGS_PATTERN = r"^[0-9]{8}$"  # not \d: that also matches non-ASCII digits

AGS = Annotated[
    str,
    StringConstraints(pattern=AGS_PATTERN),
    Field(description="Amtlicher Gemeindeschlüssel, 8 digits."),
]

LAENDER: dict[str, str] = {
    "01": "Schleswig-Holstein",
    "02": "Hamburg",
    "03": "Niedersachsen",
    "04": "Bremen",
    "05": "Nordrhein-Westfalen",
    "06": "Hessen",
    "07": "Rheinland-Pfalz",
    "08": "Baden-Württemberg",
    "09": "Bayern",
    "10": "Saarland",
    "11": "Berlin",
    "12": "Brandenburg",
    "13": "Mecklenburg-Vorpommern",
    "14": "Sachsen",
    "15": "Sachsen-Anhalt",
    "16": "Thüringen",
}
"""Land codes (the first two AGS digits) and names."""

DEMO_KREIS = "99"
"""AGS digits 4–5 of fictional demo municipalities. No real Kreis uses 99, so a demo AGS
(e.g. 09099001) can never collide with a real one and still names a real Land."""


class MunicipalityKind(StrEnum):
    """What a municipality or county is, following the GV-ISys text codes."""

    KREISFREIE_STADT = "kreisfreie_stadt"
    STADTKREIS = "stadtkreis"
    GROSSE_KREISSTADT = "grosse_kreisstadt"
    STADT = "stadt"
    MARKT = "markt"
    GEMEINDE = "gemeinde"
    GEMEINDEFREIES_GEBIET = "gemeindefreies_gebiet"
    LANDKREIS = "landkreis"
    KREIS = "kreis"
    REGIONALVERBAND = "regionalverband"

    @property
    def is_county(self) -> bool:
        """True for counties (Landkreis, Kreis, Regionalverband), which have their own classes."""
        return self in COUNTY_KINDS

    @property
    def label(self) -> dict[str, str]:
        return KIND_LABELS[self]


COUNTY_KINDS = frozenset(
    {MunicipalityKind.LANDKREIS, MunicipalityKind.KREIS, MunicipalityKind.REGIONALVERBAND}
)

AGS_ENDS_000 = COUNTY_KINDS | {MunicipalityKind.KREISFREIE_STADT, MunicipalityKind.STADTKREIS}
"""Kinds that are a Kreis of their own: their AGS is the Kreis key followed by 000."""

KIND_LABELS: dict[MunicipalityKind, dict[str, str]] = {
    MunicipalityKind.KREISFREIE_STADT: {"de": "Kreisfreie Stadt", "en": "County-free city"},
    MunicipalityKind.STADTKREIS: {"de": "Stadtkreis", "en": "Urban district (Stadtkreis)"},
    MunicipalityKind.GROSSE_KREISSTADT: {"de": "Große Kreisstadt", "en": "Major district town"},
    MunicipalityKind.STADT: {"de": "Stadt", "en": "Town"},
    MunicipalityKind.MARKT: {"de": "Markt", "en": "Market town"},
    MunicipalityKind.GEMEINDE: {"de": "Gemeinde", "en": "Municipality"},
    MunicipalityKind.GEMEINDEFREIES_GEBIET: {
        "de": "Gemeindefreies Gebiet",
        "en": "Unincorporated area",
    },
    MunicipalityKind.LANDKREIS: {"de": "Landkreis", "en": "Rural district (Landkreis)"},
    MunicipalityKind.KREIS: {"de": "Kreis", "en": "District (Kreis)"},
    MunicipalityKind.REGIONALVERBAND: {"de": "Regionalverband", "en": "Regional association"},
}

_MUNICIPALITY_CLASSES = (  # (lower bound inclusive, class)
    (400_000, 1),
    (200_000, 2),
    (100_000, 3),
    (50_000, 4),
    (25_000, 5),
    (10_000, 6),
    (0, 7),
)
_COUNTY_CLASSES = ((250_000, 1), (150_000, 2), (0, 3))


def kgst_size_class(kind: MunicipalityKind, population: int | None) -> str | None:
    """The KGSt size class ("GK1" …) for a kind and population; None without a population."""
    if population is None:
        return None
    if population < 0:
        raise ValueError("population cannot be negative")
    classes = _COUNTY_CLASSES if kind.is_county else _MUNICIPALITY_CLASSES
    for lower, number in classes:
        if population >= lower:
            return f"GK{number}"
    raise AssertionError("unreachable: the last class starts at 0")


def is_demo_ags(ags: str) -> bool:
    """True if ``ags`` lies in the range reserved for fictional demo municipalities."""
    return bool(re.fullmatch(AGS_PATTERN, ags)) and ags[3:5] == DEMO_KREIS


def county_ags(ags: str) -> str:
    """The AGS of the Kreis a municipality belongs to (the first five digits, then 000)."""
    return ags[:5] + "000"


class Municipality(BaseModel):
    """A municipality or county as nhm knows it (from the official directory or by hand)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ags: AGS
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    kind: MunicipalityKind
    population: int | None = Field(default=None, ge=0, le=10_000_000)
    population_date: date | None = Field(
        default=None, description="Reference date of the population figure."
    )
    kreis_ags: AGS | None = Field(
        default=None, description="The county a kreisangehörige municipality belongs to."
    )
    is_demo: bool = Field(default=False, description="Fictional data made for demonstration.")
    source: Annotated[str, StringConstraints(max_length=200)] = "manual"

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        land = self.ags[:2]
        if land not in LAENDER:
            raise ValueError(
                f"AGS {self.ags}: the first two digits must be a Land code 01–16, found {land!r}"
            )
        if is_demo_ags(self.ags) and not self.is_demo:
            raise ValueError(
                f"AGS {self.ags} lies in the range reserved for fictional demo municipalities "
                f"(digits 4–5 = {DEMO_KREIS}); mark it as demo or use a real AGS"
            )
        if self.is_demo and not is_demo_ags(self.ags):
            raise ValueError(
                f"AGS {self.ags} is a real AGS: a demo municipality needs an AGS with "
                f"{DEMO_KREIS} in digits 4–5, so demo and real data can never be confused"
            )
        if self.kind in AGS_ENDS_000 and self.ags[5:] != "000":
            raise ValueError(
                f"AGS {self.ags}: the AGS of a {self.kind.label['de']} ends in 000 "
                "(it is its own Kreis)"
            )
        if self.kreis_ags is not None and self.kreis_ags[:2] != land:
            raise ValueError(f"Kreis {self.kreis_ags} is not in the same Land as {self.ags}")
        return self

    @property
    def land(self) -> str:
        """The Land code: the first two digits of the AGS."""
        return self.ags[:2]

    @property
    def land_name(self) -> str:
        return LAENDER[self.land]

    @property
    def size_class(self) -> str | None:
        return kgst_size_class(self.kind, self.population)

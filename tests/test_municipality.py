"""The municipality model: AGS rules, Länder, demo range and the KGSt size classes."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from nhm.municipality import (
    LAENDER,
    Municipality,
    MunicipalityKind,
    county_ags,
    is_demo_ags,
    kgst_size_class,
)

K = MunicipalityKind
MUNICIPAL_KINDS = [kind for kind in K if not kind.is_county]
COUNTY_KINDS = [K.LANDKREIS, K.KREIS, K.REGIONALVERBAND]


def make(**overrides: Any) -> Municipality:
    values: dict[str, Any] = {"ags": "09472175", "name": "Pegnitz, St", "kind": K.STADT}
    values.update(overrides)
    return Municipality(**values)


# --- KGSt size classes -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("population", "expected"),
    [
        (0, "GK7"),
        (9_999, "GK7"),
        (10_000, "GK6"),
        (24_999, "GK6"),
        (25_000, "GK5"),
        (49_999, "GK5"),
        (50_000, "GK4"),
        (99_999, "GK4"),
        (100_000, "GK3"),
        (199_999, "GK3"),
        (200_000, "GK2"),
        (399_999, "GK2"),
        (400_000, "GK1"),
        (3_800_000, "GK1"),
    ],
)
@pytest.mark.parametrize("kind", MUNICIPAL_KINDS)
def test_municipality_size_class_boundaries(
    kind: MunicipalityKind, population: int, expected: str
) -> None:
    assert kgst_size_class(kind, population) == expected


@pytest.mark.parametrize(
    ("population", "expected"),
    [
        (0, "GK3"),
        (149_999, "GK3"),
        (150_000, "GK2"),
        (249_999, "GK2"),
        (250_000, "GK1"),
        (1_100_000, "GK1"),
    ],
)
@pytest.mark.parametrize("kind", COUNTY_KINDS)
def test_county_size_class_boundaries(
    kind: MunicipalityKind, population: int, expected: str
) -> None:
    assert kgst_size_class(kind, population) == expected


def test_county_and_city_of_same_size_get_different_classes() -> None:
    # 150,000 inhabitants: a city in GK3, a county in GK2; a kreisfreie Stadt is a city.
    assert kgst_size_class(K.KREISFREIE_STADT, 150_000) == "GK3"
    assert kgst_size_class(K.STADTKREIS, 150_000) == "GK3"
    assert kgst_size_class(K.LANDKREIS, 150_000) == "GK2"


@pytest.mark.parametrize("kind", list(K))
def test_size_class_without_population_is_none(kind: MunicipalityKind) -> None:
    assert kgst_size_class(kind, None) is None


@pytest.mark.parametrize("kind", [K.GEMEINDE, K.LANDKREIS])
def test_size_class_of_negative_population_is_an_error(kind: MunicipalityKind) -> None:
    with pytest.raises(ValueError, match="negative"):
        kgst_size_class(kind, -1)


def test_model_size_class_follows_kind_and_population() -> None:
    assert make(population=13_386).size_class == "GK6"
    assert make(population=None).size_class is None
    county = make(ags="09472000", name="Bayreuth", kind=K.LANDKREIS, population=150_000)
    assert county.size_class == "GK2"


def test_model_refuses_negative_population() -> None:
    with pytest.raises(ValidationError, match="population"):
        make(population=-1)


# --- kinds ---------------------------------------------------------------------------------


def test_only_landkreis_kreis_and_regionalverband_are_counties() -> None:
    assert {kind for kind in K if kind.is_county} == set(COUNTY_KINDS)


def test_every_kind_has_german_and_english_label() -> None:
    for kind in K:
        assert kind.label["de"] and kind.label["en"]


# --- AGS validation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ags",
    [
        "0947217",  # 7 digits
        "094721750",  # 9 digits
        "0947217a",
        " 09472175",
        "09472175 ",
        "09472175\n",
        "",
        "09 47217",
        "09٤٧٢١٧٥",  # Arabic-Indic digits: digits to Python's \d, but not an AGS
    ],
)
def test_ags_must_be_eight_ascii_digits(ags: str) -> None:
    with pytest.raises(ValidationError, match="ags"):
        make(ags=ags)


def test_ags_given_as_number_is_refused() -> None:
    with pytest.raises(ValidationError):
        make(ags=9472175)


@pytest.mark.parametrize("land", ["00", "17", "20", "99"])
def test_unknown_land_code_is_refused(land: str) -> None:
    with pytest.raises(ValidationError, match=f"Land code 01–16, found '{land}'"):
        make(ags=f"{land}472175")


@pytest.mark.parametrize("land", sorted(LAENDER))
def test_every_land_code_is_accepted(land: str) -> None:
    municipality = make(ags=f"{land}001001")
    assert municipality.land == land
    assert municipality.land_name == LAENDER[land]


def test_land_and_land_name() -> None:
    municipality = make()
    assert municipality.land == "09"
    assert municipality.land_name == "Bayern"
    assert make(ags="05916000", name="Herne", kind=K.KREISFREIE_STADT).land_name == (
        "Nordrhein-Westfalen"
    )
    assert len(LAENDER) == 16


def test_demo_ags_requires_is_demo() -> None:
    with pytest.raises(ValidationError, match="reserved for fictional demo"):
        make(ags="09099001", name="Musterdorf")
    demo = make(ags="09099001", name="Musterdorf", is_demo=True)
    assert demo.is_demo


def test_real_ags_is_not_demo() -> None:
    real = make()
    assert real.is_demo is False
    assert not is_demo_ags(real.ags)


def test_real_ags_cannot_be_marked_as_demo() -> None:
    # docs/data.md: demo data uses AGS with 99 in digits 4–5, so fictional and real
    # municipalities can never be confused.
    with pytest.raises(ValidationError, match="real AGS"):
        make(is_demo=True)


@pytest.mark.parametrize(
    ("ags", "expected"),
    [
        ("09099001", True),
        ("05199000", True),
        ("16999999", True),
        ("09472175", False),
        ("99000000", False),  # 99 as Land code, not in digits 4–5
        ("09909001", False),  # 99 in digits 3–4
        ("00990000", False),  # digits 4–5 are "90"
        ("0909900", False),  # not an AGS at all
        ("0909900x", False),
        ("09099001\n", False),
    ],
)
def test_is_demo_ags(ags: str, expected: bool) -> None:
    assert is_demo_ags(ags) is expected


@pytest.mark.parametrize(
    "kind", [*COUNTY_KINDS, MunicipalityKind.KREISFREIE_STADT, MunicipalityKind.STADTKREIS]
)
def test_a_kreis_of_its_own_has_an_ags_ending_in_000(kind: MunicipalityKind) -> None:
    with pytest.raises(ValidationError, match="ends in 000"):
        make(ags="09472001", name="Bayreuth", kind=kind)
    with pytest.raises(ValidationError, match="ends in 000"):
        make(ags="09472100", name="Bayreuth", kind=kind)
    assert make(ags="09472000", name="Bayreuth", kind=kind).ags == "09472000"


def test_municipality_ags_may_end_in_000() -> None:
    assert make(ags="09462000", name="Bayreuth", kind=K.KREISFREIE_STADT).ags == "09462000"


def test_kreis_must_be_in_the_same_land() -> None:
    with pytest.raises(ValidationError, match="not in the same Land"):
        make(kreis_ags="08472000")
    assert make(kreis_ags="09472000").kreis_ags == "09472000"


def test_kreis_ags_must_itself_be_an_ags() -> None:
    with pytest.raises(ValidationError, match="kreis_ags"):
        make(kreis_ags="0947200")


def test_county_ags() -> None:
    assert county_ags("09472175") == "09472000"
    assert county_ags("05916000") == "05916000"
    assert county_ags("11000000") == "11000000"


# --- other fields --------------------------------------------------------------------------


def test_name_is_stripped_and_required() -> None:
    assert make(name="  Pegnitz, St  ").name == "Pegnitz, St"
    with pytest.raises(ValidationError, match="name"):
        make(name="   ")


def test_unknown_fields_and_kinds_are_refused() -> None:
    with pytest.raises(ValidationError, match="extra"):
        make(inhabitants=5)
    with pytest.raises(ValidationError, match="kind"):
        make(kind="dorf")


def test_municipality_is_frozen() -> None:
    municipality = make()
    with pytest.raises(ValidationError):
        municipality.name = "Other"  # type: ignore[misc]

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from nhm.model import (
    LEVEL_LABELS,
    Catalog,
    Criterion,
    Dimension,
    LocalizedText,
    MaturityLevel,
)
from nhm.sdg import SDG_GOALS, SDG_TARGETS, is_sdg_target, targets_of_goal


def errors_of(data: dict[str, Any]) -> list[tuple[tuple[Any, ...], str]]:
    with pytest.raises(ValidationError) as info:
        Dimension.model_validate(data)
    return [(tuple(e["loc"]), e["msg"]) for e in info.value.errors()]


def test_scale_has_five_levels_with_german_and_english_names() -> None:
    assert [int(level) for level in MaturityLevel] == [0, 1, 2, 3, 4]
    assert MaturityLevel(0).label.de == "nicht vorhanden"
    assert MaturityLevel(2).label.get("en") == "defined and decided"
    assert LEVEL_LABELS[MaturityLevel.OPTIMISING].de == "integriert und optimierend"
    assert MaturityLevel(3).label.en == "implemented and managed"


def test_localized_text_falls_back_to_german() -> None:
    text = LocalizedText(de="Rat")
    assert text.get("en") == "Rat"
    assert LocalizedText(de="Rat", en="Council").get("en") == "Council"
    with pytest.raises(ValidationError):
        LocalizedText(en="Council")  # type: ignore[call-arg]
    with pytest.raises(ValidationError):
        LocalizedText(de="   ")
    with pytest.raises(ValidationError):
        LocalizedText(de="Rat", fr="Conseil")  # type: ignore[call-arg]


def test_valid_dimension(dimension_data: dict[str, Any]) -> None:
    dimension = Dimension.model_validate(dimension_data)
    assert dimension.full_id(dimension.criteria[0]) == "fixture_dimension.council_mandate"
    assert list(dimension.criteria[0].levels) == [0, 1, 2, 3, 4]
    assert dimension.criterion("municipal_companies").na_allowed is True
    assert dimension.criteria[1].title.get("en") == "Konzern Kommune"


def test_level_keys_from_json_strings_are_accepted(dimension_data: dict[str, Any]) -> None:
    levels = dimension_data["criteria"][0]["levels"]
    dimension_data["criteria"][0]["levels"] = {str(k): v for k, v in reversed(levels.items())}
    dimension = Dimension.model_validate(dimension_data)
    assert list(dimension.criteria[0].levels) == [0, 1, 2, 3, 4]


@pytest.mark.parametrize(
    ("change", "loc", "message"),
    [
        (lambda d: d.update(id="Procurement"), ("id",), "String should match pattern"),
        (lambda d: d.update(version="1.0"), ("version",), "String should match pattern"),
        (lambda d: d.update(weight=0), ("weight",), "greater than 0"),
        (lambda d: d.update(criteria=[]), ("criteria",), "at least 1 item"),
        (lambda d: d.update(colour="green"), ("colour",), "Extra inputs are not permitted"),
        (lambda d: d.pop("description"), ("description",), "Field required"),
        (lambda d: d["criteria"][0].update(id="2nd"), ("criteria", 0, "id"), "pattern"),
        (lambda d: d["criteria"][0].update(weight=-1), ("criteria", 0, "weight"), "greater than 0"),
        (
            lambda d: d["criteria"][1].update(id="council_mandate"),
            ("criteria",),
            "criterion id 'council_mandate' is used twice",
        ),
        (
            lambda d: d["criteria"][0]["levels"].pop(3),
            ("criteria", 0, "levels"),
            "exactly five level descriptors 0, 1, 2, 3, 4 are required; missing 3",
        ),
        (
            lambda d: d["criteria"][0]["levels"].update({5: {"de": "x"}}),
            ("criteria", 0, "levels"),
            "unexpected 5",
        ),
        (
            lambda d: d["criteria"][0]["levels"].update({"high": {"de": "x"}}),
            ("criteria", 0, "levels"),
            "level keys must be the numbers 0 to 4, found 'high'",
        ),
        (
            lambda d: d["criteria"][0].update(sdg_targets=["12.9"]),
            ("criteria", 0, "sdg_targets"),
            "'12.9' is not an SDG target; goal 12 has the targets 12.1",
        ),
        (
            lambda d: d["criteria"][0].update(sdg_targets=["18.1"]),
            ("criteria", 0, "sdg_targets"),
            "of goals 1-17",
        ),
        (
            lambda d: d["criteria"][0].update(sdg_targets=["12.7", "12.7"]),
            ("criteria", 0, "sdg_targets"),
            "listed twice",
        ),
        (
            lambda d: d["criteria"][0].update(references=["bnk"]),
            ("criteria", 0, "references"),
            "valid dictionary",
        ),
        (
            lambda d: d["criteria"][0].update(references={"BNK": "05"}),
            ("criteria", 0, "references"),
            "reference key 'BNK'",
        ),
        (
            lambda d: d["criteria"][0].update(references={"bnk": " "}),
            ("criteria", 0, "references"),
            "reference 'bnk' is empty",
        ),
        (
            lambda d: d["criteria"][0]["title"].pop("de"),
            ("criteria", 0, "title", "de"),
            "Field required",
        ),
    ],
)
def test_each_kind_of_invalid_dimension_is_named(
    dimension_data: dict[str, Any], change: Any, loc: tuple[Any, ...], message: str
) -> None:
    change(dimension_data)
    found = errors_of(dimension_data)
    assert any(where == loc and message in m for where, m in found), found


def test_catalog_rejects_duplicate_dimension_ids_and_sorts(dimension_data: dict[str, Any]) -> None:
    first = Dimension.model_validate({**dimension_data, "order": 20})
    second = Dimension.model_validate({**dimension_data, "id": "another", "order": 10})
    catalog = Catalog(dimensions=[first, second])
    assert [d.id for d in catalog.dimensions] == ["another", "fixture_dimension"]
    assert catalog.criterion("fixture_dimension.council_mandate").id == "council_mandate"
    assert catalog.versions() == {"another": "1.0.0", "fixture_dimension": "1.0.0"}
    with pytest.raises(ValidationError, match="dimension id 'fixture_dimension' is used twice"):
        Catalog(dimensions=[first, first])
    with pytest.raises(KeyError):
        catalog.criterion("fixture_dimension.nope")


def test_criterion_level_lookup(dimension_data: dict[str, Any]) -> None:
    criterion = Criterion.model_validate(dimension_data["criteria"][0])
    assert criterion.level(2).de.startswith("Der Rat hat")
    with pytest.raises(ValueError):
        criterion.level(5)


def test_sdg_list_has_17_goals_and_169_targets() -> None:
    assert len(SDG_GOALS) == 17
    assert len(SDG_TARGETS) == 169
    assert len(set(SDG_TARGETS)) == 169
    expected_per_goal = {
        1: 7,
        2: 8,
        3: 13,
        4: 10,
        5: 9,
        6: 8,
        7: 5,
        8: 12,
        9: 8,
        10: 10,
        11: 10,
        12: 11,
        13: 5,
        14: 10,
        15: 12,
        16: 12,
        17: 19,
    }
    assert {g: len(targets_of_goal(g)) for g in SDG_GOALS} == expected_per_goal
    assert is_sdg_target("11.b") and is_sdg_target("17.19") and is_sdg_target("8.10")
    assert not is_sdg_target("17.a") and not is_sdg_target("1.10") and not is_sdg_target("12")

"""The five built-in dimensions: complete, bilingual, observable content."""

from __future__ import annotations

import pytest

from nhm.catalog import load_catalog
from nhm.model import Catalog, Dimension

BUILTIN_ORDER = [
    "governance_actors",
    "governance_structures",
    "governance_instruments",
    "procurement",
    "budgeting",
]
# Criteria that can genuinely not apply to some municipalities; any other N/A is a content bug.
NA_ALLOWED = {"governance_actors.municipal_companies"}
VAGUE_ONLY = {"besser", "mehr", "weitgehend", "teilweise", "better", "more", "largely"}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    catalog, host = load_catalog(entry_points=True, plugin_dirs=[], disabled=[])
    for name in BUILTIN_ORDER:
        assert host.record(name).errors == [], host.record(name).errors
    return catalog


@pytest.fixture(scope="module", params=BUILTIN_ORDER)
def dimension(request: pytest.FixtureRequest, catalog: Catalog) -> Dimension:
    return catalog.dimension(request.param)


def test_builtins_come_first_in_their_order(catalog: Catalog) -> None:
    assert [d.id for d in catalog.dimensions][:5] == BUILTIN_ORDER


def test_dimension_has_bilingual_title_and_description(dimension: Dimension) -> None:
    assert dimension.title.en and dimension.description.en
    assert len(dimension.description.de) > 150, "the description says what and why"
    assert dimension.version == "1.0.0"
    assert 8 <= len(dimension.criteria) <= 10


def test_every_criterion_is_complete_in_both_languages(dimension: Dimension) -> None:
    for criterion in dimension.criteria:
        where = dimension.full_id(criterion)
        for text in (criterion.title, criterion.question, criterion.guidance):
            assert text is not None and text.de and text.en, where
        assert criterion.question.de.rstrip().endswith("?"), where
        for lang in ("de", "en"):
            descriptors = [criterion.levels[level].get(lang) for level in range(5)]
            assert all(d.strip() for d in descriptors), where
            assert len(set(descriptors)) == 5, f"{where}: levels must differ ({lang})"
            for descriptor in descriptors:
                assert descriptor.lower().strip(" .") not in VAGUE_ONLY, where
        assert criterion.levels[0].en != criterion.levels[0].de, f"{where}: not translated"
        assert len(criterion.evidence_examples) >= 2, where
        assert all(e.en for e in criterion.evidence_examples), where
        assert 1 <= len(criterion.sdg_targets) <= 4, where
        assert criterion.weight == 1.0, where


def test_not_applicable_only_where_it_can_genuinely_not_apply(catalog: Catalog) -> None:
    allowed = {dimension.full_id(c) for dimension, c in catalog.iter_criteria() if c.na_allowed} & {
        f"{d}.{c.id}" for d in BUILTIN_ORDER for c in catalog.dimension(d).criteria
    }
    assert allowed == NA_ALLOWED


def test_criterion_ids_are_unique_across_builtins(catalog: Catalog) -> None:
    full_ids = [dimension.full_id(c) for dimension, c in catalog.iter_criteria()]
    assert len(full_ids) == len(set(full_ids))
    titles = [c.title.de for d, c in catalog.iter_criteria() if d.id in BUILTIN_ORDER]
    assert len(titles) == len(set(titles)), "two criteria share a German title"

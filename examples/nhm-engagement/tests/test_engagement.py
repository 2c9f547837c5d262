"""Tests of the nhm-engagement plugin, for the plugin's own CI.

Run from this package's folder with a Python that has nhm installed:
``python -m pytest -q``. ``conftest.py`` puts the package folder on ``sys.path``, so the
plugin does not need to be installed.
"""

from __future__ import annotations

from pathlib import Path

import nhm_engagement
import pytest

from nhm import Dimension, Recommendation, Response
from nhm.catalog import build_catalog
from nhm.dimension_file import load_dimension_file
from nhm.plugin_check import check_plugin_path
from nhm.plugins import PluginHost, load_plugins

PLUGIN_NAME = "engagement"
PACKAGE_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def host() -> PluginHost:
    return load_plugins(
        entry_points=False, plugin_dirs=[], disabled=[], extra=[(PLUGIN_NAME, nhm_engagement)]
    )


@pytest.fixture(scope="module")
def dimension(host: PluginHost) -> Dimension:
    catalog = build_catalog(host)
    assert host.record(PLUGIN_NAME).errors == []
    return catalog.dimension("engagement")


def test_dimension_file_is_valid() -> None:
    dimension = load_dimension_file(nhm_engagement.DIMENSION_FILE)
    assert dimension.id == "engagement"
    assert dimension.version == "0.1.0"
    assert 5 <= len(dimension.criteria) <= 6
    for criterion in dimension.criteria:
        for lang in ("de", "en"):
            descriptors = {criterion.level(level).get(lang) for level in range(5)}
            assert len(descriptors) == 5, (criterion.id, lang)
        assert criterion.title.en and criterion.question.en, criterion.id
        assert all(criterion.levels[level].en for level in range(5)), criterion.id
        assert criterion.sdg_targets, criterion.id


def test_hook_registers_the_dimension(host: PluginHost, dimension: Dimension) -> None:
    record = host.record(PLUGIN_NAME)
    assert record.errors == []
    assert record.dimensions == ["engagement"]
    assert set(record.hooks) == {"nhm_register_dimensions", "nhm_recommendations"}
    assert dimension == load_dimension_file(nhm_engagement.DIMENSION_FILE)


def test_recommends_the_level_2_step_below_level_2(host: PluginHost, dimension: Dimension) -> None:
    responses = {
        "initiative_overview": Response(level=0),
        "contact_point": Response(level=3),
        "recognition": Response(not_applicable=True, justification="test"),
    }
    results = host.call_each(
        "nhm_recommendations", dimension=dimension, score=None, responses=responses
    )
    assert host.record(PLUGIN_NAME).errors == []
    [(name, steps)] = results
    assert name == PLUGIN_NAME
    [step] = steps
    assert isinstance(step, Recommendation)
    assert step.dimension_id == "engagement"
    assert step.criterion_id == "initiative_overview"
    level_2 = dimension.criterion("initiative_overview").level(2)
    assert level_2.de in step.text.de
    assert step.text.en is not None and level_2.en in step.text.en


def test_no_recommendations_for_another_dimension(host: PluginHost, dimension: Dimension) -> None:
    other = dimension.model_copy(update={"id": "governance_actors"})
    responses = {"initiative_overview": Response(level=0)}
    assert nhm_engagement.nhm_recommendations(dimension=other, responses=responses) is None
    results = host.call_each(
        "nhm_recommendations", dimension=other, score=None, responses=responses
    )
    assert results == []


def test_package_passes_nhm_check_plugin() -> None:
    report = check_plugin_path(PACKAGE_ROOT)
    assert report.errors == []
    assert len(report.checked) == 1

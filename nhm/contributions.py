"""What plugins contribute besides dimensions: recommendations, findings, pages, exporters."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from nhm.model import LocalizedText


class RecommendationReason(StrEnum):
    """Why a step is recommended."""

    WEAKEST_LINK = "weakest_link"  # holds the dimension's gated level down
    BELOW_TARGET = "below_target"  # below the municipality's own target
    LOWEST = "lowest"  # among the lowest levels of the dimension
    PLUGIN = "plugin"  # contributed by a plugin


@dataclass(frozen=True)
class Recommendation:
    """An improvement step for one criterion (or the dimension as a whole).

    nhm's own steps fill ``current_level``/``next_level`` and the ``reason``; ``source`` is
    set by nhm to the plugin that contributed the step.
    """

    dimension_id: str
    text: LocalizedText
    criterion_id: str | None = None
    priority: int = 100  # lower comes first
    current_level: int | None = None
    next_level: int | None = None
    reason: RecommendationReason = RecommendationReason.PLUGIN
    source: str | None = None


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    """A consistency finding about an assessment, shown before submitting."""

    message: LocalizedText
    criterion_id: str | None = None  # full id 'dimension.criterion', if it concerns one
    severity: Severity = Severity.WARNING
    source: str | None = None  # set by nhm: the plugin that reported it, or "nhm"


@dataclass(frozen=True)
class PluginPage:
    """A page a plugin adds to the app. ``render()`` draws it with Streamlit."""

    title: LocalizedText
    render: Callable[[], None]
    url_path: str
    icon: str | None = None


@dataclass(frozen=True)
class Exporter:
    """An export format: ``export(assessment, catalog, lang)`` returns the file's bytes."""

    id: str
    title: LocalizedText
    file_extension: str
    media_type: str
    export: Callable[..., bytes]
    options: dict[str, Any] = field(default_factory=dict)

"""Catalog types: the maturity scale, localized text, criterion, dimension and catalog.

Every model rejects unknown keys, so a typo in a dimension file is an error rather than a
silently ignored field.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from enum import IntEnum
from functools import cached_property
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from nhm.sdg import SDG_TARGETS, describe_unknown_target, is_sdg_target

Language = Literal["de", "en"]
LANGUAGES: tuple[Language, ...] = ("de", "en")

ID_PATTERN = r"^[a-z][a-z0-9_]*$"
"""Dimension and criterion ids: lower-case letter first, then lower-case letters, digits, _."""

Identifier = Annotated[
    str,
    StringConstraints(pattern=ID_PATTERN, max_length=64),
    Field(description="Lower-case id: a letter, then letters, digits or underscores."),
]
NonEmptyText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
SEMVER_PATTERN = r"^\d+\.\d+\.\d+$"


class MaturityLevel(IntEnum):
    """The five maturity levels every criterion is answered on."""

    NOT_IN_PLACE = 0
    INITIAL = 1
    DEFINED = 2
    MANAGED = 3
    OPTIMISING = 4

    @property
    def label(self) -> LocalizedText:
        return LEVEL_LABELS[self]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LocalizedText(_Strict):
    """A text in German (required) and English (optional; falls back to German)."""

    de: NonEmptyText = Field(description="German text (required).")
    en: NonEmptyText | None = Field(
        default=None, description="English text; German is shown where it is missing."
    )

    def get(self, lang: str = "de") -> str:
        """The text in ``lang``, or German where that language is missing."""
        if lang == "en" and self.en is not None:
            return self.en
        return self.de

    def __str__(self) -> str:
        return self.de


LEVEL_LABELS: dict[MaturityLevel, LocalizedText] = {
    MaturityLevel.NOT_IN_PLACE: LocalizedText(de="nicht vorhanden", en="not in place"),
    MaturityLevel.INITIAL: LocalizedText(de="initial / ad hoc", en="initial / ad hoc"),
    MaturityLevel.DEFINED: LocalizedText(de="definiert und beschlossen", en="defined and decided"),
    MaturityLevel.MANAGED: LocalizedText(
        de="umgesetzt und gesteuert", en="implemented and managed"
    ),
    MaturityLevel.OPTIMISING: LocalizedText(
        de="integriert und optimierend", en="integrated and optimising"
    ),
}

_REFERENCE_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


class Criterion(_Strict):
    """One question of a dimension, answered on the maturity scale 0-4."""

    id: Identifier
    title: LocalizedText
    question: LocalizedText = Field(description="The question a coordinator answers.")
    guidance: LocalizedText | None = Field(
        default=None, description="Optional help: what the criterion means, how to judge it."
    )
    levels: dict[int, LocalizedText] = Field(
        description="Exactly five descriptors, one for each level 0-4: what exists at that level.",
        json_schema_extra={
            "propertyNames": {"pattern": "^[0-4]$"},
            "minProperties": 5,
            "maxProperties": 5,
        },
    )
    evidence_examples: list[LocalizedText] = Field(
        default_factory=list,
        description="Documents that show the level (Ratsbeschluss, Dienstanweisung …).",
    )
    weight: float = Field(
        default=1.0, gt=0, allow_inf_nan=False, description="Relative weight inside the dimension."
    )
    na_allowed: bool = Field(
        default=False,
        description="True only where the criterion can genuinely not apply; N/A needs a reason.",
    )
    sdg_targets: list[str] = Field(
        default_factory=list,
        description="SDG target ids such as '12.7' or '11.b'.",
        json_schema_extra={"items": {"type": "string", "enum": list(SDG_TARGETS)}},
    )
    references: dict[str, str | list[str]] = Field(
        default_factory=dict,
        description="Cross-references to other frameworks, e.g. {bnk: '07', gnk: 'Schritt 4'}.",
    )

    @field_validator("levels", mode="before")
    @classmethod
    def _five_levels(cls, value: object) -> object:
        if not isinstance(value, dict):
            return value  # pydantic reports the type error
        keys: list[object] = list(value)
        normalized: list[int | None] = []
        for key in keys:
            if isinstance(key, bool):
                normalized.append(None)
            elif isinstance(key, int):
                normalized.append(key)
            elif isinstance(key, str) and key.strip().isdigit():
                normalized.append(int(key))
            else:
                normalized.append(None)
        if None in normalized:
            bad = [repr(k) for k, n in zip(keys, normalized, strict=True) if n is None]
            raise ValueError(f"level keys must be the numbers 0 to 4, found {', '.join(bad)}")
        found = set(normalized)
        expected = set(range(5))
        if found != expected or len(normalized) != 5:
            parts = []
            missing = sorted(expected - found)  # type: ignore[type-var]
            extra = sorted(found - expected)  # type: ignore[type-var]
            if missing:
                parts.append("missing " + ", ".join(map(str, missing)))
            if extra:
                parts.append("unexpected " + ", ".join(map(str, extra)))
            if len(normalized) != len(found):
                parts.append("a level appears twice")
            raise ValueError(
                "exactly five level descriptors 0, 1, 2, 3, 4 are required; " + "; ".join(parts)
            )
        return dict(zip(normalized, value.values(), strict=True))

    @field_validator("levels")
    @classmethod
    def _sorted_levels(cls, value: dict[int, LocalizedText]) -> dict[int, LocalizedText]:
        return dict(sorted(value.items()))

    @field_validator("sdg_targets")
    @classmethod
    def _known_targets(cls, value: list[str]) -> list[str]:
        for target in value:
            if not is_sdg_target(target):
                raise ValueError(describe_unknown_target(target))
        if len(set(value)) != len(value):
            raise ValueError("an SDG target is listed twice")
        return value

    @field_validator("references")
    @classmethod
    def _reference_keys(cls, value: dict[str, str | list[str]]) -> dict[str, str | list[str]]:
        for key, ref in value.items():
            if not _REFERENCE_KEY.match(key):
                raise ValueError(
                    f"reference key {key!r} must be a lower-case name like 'bnk' or 'gnk'"
                )
            if (isinstance(ref, str) and not ref.strip()) or (
                isinstance(ref, list) and not all(r.strip() for r in ref)
            ):
                raise ValueError(f"reference {key!r} is empty")
        return value

    def level(self, level: int) -> LocalizedText:
        """The descriptor of ``level`` (0-4)."""
        return self.levels[int(MaturityLevel(level))]


def _ensure_unique_ids(ids: list[str], kind: str) -> None:
    seen: set[str] = set()
    for item_id in ids:
        if item_id in seen:
            raise ValueError(f"{kind} id {item_id!r} is used twice")
        seen.add(item_id)


class Dimension(_Strict):
    """A maturity dimension: a titled, versioned set of criteria."""

    id: Identifier
    version: Annotated[str, StringConstraints(pattern=SEMVER_PATTERN)] = Field(
        description="Version of the content, MAJOR.MINOR.PATCH, e.g. '1.0.0'."
    )
    title: LocalizedText
    description: LocalizedText = Field(description="What the dimension covers and why it matters.")
    weight: float = Field(
        default=1.0, gt=0, allow_inf_nan=False, description="Weight in the overall index."
    )
    order: int = Field(
        default=100, description="Position in lists; lower comes first (built-ins use 10-50)."
    )
    criteria: list[Criterion] = Field(min_length=1)

    @field_validator("criteria")
    @classmethod
    def _unique_criterion_ids(cls, value: list[Criterion]) -> list[Criterion]:
        _ensure_unique_ids([c.id for c in value], "criterion")
        return value

    @cached_property
    def _criteria_by_id(self) -> dict[str, Criterion]:
        return {criterion.id: criterion for criterion in self.criteria}

    def criterion(self, criterion_id: str) -> Criterion:
        """The criterion with the short id ``criterion_id``; KeyError if there is none."""
        try:
            return self._criteria_by_id[criterion_id]
        except KeyError:
            raise KeyError(f"dimension {self.id!r} has no criterion {criterion_id!r}") from None

    def full_id(self, criterion: Criterion | str) -> str:
        """The catalog-wide id ``dimension.criterion``."""
        short = criterion if isinstance(criterion, str) else criterion.id
        return f"{self.id}.{short}"


class Catalog(_Strict):
    """All dimensions available to an installation, in display order."""

    dimensions: list[Dimension] = Field(default_factory=list)

    @field_validator("dimensions")
    @classmethod
    def _unique_dimension_ids(cls, value: list[Dimension]) -> list[Dimension]:
        _ensure_unique_ids([d.id for d in value], "dimension")
        return sorted(value, key=lambda d: (d.order, d.id))

    @cached_property
    def _dimensions_by_id(self) -> dict[str, Dimension]:
        return {dimension.id: dimension for dimension in self.dimensions}

    def dimension(self, dimension_id: str) -> Dimension:
        """The dimension with ``dimension_id``; KeyError if there is none."""
        try:
            return self._dimensions_by_id[dimension_id]
        except KeyError:
            raise KeyError(f"no dimension {dimension_id!r} in the catalog") from None

    def criterion(self, full_id: str) -> Criterion:
        """The criterion with the full id ``dimension.criterion``."""
        dimension_id, _, criterion_id = full_id.partition(".")
        return self.dimension(dimension_id).criterion(criterion_id)

    def iter_criteria(self) -> Iterator[tuple[Dimension, Criterion]]:
        for dimension in self.dimensions:
            for criterion in dimension.criteria:
                yield dimension, criterion

    def versions(self) -> dict[str, str]:
        """Dimension id -> content version, as recorded with each assessment."""
        return {d.id: d.version for d in self.dimensions}
